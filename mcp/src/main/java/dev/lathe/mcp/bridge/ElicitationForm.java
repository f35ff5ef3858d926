package dev.lathe.mcp.bridge;

import dev.lathe.protocol.event.Question;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An elicitation's {@code requestedSchema} read as questions: one {@link ElicitationField} per property, in the order
 * the server listed them. The schema MCP allows is a flat object of strings, numbers, integers, booleans and
 * (multi-select) enums; anything else (nested objects, arrays of non-enum items) is refused with {@link Unsupported},
 * which the client answers with {@code decline} rather than a half-filled form.
 */
record ElicitationForm(List<ElicitationField> fields) {
    ElicitationForm {
        fields = List.copyOf(fields);
    }

    /** The schema is not one MCP's form elicitation allows. */
    static final class Unsupported extends Exception {
        Unsupported(String message) { super(message, null, false, false); }
    }

    /** The questions for {@code pending} fields, each under {@code heading}, with what was wrong with the last answer. */
    List<Question> questions(String heading, List<ElicitationField> pending, Map<String, String> complaints) {
        return pending.stream().map(f -> f.question(heading, Optional.ofNullable(complaints.get(f.key())))).toList();
    }

    static ElicitationForm parse(Map<String, Object> schema) throws Unsupported {
        if (schema == null) return new ElicitationForm(List.of());
        Object type = schema.get("type");
        if (type != null && !"object".equals(type)) throw new Unsupported("the requested schema is not an object");
        Map<String, Object> properties = map(schema.get("properties"), "properties");
        List<String> required = strings(schema.get("required"), "required");
        List<ElicitationField> fields = new ArrayList<>();
        for (var e : properties.entrySet()) {
            fields.add(field(e.getKey(), map(e.getValue(), e.getKey()), required.contains(e.getKey())));
        }
        return new ElicitationForm(fields);
    }

    private static ElicitationField field(String key, Map<String, Object> p, boolean required) throws Unsupported {
        var label = new ElicitationField.Label(text(p.get("title")).orElse(key), text(p.get("description")), required);
        String type = text(p.get("type")).orElse(p.containsKey("enum") || p.containsKey("oneOf") ? "string" : "");
        return switch (type) {
            case "string" -> {
                if (p.containsKey("enum") || p.containsKey("oneOf")) {
                    Titled titled = titled(p, key);
                    yield new ElicitationField.Choice(key, label, titled.values(), titled.titles(), text(p.get("default")));
                }
                yield new ElicitationField.Text(key, label, text(p.get("default")), text(p.get("format")), integer(p.get("minLength")),
                        integer(p.get("maxLength")));
            }
            case "number", "integer" -> new ElicitationField.Number(key, label, type.equals("integer"), number(p.get("default")),
                    number(p.get("minimum")), number(p.get("maximum")));
            case "boolean" -> new ElicitationField.Flag(key, label, p.get("default") instanceof Boolean b ? Optional.of(b) : Optional.empty());
            case "array" -> {
                Titled titled = titled(map(p.get("items"), key + ".items"), key);
                yield new ElicitationField.Choices(key, label, titled.values(), titled.titles(), strings(p.get("default"), key + ".default"),
                        integer(p.get("minItems")), integer(p.get("maxItems")));
            }
            default -> throw new Unsupported("field " + key + " has type '" + type + "', which a form cannot ask for");
        };
    }

    private record Titled(List<String> values, List<String> titles) {}

    /** {@code enum} (with the legacy {@code enumNames} as titles) or {@code oneOf}/{@code anyOf} of {@code {const, title}}. */
    private static Titled titled(Map<String, Object> p, String key) throws Unsupported {
        if (p.get("enum") != null) {
            List<String> values = strings(p.get("enum"), key + ".enum");
            List<String> names = strings(p.get("enumNames"), key + ".enumNames");
            return new Titled(values, names.size() == values.size() ? names : values);
        }
        Object options = p.get("oneOf") != null ? p.get("oneOf") : p.get("anyOf");
        if (!(options instanceof List<?> list) || list.isEmpty()) throw new Unsupported("field " + key + " offers no choices");
        List<String> values = new ArrayList<>();
        List<String> titles = new ArrayList<>();
        for (Object o : list) {
            Map<String, Object> option = map(o, key);
            String value = text(option.get("const")).orElseThrow(() -> new Unsupported("a choice of " + key + " has no const"));
            values.add(value);
            titles.add(text(option.get("title")).orElse(value));
        }
        return new Titled(values, titles);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o, String what) throws Unsupported {
        if (o == null) return new LinkedHashMap<>();
        if (o instanceof Map<?, ?> m) return (Map<String, Object>) m;
        throw new Unsupported(what + " is not an object");
    }

    private static List<String> strings(Object o, String what) throws Unsupported {
        if (o == null) return List.of();
        if (!(o instanceof List<?> list)) throw new Unsupported(what + " is not a list");
        List<String> out = new ArrayList<>();
        for (Object x : list) out.add(String.valueOf(x));
        return out;
    }

    private static Optional<String> text(Object o) {
        return o == null ? Optional.empty() : Optional.of(String.valueOf(o));
    }

    private static Optional<Double> number(Object o) {
        return o instanceof java.lang.Number n ? Optional.of(n.doubleValue()) : Optional.empty();
    }

    private static Optional<Integer> integer(Object o) {
        return o instanceof java.lang.Number n ? Optional.of(n.intValue()) : Optional.empty();
    }
}
