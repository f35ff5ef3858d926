package dev.lathe.server.http;

import dev.lathe.protocol.api.ApiRoute;
import dev.lathe.protocol.api.ClientEnvironment;
import dev.lathe.protocol.api.ErrorBody;
import dev.lathe.protocol.event.Event;
import java.util.Locale;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAPI 3.1 description served at {@code GET /doc}, generated from the {@link Router}'s own route table and
 * each route's {@link RouteDoc}, so a route cannot exist without appearing here.
 */
final class OpenApiDocument {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private OpenApiDocument() {}

    static ObjectNode of(Router router, String version) {
        var schemas = new JsonSchemas();
        ObjectNode doc = JSON.objectNode();
        doc.put("openapi", "3.1.0");
        doc.putObject("info").put("title", "Lathe API").put("version", version)
                .put("description", "Sessions, prompts and events of a Lathe server. Every route but /health and /login needs "
                        + "Authorization: Bearer <token> (the token is in server.json) or the web login cookie.");
        ObjectNode paths = doc.putObject("paths");
        for (Router.Route route : router.routes()) {
            ObjectNode path = paths.has(route.template()) ? (ObjectNode) paths.get(route.template()) : paths.putObject(route.template());
            path.set(route.method().toLowerCase(Locale.ROOT), operation(route, schemas));
        }
        ObjectNode components = doc.putObject("components");
        ObjectNode security = components.putObject("securitySchemes");
        security.putObject("bearer").put("type", "http").put("scheme", "bearer");
        security.putObject("cookie").put("type", "apiKey").put("in", "cookie").put("name", WebLogin.COOKIE_PREFIX + "PORT")
                .put("description", "the web login: this cookie together with the X-Lathe-Key header (or ?key= on /events)");
        ObjectNode error = schemas.of(ErrorBody.class);
        ObjectNode event = schemas.of(Event.class);
        components.putObject("responses").putObject("Error").put("description", "{error: {code, message}}")
                .putObject("content").putObject("application/json").set("schema", error);
        components.putObject("x-events").set("schema", event);
        ObjectNode named = components.putObject("schemas");
        schemas.components().forEach(named::set);
        return doc;
    }

    /** The routes that read {@code X-Lathe-Environment}, as the route table declares them. */
    private static boolean takesEnvironment(Router.Route route) {
        return route.api().environment() == ApiRoute.Environment.READ;
    }

    private static ObjectNode operation(Router.Route route, JsonSchemas schemas) {
        RouteDoc d = route.doc();
        ObjectNode op = JSON.objectNode();
        op.put("operationId", operationId(route));
        // the route's name in the table (ApiRoute), which the SDKs name their methods after (sdk/generate)
        op.put("x-lathe-route", route.api().name());
        op.put("summary", d.summary());
        // who may call it, from the route table itself (DESIGN §24): public, any-user, session-owner, …, admin
        op.put("x-lathe-rights", route.rights().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        ArrayNode parameters = op.putArray("parameters");
        for (String segment : route.segments()) {
            if (segment.startsWith("{")) {
                parameters.addObject().put("name", segment.substring(1, segment.length() - 1)).put("in", "path").put("required", true)
                        .putObject("schema").put("type", "string");
            }
        }
        for (String q : d.query()) parameters.addObject().put("name", q).put("in", "query").putObject("schema").put("type", "string");
        parameters.addObject().put("name", Call.DIRECTORY_HEADER).put("in", "header")
                .put("description", "project folder (percent-encoded UTF-8); the directory query parameter wins").putObject("schema").put("type", "string");
        if (takesEnvironment(route)) {
            parameters.addObject().put("name", ClientEnvironment.HEADER).put("in", "header")
                    .put("description", "the client's LATHE_CONFIG, LATHE_CONFIG_CONTENT, LATHE_NETWORK and key variables (names ending _API_KEY, _KEY, "
                            + "_TOKEN, _PAT, _KEY_ID), base64url of a JSON object of strings: the session's turns (and the folder's config, "
                            + "models and providers as answered) use them instead of the server's; held in memory only").putObject("schema").put("type", "string");
        }
        d.body().ifPresent(type -> op.putObject("requestBody").put("required", true)
                .putObject("content").putObject("application/json").set("schema", schemas.of(type)));
        ObjectNode responses = op.putObject("responses");
        ObjectNode ok = responses.putObject(Integer.toString(d.status()));
        switch (d.response()) {
            case RouteDoc.Shape.One one -> json(ok, schemas.of(one.type()));
            case RouteDoc.Shape.ListOf list -> {
                ObjectNode array = JSON.objectNode().put("type", "array");
                array.set("items", schemas.of(list.type()));
                json(ok, array);
            }
            case RouteDoc.Shape.MapOf map -> {
                ObjectNode object = JSON.objectNode().put("type", "object");
                object.set("additionalProperties", schemas.of(map.type()));
                json(ok, object);
            }
            case RouteDoc.Shape.AnyObject _ -> json(ok, JSON.objectNode().put("type", "object"));
            case RouteDoc.Shape.Empty _ -> json(ok, JSON.objectNode().put("type", "object"));
            case RouteDoc.Shape.Events _ -> ok.put("description", "text/event-stream: id: <seq>, event: <type>, data: <event JSON> "
                    + "(see components.x-events); heartbeats every 10 s; resync when a resume point is gone")
                    .putObject("content").putObject("text/event-stream").putObject("schema").put("type", "string");
            case RouteDoc.Shape.Redirect _ -> ok.put("description", "redirect to the web UI, setting the session cookie");
            case RouteDoc.Shape.Text text -> ok.putObject("content").putObject(text.mediaType()).putObject("schema").put("type", "string");
        }
        if (!ok.has("description")) ok.put("description", "OK");
        responses.putObject("4XX").put("$ref", "#/components/responses/Error");
        if (!route.rights().needsCredential()) op.putArray("security");
        else {
            ArrayNode security = op.putArray("security");
            security.addObject().putArray("bearer");
            security.addObject().putArray("cookie");
        }
        return op;
    }

    private static void json(ObjectNode response, ObjectNode schema) {
        response.put("description", "OK");
        response.putObject("content").putObject("application/json").set("schema", schema);
    }

    /** {@code GET /sessions/{id}/messages} → {@code getSessionsIdMessages}. */
    private static String operationId(Router.Route route) {
        var id = new StringBuilder(route.method().toLowerCase(Locale.ROOT));
        for (String segment : route.segments()) {
            String word = segment.replace("{", "").replace("}", "");
            for (String part : word.split("[^A-Za-z0-9]+")) {
                if (!part.isEmpty()) id.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return id.toString();
    }
}
