package dev.lathe.llm.catalog;

import dev.lathe.llm.Pricing;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads one catalog provider's slice ({@link CatalogIndex}) in a streaming pass, keeping only the fields Lathe uses and
 * skipping the rest (input modalities, knowledge dates, options, … — about half of the file) without building a tree of them.
 */
final class CatalogReader {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private CatalogReader() {}

    /** The JSON string at {@code json[offset, offset + length)}, escapes decoded. */
    static String string(byte[] json, int offset, int length) { return JSON.readValue(json, offset, length, String.class); }

    /** The provider in {@code slice} of {@code json} (see {@link CatalogIndex}); empty when it has no models (not a provider). */
    static Optional<CatalogProvider> provider(String id, byte[] json, CatalogIndex.Slice slice) {
        try (JsonParser p = JSON.createParser(json, slice.start(), slice.end() - slice.start())) {
            if (p.nextToken() != JsonToken.START_OBJECT) return Optional.empty();
            return provider(id, p);
        }
    }

    /** At the provider's START_OBJECT; empty when it has no {@code models} object (not a provider). */
    private static Optional<CatalogProvider> provider(String id, JsonParser p) {
        String name = id;
        String npm = "";
        Optional<String> api = Optional.empty();
        List<String> env = new ArrayList<>();
        Map<String, CatalogModel> models = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "name" -> name = string(p, value).orElse(id);
                case "npm" -> npm = string(p, value).orElse("");
                case "api" -> api = text(p, value);
                case "env" -> {
                    if (value == JsonToken.START_ARRAY) {
                        while (p.nextToken() != JsonToken.END_ARRAY) string(p, p.currentToken()).ifPresent(env::add);
                    } else p.skipChildren();
                }
                case "models" -> {
                    if (value == JsonToken.START_OBJECT) models = models(p);
                    else p.skipChildren();
                }
                default -> p.skipChildren();
            }
        }
        return models == null ? Optional.empty() : Optional.of(new CatalogProvider(id, name, npm, api, List.copyOf(env), models));
    }

    private static Map<String, CatalogModel> models(JsonParser p) {
        Map<String, CatalogModel> out = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String id = p.currentName();
            if (p.nextToken() == JsonToken.START_OBJECT) out.put(id, model(id, p));
            else p.skipChildren();
        }
        return out;
    }

    private static CatalogModel model(String key, JsonParser p) {
        String id = key;
        String name = key;
        int context = 0;
        int output = 0;
        Pricing pricing = Pricing.UNKNOWN;
        boolean reasoning = false;
        boolean toolCall = false;
        boolean attachment = false;
        Map<String, String> override = Map.of();
        Optional<String> family = Optional.empty();
        String released = "";
        List<String> outputs = List.of();
        boolean deprecated = false;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "id" -> id = string(p, value).orElse(key);
                case "name" -> name = string(p, value).orElse(key);
                case "reasoning" -> reasoning = p.getValueAsBoolean(false);
                case "tool_call" -> toolCall = p.getValueAsBoolean(false);
                case "attachment" -> attachment = p.getValueAsBoolean(false);
                case "limit" -> {
                    Map<String, String> limit = scalars(p, value);
                    context = integer(limit.get("context"));
                    output = integer(limit.get("output"));
                }
                case "cost" -> {
                    if (value == JsonToken.START_OBJECT) {
                        Map<String, String> cost = scalars(p, value);
                        pricing = new Pricing(number(cost.get("input")), number(cost.get("output")), number(cost.get("cache_read")),
                                number(cost.get("cache_write")));
                    } else p.skipChildren();
                }
                case "provider" -> override = scalars(p, value);
                case "family" -> family = text(p, value);
                case "release_date" -> released = string(p, value).orElse("");
                case "status" -> deprecated = string(p, value).filter("deprecated"::equals).isPresent();
                case "modalities" -> outputs = outputs(p, value);
                default -> p.skipChildren();
            }
        }
        return new CatalogModel(id, name, context, output, pricing, reasoning, toolCall, attachment, nonBlank(override.get("npm")),
                nonBlank(override.get("api")), nonBlank(override.get("shape")), family, released, outputs, deprecated);
    }

    /** {@code modalities.output}: the strings of that array; the rest of the object is skipped. */
    private static List<String> outputs(JsonParser p, JsonToken value) {
        if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
            return List.of();
        }
        List<String> out = new ArrayList<>();
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            if (field.equals("output") && v == JsonToken.START_ARRAY) {
                while (p.nextToken() != JsonToken.END_ARRAY) string(p, p.currentToken()).ifPresent(out::add);
            } else p.skipChildren();
        }
        return List.copyOf(out);
    }

    /** The scalar fields of a small object (limits, costs, a provider override) as text; nested values are skipped. */
    private static Map<String, String> scalars(JsonParser p, JsonToken value) {
        if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            if (v.isScalarValue() && v != JsonToken.VALUE_NULL) out.put(field, p.getString());
            else p.skipChildren();
        }
        return out;
    }

    private static Optional<String> string(JsonParser p, JsonToken value) {
        if (value == JsonToken.VALUE_STRING) return Optional.of(p.getString());
        p.skipChildren();
        return Optional.empty();
    }

    private static Optional<String> text(JsonParser p, JsonToken value) { return string(p, value).filter(s -> !s.isBlank()); }

    private static Optional<String> nonBlank(String s) { return Optional.ofNullable(s).filter(v -> !v.isBlank()); }

    private static int integer(String s) {
        try {
            return s == null ? 0 : (int) Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static double number(String s) {
        try {
            return s == null ? 0 : Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
