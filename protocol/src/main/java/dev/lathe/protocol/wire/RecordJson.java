package dev.lathe.protocol.wire;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import java.io.StringWriter;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.json.JsonFactory;

/**
 * The protocol's records read from JSON with Jackson's streaming parser and a little reflection, without the
 * data-binding mapper: how a {@code lathe run} client reads its events and answers (issue 70, decision 540). The
 * mapper's 750 classes were a quarter of the client's and, through its AOT cache, ~8 MiB of its peak. It reads what
 * {@link dev.lathe.protocol.wire.WireJson} reads, by the same annotations: a record's components by name (unknown
 * fields ignored; an absent one empty, zero, false or null), {@code @JsonTypeInfo}/{@code @JsonSubTypes} type ids (an
 * unknown id null under {@code defaultImpl = Void.class}, else an error), {@code @JsonValue} records built by their
 * delegating constructor, enums by their {@code @JsonCreator} or name, {@link RawJson} as the value's compact text.
 * A type outside that ({@link Unsupported}) is for the caller to read with the mapper; {@code RecordJsonTest} compares
 * the two over every event.
 */
public final class RecordJson {
    private static final JsonFactory JSON = new JsonFactory();

    /** Thrown for a type this reader does not cover (never for the JSON): read it with the mapper instead. */
    public static final class Unsupported extends RuntimeException {
        Unsupported(String message) {
            super(message, null, false, false);
        }
    }

    private static final Object ABSENT = new Object();
    /**
     * Each record's and enum's binding, found once per class (issue 70): reflection hands out new component objects, parses
     * their generic signatures and annotations again at every call, which made every event's decoding pay for it and,
     * over a long session, compiled the JDK's signature parser and annotation proxies into the client.
     */
    private static final Map<Class<?>, Shape> SHAPES = new ConcurrentHashMap<>();
    private static final Map<Class<?>, Optional<Method>> ENUM_CREATORS = new ConcurrentHashMap<>();

    /** A record's canonical constructor, its components' names and generic types, which are ignored, whether it is an id. */
    private record Shape(Constructor<?> constructor, String[] names, Type[] types, boolean[] ignored, boolean value) {
        static Shape of(Class<?> c) {
            RecordComponent[] components = c.getRecordComponents();
            int n = components.length;
            String[] names = new String[n];
            Type[] types = new Type[n];
            boolean[] ignored = new boolean[n];
            for (int i = 0; i < n; i++) {
                RecordComponent rc = components[i];
                names[i] = rc.getName();
                types[i] = rc.getGenericType();
                ignored[i] = rc.isAnnotationPresent(JsonIgnore.class) || rc.getAccessor().isAnnotationPresent(JsonIgnore.class);
            }
            boolean value = n == 1 && (components[0].getAccessor().isAnnotationPresent(JsonValue.class) || components[0].isAnnotationPresent(JsonValue.class));
            return new Shape(canonical(c), names, types, ignored, value);
        }
    }

    private RecordJson() {}

    /** An event as {@code GET /events} sends it, the envelope's fields beside the event's. */
    public static EventEnvelope envelope(String json) {
        try {
            return envelope(tree(json));
        } catch (Unsupported e) {
            return WireJson.readEnvelope(json);  // an event RecordJsonTest would have failed on: the mapper's reading
        }
    }

    private static EventEnvelope envelope(Object tree) {
        if (!(tree instanceof Map<?, ?> fields)) throw new IllegalArgumentException("not an event: not a JSON object");
        long seq = asLong(fields.get("seq"));
        long at = asLong(fields.get("at"));
        Object directory = fields.get("directory");
        Event event = (Event) bind(tree, Event.class);
        if (event == null) throw new IllegalArgumentException("not an event: null");
        return new EventEnvelope(seq, at, Optional.ofNullable(directory == null ? null : (String) bind(directory, String.class)), event);
    }

    /** The mapper's {@code JsonNode.asLong()}: a number's whole part, a string's number, 0 for anything else. */
    private static long asLong(Object node) {
        if (node instanceof Number n) return n.longValue();
        if (node instanceof String s) {
            try {
                return new BigDecimal(s.strip()).longValue();
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    /** {@code json} as {@code type} (a class, or a generic type such as {@code Map<String, SessionStatus>}). */
    @SuppressWarnings("unchecked")
    public static <T> T read(String json, Type type) {
        Object tree = tree(json);
        try {
            return (T) bind(tree, type);
        } catch (Unsupported e) {
            try {
                return WireJson.mapper().readValue(json, WireJson.mapper().constructType(type));
            } catch (JacksonException mismatch) {
                throw new IllegalArgumentException(mismatch.getOriginalMessage(), mismatch);
            }
        }
    }

    /** The JSON as maps, lists, strings, numbers, booleans and {@code null}: one pass of the streaming parser. */
    private static Object tree(String json) {
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() == null) throw new IllegalArgumentException("no JSON value");
            return value(p);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static Object value(JsonParser p) {
        return switch (p.currentToken()) {
            case START_OBJECT -> {
                var fields = new LinkedHashMap<String, Object>();
                while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    fields.put(name, value(p));
                }
                yield fields;
            }
            case START_ARRAY -> {
                var items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) items.add(value(p));
                yield items;
            }
            case VALUE_STRING -> p.getString();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getNumberValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new IllegalArgumentException("unexpected " + p.currentToken());
        };
    }

    private static Object bind(Object node, Type type) {
        if (type instanceof ParameterizedType generic) return bindGeneric(node, generic);
        if (!(type instanceof Class<?> c)) throw new Unsupported("type " + type);
        if (c.isPrimitive()) return primitive(node, c);
        if (node == ABSENT || node == null) return c == Optional.class ? Optional.empty() : null;
        if (c == String.class) return string(node);
        if (c == Long.class || c == Integer.class || c == Boolean.class || c == Double.class) return primitive(node, unboxed(c));
        if (c == RawJson.class) return new RawJson(compact(node));
        if (c.isArray()) {
            List<?> items = list(node);
            Object array = Array.newInstance(c.getComponentType(), items.size());
            for (int i = 0; i < items.size(); i++) Array.set(array, i, bind(items.get(i), c.getComponentType()));
            return array;
        }
        if (c.isEnum()) return enumValue(node, c);
        JsonTypeInfo typeInfo = c.getAnnotation(JsonTypeInfo.class);
        if (typeInfo != null) return subtype(node, c, typeInfo);
        if (c.isRecord()) return record(node, c);
        throw new Unsupported("type " + c.getName());
    }

    private static Object bindGeneric(Object node, ParameterizedType generic) {
        Type[] args = generic.getActualTypeArguments();
        Class<?> raw = (Class<?>) generic.getRawType();
        if (raw == Optional.class) return node == ABSENT || node == null ? Optional.empty() : Optional.ofNullable(bind(node, args[0]));
        if (node == ABSENT || node == null) return null;
        if (raw == List.class || raw == Collection.class || raw == Set.class) {
            Collection<Object> out = raw == Set.class ? new HashSet<>() : new ArrayList<>();
            for (Object item : list(node)) out.add(bind(item, args[0]));
            return out;
        }
        if (raw == Map.class && args[0] == String.class) {
            if (!(node instanceof Map<?, ?> fields)) throw new IllegalArgumentException("expected an object, not " + describe(node));
            var out = new LinkedHashMap<String, Object>();
            fields.forEach((k, v) -> out.put((String) k, bind(v, args[1])));
            return out;
        }
        throw new Unsupported("type " + generic);
    }

    private static Object subtype(Object node, Class<?> c, JsonTypeInfo typeInfo) {
        if (typeInfo.use() != JsonTypeInfo.Id.NAME || typeInfo.include() != JsonTypeInfo.As.PROPERTY) throw new Unsupported("type ids of " + c);
        if (!(node instanceof Map<?, ?> fields)) throw new IllegalArgumentException("expected an object for " + c.getSimpleName() + ", not " + describe(node));
        Object id = fields.get(typeInfo.property());
        for (JsonSubTypes.Type sub : c.getAnnotation(JsonSubTypes.class).value()) {
            if (sub.name().equals(id)) return bind(node, sub.value());
        }
        if (typeInfo.defaultImpl() == Void.class) return null;
        throw new IllegalArgumentException("unknown " + typeInfo.property() + " '" + id + "' of " + c.getSimpleName());
    }

    private static Object record(Object node, Class<?> c) {
        Shape shape = SHAPES.computeIfAbsent(c, Shape::of);
        Object[] args = new Object[shape.names().length];
        if (shape.value()) {
            args[0] = bind(node, shape.types()[0]);  // an id: the value itself (@JsonValue, a delegating creator)
        } else {
            if (!(node instanceof Map<?, ?> fields)) throw new IllegalArgumentException("expected an object for " + c.getSimpleName() + ", not " + describe(node));
            for (int i = 0; i < args.length; i++) {
                String name = shape.names()[i];
                Object value = !shape.ignored()[i] && fields.containsKey(name) ? fields.get(name) : ABSENT;
                args[i] = bind(value, shape.types()[i]);
            }
        }
        try {
            return shape.constructor().newInstance(args);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("not a " + c.getSimpleName() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new Unsupported("cannot build " + c.getName() + ": " + e);
        }
    }

    /**
     * Thrown when a tool call's arguments are outside what {@link #arguments} binds exactly: the caller reads them with
     * the mapper, as before, whose path words what is wrong. Without a stack: the fallback is an answer, not a fault.
     */
    public static final class NotExact extends RuntimeException {
        private static final NotExact INSTANCE = new NotExact();

        private NotExact() {
            super("not an exact match", null, false, false);
        }
    }

    /** How {@link #arguments} builds one record: its canonical constructor, its components by name, their absent values. */
    private record Plan(Constructor<?> constructor, Map<String, Integer> index, Type[] types, Object[] absent) {}

    /** A {@link Plan}, or {@link #NO_PLAN} for a class {@link #arguments} leaves to the mapper. */
    private static final Map<Class<?>, Object> PLANS = new ConcurrentHashMap<>();
    private static final Object NO_PLAN = new Object();

    /**
     * A tool call's arguments, one JSON object, bound straight from the parser into {@code type} with no tree between
     * (issue 70; the mapper's tree and then its record creator were ~3 % of a read step's samples). It binds exact
     * shapes only: a string where a {@code String} goes, an integer token in range for an {@code int} or {@code long},
     * {@code true}/{@code false}, an array for a {@code List}, an object for a record, {@code Optional} of those; a
     * {@code null} at the top level is an argument not given (OpenAI strict mode sends optional arguments so). Anything
     * else is {@link NotExact}: JSON the parser refuses, text after the object, a name the record does not have or given
     * twice, a value the mapper would convert (a number for a string, {@code "5"} for a number), a {@code null} inside, a
     * record with Jackson annotations or a type outside these, the record's own check failing, or a name of
     * {@code required} not given. So what it returns is what the mapper would, and every refusal is the mapper's.
     */
    public static <R extends Record> R arguments(String json, Class<R> type, List<String> required) {
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw NotExact.INSTANCE;
            R out = type.cast(exactRecord(p, type, required));
            if (p.nextToken() != null) throw NotExact.INSTANCE;
            return out;
        } catch (JacksonException e) {
            throw NotExact.INSTANCE;
        }
    }

    /** The record of the object the parser is at; {@code required} non-null for the top level only. */
    private static Object exactRecord(JsonParser p, Class<?> c, List<String> required) {
        if (!(PLANS.computeIfAbsent(c, RecordJson::plan) instanceof Plan plan)) throw NotExact.INSTANCE;
        Object[] args = plan.absent().clone();
        long given = 0;
        long nonNull = 0;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            Integer at = plan.index().get(p.currentName());
            if (at == null || (given & 1L << at) != 0) throw NotExact.INSTANCE;
            given |= 1L << at;
            if (p.nextToken() == JsonToken.VALUE_NULL) {
                if (required == null) throw NotExact.INSTANCE;
                continue;
            }
            args[at] = exact(p, plan.types()[at]);
            nonNull |= 1L << at;
        }
        if (required != null) {
            for (String name : required) {
                Integer at = plan.index().get(name);
                if (at == null || (nonNull & 1L << at) == 0) throw NotExact.INSTANCE;
            }
        }
        try {
            return plan.constructor().newInstance(args);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw NotExact.INSTANCE;
        }
    }

    /** The value the parser is at, as {@code type}; never null. */
    private static Object exact(JsonParser p, Type type) {
        JsonToken token = p.currentToken();
        if (type instanceof ParameterizedType generic) {
            Type item = generic.getActualTypeArguments()[0];
            if (generic.getRawType() == Optional.class) return Optional.of(exact(p, item));
            if (token != JsonToken.START_ARRAY) throw NotExact.INSTANCE;
            var items = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (p.currentToken() == JsonToken.VALUE_NULL) throw NotExact.INSTANCE;
                items.add(exact(p, item));
            }
            return items;
        }
        if (type == String.class && token == JsonToken.VALUE_STRING) return p.getString();
        if ((type == int.class || type == Integer.class) && token == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
            return p.getIntValue();
        }
        if ((type == long.class || type == Long.class) && token == JsonToken.VALUE_NUMBER_INT
                && (p.getNumberType() == JsonParser.NumberType.INT || p.getNumberType() == JsonParser.NumberType.LONG)) {
            return p.getLongValue();
        }
        if ((type == boolean.class || type == Boolean.class) && (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE)) {
            return token == JsonToken.VALUE_TRUE;
        }
        if (type instanceof Class<?> c && c.isRecord() && token == JsonToken.START_OBJECT) return exactRecord(p, c, null);
        throw NotExact.INSTANCE;
    }

    /** How to build {@code c} exactly, or {@link #NO_PLAN} when any of it is for the mapper (an annotation, a type, over 64 components). */
    private static Object plan(Class<?> c) {
        RecordComponent[] components = c.getRecordComponents();
        if (components == null || components.length > 64 || jackson(c.getAnnotations())) return NO_PLAN;
        var index = new java.util.HashMap<String, Integer>();
        Type[] types = new Type[components.length];
        Object[] absent = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent rc = components[i];
            if (jackson(rc.getAnnotations()) || jackson(rc.getAccessor().getAnnotations()) || !exactType(rc.getGenericType())) return NO_PLAN;
            index.put(rc.getName(), i);
            types[i] = rc.getGenericType();
            absent[i] = rc.getType() == Optional.class ? Optional.empty() : rc.getType().isPrimitive() ? primitive(ABSENT, rc.getType()) : null;
        }
        try {
            Constructor<?> constructor = canonical(c);
            for (var annotations : constructor.getParameterAnnotations()) if (jackson(annotations)) return NO_PLAN;
            return new Plan(constructor, Map.copyOf(index), types, absent);
        } catch (Unsupported e) {
            return NO_PLAN;
        }
    }

    private static boolean exactType(Type type) {
        if (type instanceof ParameterizedType generic) {
            Type raw = generic.getRawType();
            return (raw == Optional.class || raw == List.class) && exactType(generic.getActualTypeArguments()[0]);
        }
        return type == String.class || type == int.class || type == Integer.class || type == long.class || type == Long.class
                || type == boolean.class || type == Boolean.class || type instanceof Class<?> c && c.isRecord();
    }

    private static boolean jackson(java.lang.annotation.Annotation[] annotations) {
        for (var a : annotations) if (a.annotationType().getPackageName().startsWith("com.fasterxml.jackson")) return true;
        return false;
    }

    private static Constructor<?> canonical(Class<?> c) {
        Class<?>[] types = java.util.Arrays.stream(c.getRecordComponents()).map(RecordComponent::getType).toArray(Class<?>[]::new);
        try {
            Constructor<?> constructor = c.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return constructor;
        } catch (NoSuchMethodException e) {
            throw new Unsupported("no canonical constructor in " + c.getName());
        }
    }

    private static Object enumValue(Object node, Class<?> c) {
        String name = string(node);
        Optional<Method> creator = ENUM_CREATORS.computeIfAbsent(c, RecordJson::enumCreator);
        if (creator.isPresent()) {
            try {
                return creator.get().invoke(null, name);
            } catch (InvocationTargetException e) {
                throw new IllegalArgumentException(e.getCause().getMessage(), e.getCause());
            } catch (IllegalAccessException e) {
                throw new Unsupported("cannot call " + creator.get());
            }
        }
        for (Object constant : c.getEnumConstants()) {
            if (((Enum<?>) constant).name().equals(name)) return constant;
        }
        throw new IllegalArgumentException("not one of " + List.of(c.getEnumConstants()) + ": '" + name + "'");
    }

    /** An enum's static {@code @JsonCreator} taking a string, if it has one. */
    private static Optional<Method> enumCreator(Class<?> c) {
        for (Method m : c.getDeclaredMethods()) {
            if (m.isAnnotationPresent(JsonCreator.class) && Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 1
                    && m.getParameterTypes()[0] == String.class) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    private static Object primitive(Object node, Class<?> c) {
        // the mapper refuses a null for a primitive (FAIL_ON_NULL_FOR_PRIMITIVES, on in Jackson 3) and defaults an absent one
        if (node == null) throw new IllegalArgumentException("null for a " + c);
        if (node == ABSENT) return c == boolean.class ? Boolean.FALSE : c == long.class ? (Object) 0L : c == double.class ? (Object) 0.0 : 0;
        if (c == boolean.class) {
            if (node instanceof Boolean b) return b;
            throw new IllegalArgumentException("expected true or false, not " + describe(node));
        }
        Number n = switch (node) {
            case Number number -> number;
            case String s -> new BigDecimal(s.strip());
            default -> throw new IllegalArgumentException("expected a number, not " + describe(node));
        };
        if (c == double.class) return n.doubleValue();
        BigInteger whole = n instanceof Double || n instanceof Float || n instanceof BigDecimal ? BigDecimal.valueOf(n.doubleValue()).toBigInteger()
                : BigInteger.valueOf(n.longValue());
        if (n instanceof BigInteger big) whole = big;
        if (c == long.class) {
            if (whole.bitLength() > 63) throw new IllegalArgumentException("out of range of a long: " + n);
            return whole.longValue();
        }
        if (c == int.class) {
            if (whole.bitLength() > 31) throw new IllegalArgumentException("out of range of an int: " + n);
            return whole.intValue();
        }
        throw new Unsupported("type " + c);
    }

    private static Class<?> unboxed(Class<?> boxed) {
        return boxed == Long.class ? long.class : boxed == Integer.class ? int.class : boxed == Boolean.class ? boolean.class : double.class;
    }

    private static String string(Object node) {
        return switch (node) {
            case String s -> s;
            case Number n when !(n instanceof Double || n instanceof BigDecimal || n instanceof Float) -> n.toString();
            case Boolean b -> b.toString();
            default -> throw new IllegalArgumentException("expected a string, not " + describe(node));
        };
    }

    private static List<?> list(Object node) {
        if (node instanceof List<?> items) return items;
        throw new IllegalArgumentException("expected an array, not " + describe(node));
    }

    private static String describe(Object node) {
        return switch (node) {
            case Map<?, ?> _ -> "an object";
            case List<?> _ -> "an array";
            case String _ -> "a string";
            case null -> "null";
            default -> node.toString();
        };
    }

    /** The value as the mapper's tree prints it (its {@code toString}): compact, in field order. */
    private static String compact(Object node) {
        var out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            write(g, node);
        }
        return out.toString();
    }

    private static void write(JsonGenerator g, Object node) {
        switch (node) {
            case null -> g.writeNull();
            case Map<?, ?> fields -> {
                g.writeStartObject();
                fields.forEach((k, v) -> {
                    g.writeName((String) k);
                    write(g, v);
                });
                g.writeEndObject();
            }
            case List<?> items -> {
                g.writeStartArray();
                for (Object item : items) write(g, item);
                g.writeEndArray();
            }
            case String s -> g.writeString(s);
            case Boolean b -> g.writeBoolean(b);
            case Integer i -> g.writeNumber(i);
            case Long l -> g.writeNumber(l);
            case BigInteger big -> g.writeNumber(big);
            case Double d -> g.writeNumber(d);
            case BigDecimal d -> g.writeNumber(d);
            case Float f -> g.writeNumber(f);
            default -> throw new IllegalStateException("not a JSON value: " + node);
        }
    }
}
