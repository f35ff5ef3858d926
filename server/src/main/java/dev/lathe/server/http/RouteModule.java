package dev.lathe.server.http;

import dev.lathe.protocol.api.ApiRoute;

/**
 * The route table ({@link ApiRoute}) as the web client's JavaScript module {@code /js/api-routes.js}: one frozen
 * {@code {method, template}} constant per route, by the enum's name, so the page's {@code api(ROUTE, …)} calls name a
 * declared route instead of writing a path (DESIGN §24 "Every route declared once"). Made from the enum when the
 * server starts, served like the UI's other files (public: it lists routes, holds no data; revalidated by ETag).
 */
final class RouteModule {
    /** Where the page imports it from. */
    static final String PATH = "/js/api-routes.js";

    private RouteModule() {}

    static String text() {
        var out = new StringBuilder(8192);
        out.append("// Made by the server from dev.lathe.protocol.api.ApiRoute, the one table of the API's routes (DESIGN §24).\n");
        out.append("// Do not edit: name a route here in api(ROUTE, {params, query, body, directory}) (see api.js).\n");
        for (ApiRoute route : ApiRoute.values()) {
            out.append("export const ").append(route.name()).append(" = Object.freeze({method: '").append(route.method())
                    .append("', template: '").append(route.template()).append("'});\n");
        }
        return out.toString();
    }
}
