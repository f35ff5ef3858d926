package dev.lathe.client;

import dev.lathe.protocol.api.TrustInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * A folder's trust ({@code GET /trust}) read with the streaming parser, as {@link StartJson} reads the other documents of
 * a client's start: {@code lathe run} asks for it before it creates its session, so the data-binding mapper's first use
 * (~40 ms on a cold JVM, its date and time-zone set-up included) fell on the way to the first model request. Shapes
 * are exactly the mapper's ({@code TrustJsonTest} compares the two): unknown fields skipped, a missing
 * {@code pending} an empty list.
 */
final class TrustJson {
    private TrustJson() {}

    /** @throws IllegalArgumentException when {@code json} is not a folder's trust */
    static TrustInfo trust(String json) {
        var t = new Object() {
            String folder;
            boolean trusted, answered;
            List<TrustInfo.Skipped> skipped;
            List<TrustInfo.Item> pending = List.of();
        };
        JsonFields.read(json, "a folder's trust", (p, field, value) -> {
            switch (field) {
                case "folder" -> t.folder = StartJson.text(p, value);
                case "trusted" -> t.trusted = flag(p, value);
                case "answered" -> t.answered = flag(p, value);
                case "skipped" -> t.skipped = list(p, value, TrustJson::skipped);
                case "pending" -> t.pending = list(p, value, TrustJson::item);
                default -> p.skipChildren();
            }
        });
        if (t.skipped == null) throw new IllegalArgumentException("not a folder's trust: no skipped list");
        return new TrustInfo(t.folder, t.trusted, t.answered, t.skipped, t.pending);
    }

    private static TrustInfo.Skipped skipped(JsonParser p) {
        var s = new Object() {
            String kind, source, message;
            int count;
            List<String> items;
        };
        fields(p, (_, field, value) -> {
            switch (field) {
                case "kind" -> s.kind = StartJson.text(p, value);
                case "count" -> s.count = Math.toIntExact(StartJson.orZero(StartJson.number(p, value)));
                case "source" -> s.source = StartJson.text(p, value);
                case "items" -> s.items = list(p, value, q -> StartJson.text(q, q.currentToken()));
                case "message" -> s.message = StartJson.text(p, value);
                default -> p.skipChildren();
            }
        });
        if (s.items == null || s.message == null) throw new IllegalArgumentException("not a folder's trust: a skipped entry lacks items or message");
        return new TrustInfo.Skipped(s.kind, s.count, s.source, s.items, s.message);
    }

    private static TrustInfo.Item item(JsonParser p) {
        String[] v = new String[7];
        fields(p, (_, field, value) -> {
            int at = switch (field) {
                case "kind" -> 0;
                case "source" -> 1;
                case "name" -> 2;
                case "text" -> 3;
                case "status" -> 4;
                case "line" -> 5;
                case "hash" -> 6;
                default -> -1;
            };
            if (at < 0) p.skipChildren();
            else v[at] = StartJson.text(p, value);
        });
        return new TrustInfo.Item(v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
    }

    /** The properties of the object the parser stands at the start of. */
    private static void fields(JsonParser p, JsonFields.Field field) {
        if (p.currentToken() != JsonToken.START_OBJECT) throw new IllegalArgumentException("expected an object in a folder's trust");
        JsonFields.properties(p, field);
    }

    /** A JSON array of elements, each read by {@code element} with the parser on its first token; null for null. */
    private static <T> List<T> list(JsonParser p, JsonToken value, Function<JsonParser, T> element) {
        if (value == JsonToken.VALUE_NULL) return null;
        if (value != JsonToken.START_ARRAY) throw new IllegalArgumentException("expected an array for " + p.currentName());
        var out = new ArrayList<T>();
        while (p.nextToken() != JsonToken.END_ARRAY) out.add(element.apply(p));
        return out;
    }

    private static boolean flag(JsonParser p, JsonToken value) {
        if (value == JsonToken.VALUE_TRUE || value == JsonToken.VALUE_FALSE) return value == JsonToken.VALUE_TRUE;
        throw new IllegalArgumentException("expected true or false for " + p.currentName());
    }
}
