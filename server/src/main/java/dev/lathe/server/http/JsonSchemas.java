package dev.lathe.server.http;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.wire.WireJson;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON Schemas (2020-12, as OpenAPI 3.1 uses them) of the protocol records, derived from the same declarations
 * Jackson maps: record components become properties ({@code Optional} ones are not required), sealed interfaces
 * with {@code @JsonTypeInfo} become {@code oneOf} with a discriminator, single-value records marked
 * {@code @JsonValue} (ids) and enums become strings. Named schemas collect in {@link #components()}.
 */
final class JsonSchemas {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private final Map<String, ObjectNode> components = new TreeMap<>();
    private final Map<Class<?>, String> names = new LinkedHashMap<>();

    /** The schema of {@code type}: inline for simple types, a {@code $ref} into the components for records and unions. */
    ObjectNode of(Type type) {
        if (type instanceof ParameterizedType p) return parameterized(p);
        if (!(type instanceof Class<?> c)) return JSON.objectNode();
        if (c == String.class || c == char.class || c == Character.class) return simple("string");
        if (c == int.class || c == Integer.class || c == long.class || c == Long.class || c == short.class || c == Short.class) {
            return simple("integer");
        }
        if (c == double.class || c == Double.class || c == float.class || c == Float.class) return simple("number");
        if (c == boolean.class || c == Boolean.class) return simple("boolean");
        if (c == Object.class || c == RawJson.class) return JSON.objectNode();
        if (c.isEnum()) return enumeration(c);
        if (c.isArray()) return array(of(c.getComponentType()));
        Optional<RecordComponent> value = valueComponent(c);
        if (value.isPresent()) return of(value.get().getGenericType());
        if (c.isRecord() || c.isSealed()) return ref(c);
        return JSON.objectNode();
    }

    Map<String, ObjectNode> components() { return components; }

    private ObjectNode parameterized(ParameterizedType p) {
        Class<?> raw = (Class<?>) p.getRawType();
        Type[] args = p.getActualTypeArguments();
        if (raw == Optional.class) return of(args[0]);
        if (Collection.class.isAssignableFrom(raw)) return array(of(args[0]));
        if (Map.class.isAssignableFrom(raw)) {
            ObjectNode map = simple("object");
            map.set("additionalProperties", of(args[1]));
            return map;
        }
        return of(raw);
    }

    private ObjectNode ref(Class<?> c) {
        String name = names.get(c);
        if (name == null) {
            name = uniqueName(c);
            names.put(c, name);
            components.put(name, JSON.objectNode());  // placeholder: breaks cycles
            components.put(name, c.isSealed() ? union(c) : record(c, Optional.empty()));
        }
        return JSON.objectNode().put("$ref", "#/components/schemas/" + name);
    }

    private ObjectNode union(Class<?> sealed) {
        ObjectNode schema = JSON.objectNode();
        ArrayNode oneOf = schema.putArray("oneOf");
        JsonTypeInfo info = sealed.getAnnotation(JsonTypeInfo.class);
        JsonSubTypes subtypes = sealed.getAnnotation(JsonSubTypes.class);
        if (info != null && subtypes != null && info.use() == JsonTypeInfo.Id.NAME) {
            String property = info.property().isEmpty() ? "@type" : info.property();
            ObjectNode mapping = JSON.objectNode();
            for (JsonSubTypes.Type sub : subtypes.value()) {
                String name = uniqueName(sub.value());
                names.putIfAbsent(sub.value(), name);
                components.put(names.get(sub.value()), JSON.objectNode());
                components.put(names.get(sub.value()), record(sub.value(), Optional.of(new Discriminator(property, sub.name()))));
                String refPath = "#/components/schemas/" + names.get(sub.value());
                oneOf.addObject().put("$ref", refPath);
                mapping.put(sub.name(), refPath);
            }
            schema.putObject("discriminator").put("propertyName", property).set("mapping", mapping);
        } else {
            for (Class<?> sub : sealed.getPermittedSubclasses()) oneOf.add(of(sub));
        }
        return schema;
    }

    private record Discriminator(String property, String value) {}

    private ObjectNode record(Class<?> c, Optional<Discriminator> discriminator) {
        ObjectNode schema = simple("object");
        ObjectNode properties = schema.putObject("properties");
        ArrayNode required = JSON.arrayNode();
        discriminator.ifPresent(d -> {
            properties.putObject(d.property()).put("const", d.value());
            required.add(d.property());
        });
        if (c.isRecord()) {
            for (RecordComponent rc : c.getRecordComponents()) {
                if (rc.isAnnotationPresent(JsonIgnore.class) || rc.getAccessor().isAnnotationPresent(JsonIgnore.class)) continue;
                JsonProperty renamed = rc.getAnnotation(JsonProperty.class);
                String name = renamed != null && !renamed.value().isEmpty() ? renamed.value() : rc.getName();
                properties.set(name, of(rc.getGenericType()));
                if (rc.getType() != Optional.class && !omittedWhenEmpty(c, rc)) required.add(name);
            }
        }
        if (!required.isEmpty()) schema.set("required", required);
        return schema;
    }

    /**
     * Whether the server leaves {@code rc} out of the JSON when it is empty or its default ({@code @JsonInclude} other
     * than {@code ALWAYS} on the component or its record): a reader must not require it (issue 82: {@code quota} typed
     * required made {@code usage.quota.length} pass {@code tsc --strict} and throw on a real answer).
     */
    private static boolean omittedWhenEmpty(Class<?> record, RecordComponent rc) {
        JsonInclude own = rc.getAccessor().getAnnotation(JsonInclude.class);
        JsonInclude include = own != null ? own : record.getAnnotation(JsonInclude.class);
        return include != null && include.value() != JsonInclude.Include.ALWAYS && include.value() != JsonInclude.Include.USE_DEFAULTS;
    }

    private ObjectNode enumeration(Class<?> c) {
        ObjectNode schema = simple("string");
        ArrayNode values = schema.putArray("enum");
        for (Object constant : c.getEnumConstants()) {
            String json = WireJson.write(constant);
            values.add(json.startsWith("\"") ? json.substring(1, json.length() - 1) : json);
        }
        return schema;
    }

    private static Optional<RecordComponent> valueComponent(Class<?> c) {
        if (!c.isRecord() || c.getRecordComponents().length != 1) return Optional.empty();
        RecordComponent only = c.getRecordComponents()[0];
        boolean marked = only.isAnnotationPresent(JsonValue.class) || only.getAccessor().isAnnotationPresent(JsonValue.class);
        return marked ? Optional.of(only) : Optional.empty();
    }

    /** {@code Session}, or {@code PartText} for the nested {@code Part.Text} (so it cannot clash with {@code InputPart.Text}). */
    private static String uniqueName(Class<?> c) {
        String name = c.getName().substring(c.getPackageName().length() + 1);
        return name.replace("$", "");
    }

    private static ObjectNode simple(String type) { return JSON.objectNode().put("type", type); }

    private static ObjectNode array(ObjectNode items) {
        ObjectNode schema = simple("array");
        schema.set("items", items);
        return schema;
    }
}
