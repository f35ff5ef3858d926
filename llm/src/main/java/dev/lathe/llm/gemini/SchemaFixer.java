package dev.lathe.llm.gemini;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Rewrites a tool's JSON Schema into the OpenAPI 3.0 subset Gemini accepts for {@code functionDeclarations[].parameters}.
 * Gemini rejects the whole request for one unknown keyword, so only the keywords its {@code Schema} knows survive:
 * {@code $ref} is inlined from {@code $defs}/{@code definitions} (a cycle becomes an unconstrained node), {@code allOf}
 * is merged, {@code oneOf} becomes {@code anyOf}, {@code const} an {@code enum}, {@code "null"} in a type list or a
 * union becomes {@code nullable}. Gemini also insists on some shapes: enum values are strings (a number enum is
 * dropped and its values named in the description instead, so arguments keep their type), every {@code ARRAY} has
 * {@code items}, {@code properties}/{@code required} appear only on objects and {@code required} names only existing
 * properties, no {@code properties} map is empty, and every node has a type (an unconstrained one becomes
 * {@code STRING}: the model can still write any value as text).
 */
final class SchemaFixer {
    /** Keywords copied as they are; everything not listed here or handled below is dropped. */
    private static final Set<String> KEPT = Set.of("title", "description", "minimum", "maximum", "minLength", "maxLength",
            "pattern", "minItems", "maxItems", "minProperties", "maxProperties");
    private static final Map<String, Set<String>> FORMATS = Map.of(
            "STRING", Set.of("enum", "date-time"), "NUMBER", Set.of("float", "double"), "INTEGER", Set.of("int32", "int64"));
    private static final Set<String> TYPES = Set.of("STRING", "NUMBER", "INTEGER", "BOOLEAN", "ARRAY", "OBJECT");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final JsonNode root;
    private final Deque<String> resolving = new ArrayDeque<>();

    private SchemaFixer(JsonNode root) {
        this.root = root;
    }

    /**
     * The {@code parameters} of a function declaration, or empty for a tool without arguments: Gemini rejects an
     * object schema with no properties there, and a declaration without {@code parameters} means "no arguments".
     */
    static Optional<ObjectNode> parameters(JsonNode schema) {
        ObjectNode fixed = fix(schema);
        return fixed.path("properties").isObject() && !fixed.path("properties").isEmpty() ? Optional.of(fixed) : Optional.empty();
    }

    /** The schema in Gemini's dialect. */
    static ObjectNode fix(JsonNode schema) {
        return new SchemaFixer(schema).convert(schema);
    }

    private ObjectNode convert(JsonNode node) {
        if (!node.isObject()) return typed("STRING"); // `true` or garbage: anything goes
        if (node.path("$ref").isString()) return reference(node);
        if (node.path("allOf").isArray()) return convert(mergeAllOf(node));
        JsonNode union = node.path("anyOf").isArray() ? node.path("anyOf") : node.path("oneOf");
        if (union.isArray()) return union(node, union);
        List<String> types = types(node);
        boolean nullable = types.remove("null") | enumAdmitsNull(node);
        if (types.size() > 1) {
            ArrayNode variants = NODES.arrayNode();
            for (String t : types) variants.add(convert(((ObjectNode) node.deepCopy()).put("type", t)));
            return nullable(describedUnion(node, variants), nullable);
        }
        return nullable(single(node, types.isEmpty() ? inferredType(node) : types.getFirst().toUpperCase(Locale.ROOT)), nullable);
    }

    /** A schema of one type (or none yet known), with the keywords that belong to that type. */
    private ObjectNode single(JsonNode node, String type) {
        ObjectNode out = NODES.objectNode();
        node.properties().forEach(e -> { if (KEPT.contains(e.getKey())) out.set(e.getKey(), e.getValue()); });
        JsonNode values = node.has("const") ? NODES.arrayNode().add(node.path("const")) : node.path("enum");
        if (values.isArray()) type = enumeration(out, values, type);
        if (!TYPES.contains(type)) type = "STRING";
        out.put("type", type);
        String format = node.path("format").asString("");
        if (FORMATS.getOrDefault(type, Set.of()).contains(format)) out.put("format", format);
        switch (type) {
            case "OBJECT" -> object(node, out);
            case "ARRAY" -> out.set("items", items(node));
            default -> { }
        }
        return out;
    }

    private void object(JsonNode node, ObjectNode out) {
        ObjectNode properties = NODES.objectNode();
        node.path("properties").properties().forEach(e -> properties.set(e.getKey(), convert(e.getValue())));
        if (properties.isEmpty()) return; // Gemini: "properties should be non-empty for OBJECT type"
        out.set("properties", properties);
        ArrayNode required = NODES.arrayNode();
        for (JsonNode r : node.path("required")) {
            if (r.isString() && properties.has(r.asString())) required.add(r.asString());
        }
        if (!required.isEmpty()) out.set("required", required);
    }

    /** Gemini needs {@code items} on every array; a tuple's positions are folded into one element schema. */
    private ObjectNode items(JsonNode node) {
        JsonNode items = node.path("items");
        if (items.isObject()) return convert(items);
        JsonNode tuple = items.isArray() ? items : node.path("prefixItems");
        if (tuple.isArray() && !tuple.isEmpty()) {
            List<ObjectNode> positions = new ArrayList<>();
            for (JsonNode p : tuple) {
                ObjectNode c = convert(p);
                if (!positions.contains(c)) positions.add(c);
            }
            if (positions.size() == 1) return positions.getFirst();
            ObjectNode any = NODES.objectNode();
            any.putArray("anyOf").addAll(positions);
            return any;
        }
        return typed("STRING");
    }

    /** Keeps the enum when its values can be strings; returns the type the node ends up with. */
    private static String enumeration(ObjectNode out, JsonNode values, String type) {
        List<JsonNode> kept = new ArrayList<>();
        for (JsonNode v : values) if (!v.isNull()) kept.add(v);
        if (kept.isEmpty()) return type;
        boolean strings = kept.stream().allMatch(JsonNode::isString);
        if (strings || type.equals("STRING")) {
            ArrayNode e = out.putArray("enum");
            kept.forEach(v -> e.add(v.isString() ? v.asString() : v.toString()));
            return "STRING";
        }
        // enum values must be strings; a number or boolean enum keeps its type and is described instead
        String listed = String.join(", ", kept.stream().map(JsonNode::toString).toList());
        String description = out.path("description").asString("");
        out.put("description", (description.isBlank() ? "" : description.strip() + " ") + "Allowed values: " + listed + ".");
        if (!TYPES.contains(type)) {
            boolean integers = kept.stream().allMatch(JsonNode::isIntegralNumber);
            return integers ? "INTEGER" : kept.stream().allMatch(JsonNode::isNumber) ? "NUMBER"
                    : kept.stream().allMatch(JsonNode::isBoolean) ? "BOOLEAN" : "STRING";
        }
        return type;
    }

    private ObjectNode union(JsonNode node, JsonNode union) {
        List<JsonNode> variants = new ArrayList<>();
        boolean nullable = false;
        for (JsonNode v : union) {
            if (v.path("type").asString("").equals("null")) nullable = true;
            else variants.add(v);
        }
        if (variants.isEmpty()) return nullable(single(node, inferredType(node)), true);
        if (variants.size() == 1) {
            // `anyOf: [X, {type: null}]`: just a nullable X, keeping the outer description
            ObjectNode x = withSiblings(node, variants.getFirst(), List.of("title", "description"));
            return nullable(convert(x), nullable);
        }
        ArrayNode converted = NODES.arrayNode();
        for (JsonNode v : variants) converted.add(convert(withSiblings(node, v, List.of())));
        return nullable(describedUnion(node, converted), nullable);
    }

    /**
     * A union branch inherits the outer node's type-specific keywords ({@code {"type":"object","properties":..,
     * "anyOf":[{"required":[..]}, ..]}}) plus {@code extra}; a reference branch takes only {@code extra}.
     */
    private static ObjectNode withSiblings(JsonNode outer, JsonNode variant, List<String> extra) {
        if (!variant.isObject()) return NODES.objectNode().put("type", "STRING");
        ObjectNode merged = ((ObjectNode) variant).deepCopy();
        // a reference brings its own type: only the outer description may travel into it
        List<String> inherited = new ArrayList<>(variant.has("$ref") ? List.of() : List.of("type", "properties", "required", "items", "enum", "format"));
        inherited.addAll(extra);
        for (String k : inherited) if (outer.has(k) && !merged.has(k)) merged.set(k, outer.path(k));
        return merged;
    }

    private static ObjectNode describedUnion(JsonNode node, ArrayNode variants) {
        ObjectNode out = NODES.objectNode();
        for (String k : List.of("title", "description")) if (node.has(k)) out.set(k, node.path(k));
        out.set("anyOf", variants);
        return out;
    }

    private ObjectNode reference(JsonNode node) {
        String ref = node.path("$ref").asString();
        JsonNode target = resolve(ref);
        ObjectNode siblings = ((ObjectNode) node).deepCopy();
        siblings.remove("$ref");
        if (target == null || resolving.contains(ref)) {
            // unknown or recursive: Gemini has no references, so the node stays unconstrained
            return single(siblings, "STRING");
        }
        resolving.push(ref);
        try {
            ObjectNode merged = target.isObject() ? ((ObjectNode) target).deepCopy() : NODES.objectNode();
            siblings.properties().forEach(e -> merged.set(e.getKey(), e.getValue())); // a local description wins
            return convert(merged);
        } finally {
            resolving.pop();
        }
    }

    /** {@code #/$defs/Name}, {@code #/definitions/Name} or any other local JSON pointer. */
    private JsonNode resolve(String ref) {
        if (!ref.startsWith("#")) return null;
        JsonNode target = root.at(ref.substring(1));
        return target.isMissingNode() ? null : target;
    }

    private static JsonNode mergeAllOf(JsonNode node) {
        ObjectNode merged = ((ObjectNode) node).deepCopy();
        merged.remove("allOf");
        Set<String> required = new LinkedHashSet<>();
        node.path("required").forEach(r -> required.add(r.asString("")));
        for (JsonNode part : node.path("allOf")) {
            if (!part.isObject()) continue;
            part.properties().forEach(e -> {
                switch (e.getKey()) {
                    case "properties" -> {
                        ObjectNode into = merged.path("properties").isObject() ? (ObjectNode) merged.path("properties") : merged.putObject("properties");
                        e.getValue().properties().forEach(p -> { if (!into.has(p.getKey())) into.set(p.getKey(), p.getValue()); });
                    }
                    case "required" -> e.getValue().forEach(r -> required.add(r.asString("")));
                    default -> { if (!merged.has(e.getKey())) merged.set(e.getKey(), e.getValue()); }
                }
            });
        }
        if (!required.isEmpty()) {
            ArrayNode r = merged.putArray("required");
            required.forEach(r::add);
        }
        return merged;
    }

    private static List<String> types(JsonNode node) {
        List<String> out = new ArrayList<>();
        JsonNode type = node.path("type");
        if (type.isString()) out.add(type.asString());
        for (JsonNode t : type) if (t.isString() && !out.contains(t.asString())) out.add(t.asString());
        return out;
    }

    private static String inferredType(JsonNode node) {
        if (node.has("properties")) return "OBJECT";
        if (node.has("items") || node.has("prefixItems")) return "ARRAY";
        return "";
    }

    private static boolean enumAdmitsNull(JsonNode node) {
        for (JsonNode v : node.path("enum")) if (v.isNull()) return true;
        return node.has("const") && node.path("const").isNull();
    }

    private static ObjectNode nullable(ObjectNode schema, boolean nullable) {
        if (nullable) schema.put("nullable", true);
        return schema;
    }

    private static ObjectNode typed(String type) {
        return NODES.objectNode().put("type", type);
    }
}
