package dev.lathe.llm.openai;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Rewrites a tool's JSON Schema for OpenAI strict mode ({@code "strict": true}), where the model's arguments are
 * guaranteed to match: every object lists all its properties as required and forbids others, so an optional property
 * becomes required-but-nullable; keywords strict mode rejects ({@code default}, length and range limits, formats) are
 * dropped. A schema strict mode cannot express — an object with free-form keys, a root that is not an object — gives
 * empty, and the tool is then sent without strict.
 */
public final class StrictSchema {
    private static final Set<String> DROPPED = Set.of("default", "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum",
            "exclusiveMaximum", "multipleOf", "format", "pattern", "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties",
            "$schema", "examples", "title");

    private StrictSchema() {}

    public static Optional<ObjectNode> of(JsonNode schema) {
        if (!schema.isObject() || !"object".equals(schema.path("type").asString(""))) return Optional.empty();
        try {
            return Optional.of((ObjectNode) convert(schema, false));
        } catch (NotStrict e) {
            return Optional.empty();
        }
    }

    private static final class NotStrict extends RuntimeException {
        NotStrict() { super(null, null, false, false); }
    }

    private static JsonNode convert(JsonNode node, boolean nullable) {
        if (!node.isObject()) return node;
        ObjectNode out = ((ObjectNode) node).deepCopy();
        DROPPED.forEach(out::remove);
        String type = out.path("type").isString() ? out.path("type").asString() : "";
        if (type.equals("object") || out.has("properties")) {
            JsonNode extra = out.path("additionalProperties");
            if (extra.isObject() || (extra.isBoolean() && extra.asBoolean())) throw new NotStrict();
            ObjectNode properties = out.path("properties").isObject() ? (ObjectNode) out.path("properties") : out.putObject("properties");
            Set<String> required = new java.util.HashSet<>();
            out.path("required").forEach(r -> required.add(r.asString()));
            ArrayNode all = out.putArray("required");
            List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(properties.properties());
            for (Map.Entry<String, JsonNode> p : entries) {
                properties.set(p.getKey(), convert(p.getValue(), !required.contains(p.getKey())));
                all.add(p.getKey());
            }
            out.put("additionalProperties", false);
        }
        if (out.path("items").isObject()) out.set("items", convert(out.path("items"), false));
        for (String union : List.of("anyOf", "oneOf")) {
            if (out.path(union).isArray()) {
                ArrayNode converted = out.putArray("anyOf");
                node.path(union).forEach(n -> converted.add(convert(n, false)));
                if (union.equals("oneOf")) out.remove("oneOf");
            }
        }
        if (nullable) makeNullable(out);
        return out;
    }

    /** An optional property: its type also admits {@code null}. */
    private static void makeNullable(ObjectNode schema) {
        JsonNode type = schema.path("type");
        if (type.isString()) {
            if (!type.asString().equals("null")) schema.putArray("type").add(type.asString()).add("null");
        } else if (type.isArray()) {
            boolean has = false;
            for (JsonNode t : type) has |= t.asString("").equals("null");
            if (!has) ((ArrayNode) type).add("null");
        } else if (schema.path("anyOf").isArray()) {
            ((ArrayNode) schema.path("anyOf")).addObject().put("type", "null");
        } else {
            throw new NotStrict();
        }
        if (schema.path("enum").isArray()) ((ArrayNode) schema.path("enum")).addNull();
    }
}
