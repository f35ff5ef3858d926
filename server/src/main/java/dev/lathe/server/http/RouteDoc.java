package dev.lathe.server.http;

import java.util.List;
import java.util.Optional;

/**
 * What {@code GET /doc} says about one route: a summary, its query parameters, the body it takes and what it
 * answers. Declared beside the handler in the route table, so the OpenAPI document cannot miss a route.
 */
record RouteDoc(String summary, List<String> query, Optional<Class<?>> body, int status, Shape response) {
    /** The form of a successful answer. */
    sealed interface Shape {
        /** One JSON value of this type. */
        record One(Class<?> type) implements Shape {}
        /** A JSON array of this type. */
        record ListOf(Class<?> type) implements Shape {}
        /** A JSON object from ids to this type. */
        record MapOf(Class<?> type) implements Shape {}
        /** Any JSON object (configuration documents). */
        record AnyObject() implements Shape {}
        /** An empty JSON object: the call succeeded, nothing to report. */
        record Empty() implements Shape {}
        /** A {@code text/event-stream} of events. */
        record Events() implements Shape {}
        /** A redirect ({@code Location} header). */
        record Redirect() implements Shape {}

        /** Text of a media type other than JSON ({@code GET /metrics}: Prometheus's text format). */
        record Text(String mediaType) implements Shape {}
    }

    static RouteDoc of(String summary) {
        return new RouteDoc(summary, List.of(), Optional.empty(), 200, new Shape.Empty());
    }

    RouteDoc query(String... names) { return new RouteDoc(summary, List.of(names), body, status, response); }

    RouteDoc body(Class<?> type) { return new RouteDoc(summary, query, Optional.of(type), status, response); }

    RouteDoc returns(Class<?> type) { return returns(200, new Shape.One(type)); }

    RouteDoc returnsList(Class<?> type) { return returns(200, new Shape.ListOf(type)); }

    RouteDoc returns(int newStatus, Shape shape) { return new RouteDoc(summary, query, body, newStatus, shape); }
}
