package dev.lathe.server.http;

import dev.lathe.protocol.api.ApiRoute;
import dev.lathe.protocol.api.LatheException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Binds each declared {@link ApiRoute} (the one table of methods and paths, DESIGN §24) to who may call it, its
 * documentation and its handler, and matches a method and path against the templates such as
 * {@code /sessions/{id}/prompt}. A path that matches no template is a 404; one that matches only with other methods is a
 * 405 listing them. There is no way to add a route by a string: {@code RouteTableTest} checks every declared route is
 * bound exactly once.
 */
final class Router {
    @FunctionalInterface
    interface Handler {
        void handle(Call call) throws IOException;
    }

    /** One route: its method, path template, who may call it, what it takes and answers ({@link RouteDoc}), and its handler. */
    record Route(ApiRoute api, List<String> segments, Rights rights, Handler handler, RouteDoc doc) {
        String method() { return api.method(); }

        String template() { return api.template(); }
    }

    /** A route that fits, with its path parameters decoded. */
    record Match(Route route, Map<String, String> params) {}

    private final List<Route> routes = new ArrayList<>();

    /**
     * Declares a route; the only way to add one, so each names its {@link Rights} (public ones included) and its
     * {@link RouteDoc}.
     *
     * @throws IllegalStateException when the route, or another of the same method and path shape, is bound already
     */
    Router add(ApiRoute route, Rights rights, RouteDoc doc, Handler handler) {
        Objects.requireNonNull(route, "every route is a declared ApiRoute");
        Objects.requireNonNull(rights, "every route names who may call it");
        Objects.requireNonNull(doc, "every route says what it takes and answers");
        List<String> segments = segmentsOf(route.template());
        for (Route r : routes) {
            if (r.api() == route || r.method().equals(route.method()) && shape(r.segments()).equals(shape(segments))) {
                throw new IllegalStateException(route.method() + " " + route.template() + " is declared twice (as " + r.template() + ")");
            }
        }
        routes.add(new Route(route, segments, rights, handler, doc));
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

    /** The template with every parameter alike, so {@code /a/{id}} and {@code /a/{name}} are one route. */
    private static List<String> shape(List<String> segments) {
        return segments.stream().map(t -> t.startsWith("{") ? "{}" : t).toList();
    }

    private static List<String> segmentsOf(String path) {
        var out = new ArrayList<String>();
        for (String s : path.split("/")) if (!s.isEmpty()) out.add(s);
        return out;
    }
}
