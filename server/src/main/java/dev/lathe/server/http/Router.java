package dev.lathe.server.http;

import dev.lathe.protocol.api.LatheException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Matches a method and path against route templates such as {@code /sessions/{id}/prompt}. A path that matches no
 * template is a 404; one that matches only with other methods is a 405 listing them.
 */
final class Router {
    /** Whether a route needs the bearer token. */
    enum Access { PUBLIC, TOKEN }

    @FunctionalInterface
    interface Handler {
        void handle(Call call) throws IOException;
    }

    record Route(String method, String template, List<String> segments, Access access, Rights rights, Handler handler, RouteDoc doc) {}

    /** A route that fits, with its path parameters decoded. */
    record Match(Route route, Map<String, String> params) {}

    private final List<Route> routes = new ArrayList<>();

    Router add(String method, String template, Access access, RouteDoc doc, Handler handler) {
        routes.add(new Route(method, template, segmentsOf(template), access, Rights.ANYONE, handler, doc));
        return this;
    }

    /** A route that needs the token (every route but a few public ones) and any user may call. */
    Router add(String method, String template, RouteDoc doc, Handler handler) {
        return add(method, template, Access.TOKEN, doc, handler);
    }

    /** A route that needs the token and, on a team server, {@code rights} (the owner of the session it changes, an admin). */
    Router add(String method, String template, Rights rights, RouteDoc doc, Handler handler) {
        routes.add(new Route(method, template, segmentsOf(template), Access.TOKEN, rights, handler, doc));
        return this;
    }

    /** Every route, in the order added. */
    List<Route> routes() { return List.copyOf(routes); }

    /**
     * @param rawPath the request path still percent-encoded
     * @throws LatheException.NotFound (404) or {@link MethodNotAllowed} (405)
     */
    Match match(String method, String rawPath) {
        List<String> path = segmentsOf(rawPath);
        var allowed = new TreeSet<String>();
        for (Route route : routes) {
            var params = bind(route.segments(), path);
            if (params.isEmpty()) continue;
            if (route.method().equals(method)) return new Match(route, params.get());
            allowed.add(route.method());
        }
        if (allowed.isEmpty()) throw new LatheException.NotFound("no route for " + method + " " + rawPath);
        throw new MethodNotAllowed(method, allowed);
    }

    /** 405 with the methods the path does support (sent as {@code Allow}). */
    static final class MethodNotAllowed extends RuntimeException {
        private final String allow;

        MethodNotAllowed(String method, TreeSet<String> allowed) {
            super(method + " is not allowed here; use " + String.join(" or ", allowed));
            this.allow = String.join(", ", allowed);
        }

        String allow() { return allow; }
    }

    /** The path parameters, or empty when {@code path} does not fit {@code template}. */
    private static Optional<Map<String, String>> bind(List<String> template, List<String> path) {
        if (template.size() != path.size()) return Optional.empty();
        var params = new LinkedHashMap<String, String>();
        for (int i = 0; i < template.size(); i++) {
            String t = template.get(i);
            if (t.startsWith("{") && t.endsWith("}")) {
                params.put(t.substring(1, t.length() - 1), Percent.decode(path.get(i)));
            } else if (!t.equals(path.get(i))) {
                return Optional.empty();
            }
        }
        return Optional.of(params);
    }

    private static List<String> segmentsOf(String path) {
        var out = new ArrayList<String>();
        for (String s : path.split("/")) if (!s.isEmpty()) out.add(s);
        return out;
    }
}
