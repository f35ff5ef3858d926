package dev.lathe.protocol.wire;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.event.EventEnvelope;
import dev.lathe.protocol.event.RunResult;
import java.io.StringWriter;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonFactory;

/**
 * The protocol's records written as {@link WireJson}'s mapper writes them, byte for byte, with the streaming generator
 * and a little reflection: how {@code lathe run --format json} prints its events and its result line (issue 86). The
 * text format's client never starts the data-binding mapper ({@link RecordJson} reads its events); the JSON format
 * started it for its first printed event, ~750 classes outside the client's AOT cache loaded, linked and run in the
 * interpreter on the way to the first model request (0.11 → 0.25 s in the issue). What it writes, by the same
 * annotations: a record's components in order under their names ({@code @JsonProperty} for enum constants,
 * {@code @JsonIgnore} left out), absent optionals and nulls left out ({@code NON_ABSENT}) and {@code @JsonInclude}
 * {@code NON_EMPTY} / {@code NON_DEFAULT} where a component says so, the {@code @JsonTypeInfo} id first, a
 * {@code @JsonValue} as the value, map entries sorted by key, {@link RawJson} inline. A type outside that throws
 * {@link RecordJson.Unsupported}: the mapper then writes the line. {@code RecordWriterTest} compares the two over every
 * event and result and fails on any that falls back.
 */
public final class RecordWriter {
    private static final JsonFactory JSON = new JsonFactory();

    /** A record's way to its JSON object: its type id (if any) and its properties. */
    private record Shape(String typeProperty, String typeId, Property[] properties, Method value) {}

    /** One component: its name, accessor, and when it is left out. */
    private record Property(String name, Method accessor, Include include) {}

    private enum Include { NON_ABSENT, NON_EMPTY, NON_DEFAULT }

    private static final Map<Class<?>, Shape> SHAPES = new ConcurrentHashMap<>();
    private static final Map<Class<?>, String[]> ENUM_NAMES = new ConcurrentHashMap<>();

    private RecordWriter() {}

    /** {@link WireJson#writeEnvelope}'s text of {@code envelope}, without the mapper when the event allows. */
    public static String envelope(EventEnvelope envelope) {
        try {
            return writtenEnvelope(envelope);
        } catch (RecordJson.Unsupported e) {
            return WireJson.writeEnvelope(envelope);
        }
    }

    /** {@link WireJson#writeResult}'s text of {@code result}, without the mapper when its values allow. */
    public static String result(RunResult result) {
        try {
            return writtenResult(result);
        } catch (RecordJson.Unsupported e) {
            return WireJson.writeResult(result);
        }
    }

    /** {@link WireJson#write}'s text of a record, list or value, without the mapper when its values allow. */
    public static String write(Object value) {
        try {
            return written(value);
        } catch (RecordJson.Unsupported e) {
            return WireJson.write(value);
        }
    }

    /** The envelope written here; {@link RecordJson.Unsupported} for anything the mapper must write. */
    static String writtenEnvelope(EventEnvelope envelope) {
        var out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeName("seq");
            g.writeNumber(envelope.seq());
            g.writeName("at");
            g.writeNumber(envelope.at());
            if (envelope.directory().isPresent()) {
                g.writeName("directory");
                g.writeString(envelope.directory().get());
            }
            fields(g, envelope.event(), shape(envelope.event().getClass()), Optional.empty());
            g.writeEndObject();
        }
        return out.toString();
    }

    /** The result line written here: {@code {"type":"result", …its fields, costUsd after cost}}. */
    static String writtenResult(RunResult result) {
        var out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeName("type");
            g.writeString(RunResult.TYPE);
            // costUsd beside cost, as WireJson.writeResult puts it: dollars, as Claude Code's total_cost_usd
            fields(g, result, shape(RunResult.class), Optional.of(new Extra("cost", "costUsd", result.cost() / 1_000_000.0)));
            g.writeEndObject();
        }
        return out.toString();
    }

    /** A number written after the property {@code after}. */
    private record Extra(String after, String name, double value) {}

    static String written(Object value) {
        var out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            value(g, value);
        }
        return out.toString();
    }

    private static void value(JsonGenerator g, Object v) {
        switch (v) {
            case null -> g.writeNull();
            case String s -> g.writeString(s);
            case Boolean b -> g.writeBoolean(b);
            case Integer i -> g.writeNumber(i);
            case Long l -> g.writeNumber(l);
            case Double d -> g.writeNumber(d);
            case Float f -> g.writeNumber(f);
            case BigInteger big -> g.writeNumber(big);
            case BigDecimal d -> g.writeNumber(d);
            // WireJson's RawJsonSerializer
            case RawJson raw -> g.writeRawValue(raw.json().isBlank() ? "{}" : raw.json());
            case Optional<?> o -> value(g, o.orElse(null));
            case Enum<?> e -> g.writeString(ENUM_NAMES.computeIfAbsent(e.getDeclaringClass(), RecordWriter::enumNames)[e.ordinal()]);
            case Map<?, ?> m -> map(g, m);
            case Collection<?> items -> {
                g.writeStartArray();
                for (Object item : items) value(g, item);
                g.writeEndArray();
            }
            case Record r -> {
                Shape shape = shape(r.getClass());
                if (shape.value() != null) {
                    value(g, call(shape.value(), r));
                } else {
                    g.writeStartObject();
                    fields(g, r, shape, Optional.empty());
                    g.writeEndObject();
                }
            }
            default -> throw new RecordJson.Unsupported("type " + v.getClass().getName());
        }
    }

    /** ORDER_MAP_ENTRIES_BY_KEYS over string keys; a null or absent value is the mapper's to write (content inclusion). */
    private static void map(JsonGenerator g, Map<?, ?> m) {
        var sorted = new TreeMap<String, Object>();
        for (var e : m.entrySet()) {
            if (!(e.getKey() instanceof String key) || e.getValue() == null || e.getValue() instanceof Optional<?> o && o.isEmpty()) {
                throw new RecordJson.Unsupported("map entry " + e.getKey());
            }
            sorted.put(key, e.getValue());
        }
        g.writeStartObject();
        for (var e : sorted.entrySet()) {
            g.writeName(e.getKey());
            value(g, e.getValue());
        }
        g.writeEndObject();
    }

    /** The object's fields without its braces: the type id, then each property the inclusion keeps. */
    private static void fields(JsonGenerator g, Object r, Shape shape, Optional<Extra> extra) {
        if (shape.value() != null) throw new RecordJson.Unsupported("a value where an object goes: " + r.getClass().getName());
        if (shape.typeId() != null) {
            g.writeName(shape.typeProperty());
            g.writeString(shape.typeId());
        }
        for (Property p : shape.properties()) {
            Object v = call(p.accessor(), r);
            if (!kept(v, p.include())) continue;
            g.writeName(p.name());
            value(g, v);
            if (extra.isPresent() && extra.get().after().equals(p.name())) {
                g.writeName(extra.get().name());
                g.writeNumber(extra.get().value());
            }
        }
    }

    private static boolean kept(Object v, Include include) {
        if (v == null || v instanceof Optional<?> o && o.isEmpty()) return false;
        return switch (include) {
            case NON_ABSENT -> true;
            case NON_EMPTY -> switch (v) {
                case Collection<?> c -> !c.isEmpty();
                case Map<?, ?> m -> !m.isEmpty();
                case String s -> !s.isEmpty();
                default -> throw new RecordJson.Unsupported("NON_EMPTY of " + v.getClass().getName());
            };
            case NON_DEFAULT -> switch (v) {
                case Boolean b -> b;
                case Integer i -> i != 0;
                case Long l -> l != 0;
                default -> throw new RecordJson.Unsupported("NON_DEFAULT of " + v.getClass().getName());
            };
        };
    }

    private static Object call(Method accessor, Object on) {
        try {
            return accessor.invoke(on);
        } catch (ReflectiveOperationException e) {
            throw new RecordJson.Unsupported("cannot call " + accessor + ": " + e);
        }
    }

    private static Shape shape(Class<?> c) {
        return SHAPES.computeIfAbsent(c, RecordWriter::shapeOf);
    }

    private static Shape shapeOf(Class<?> c) {
        if (!c.isRecord()) throw new RecordJson.Unsupported("type " + c.getName());
        for (var a : c.getAnnotations()) {
            if (jackson(a) && !(a instanceof JsonSubTypes) && !(a instanceof JsonTypeInfo)) throw new RecordJson.Unsupported(a + " on " + c.getName());
        }
        RecordComponent[] components = c.getRecordComponents();
        Method value = null;
        var properties = new ArrayList<Property>();
        for (RecordComponent rc : components) {
            Method accessor = rc.getAccessor();
            accessor.setAccessible(true);
            if (rc.isAnnotationPresent(JsonValue.class) || accessor.isAnnotationPresent(JsonValue.class)) {
                if (components.length != 1) throw new RecordJson.Unsupported("@JsonValue among components of " + c.getName());
                value = accessor;
                continue;
            }
            if (rc.isAnnotationPresent(JsonIgnore.class) || accessor.isAnnotationPresent(JsonIgnore.class)) continue;
            properties.add(new Property(rc.getName(), accessor, include(rc)));
        }
        String[] type = typeId(c);
        return new Shape(type[0], type[1], properties.toArray(Property[]::new), value);
    }

    /** A component's inclusion: its own {@code @JsonInclude}, else the mapper's NON_ABSENT; any other Jackson annotation is the mapper's. */
    private static Include include(RecordComponent rc) {
        Include include = Include.NON_ABSENT;
        // a component's annotation is on its accessor too (Java copies it to each target the annotation allows)
        var annotations = new ArrayList<Annotation>(List.of(rc.getAnnotations()));
        annotations.addAll(List.of(rc.getAccessor().getAnnotations()));
        for (var a : annotations) {
            if (a instanceof JsonInclude in) {
                include = switch (in.value()) {
                    case NON_EMPTY -> Include.NON_EMPTY;
                    case NON_DEFAULT -> Include.NON_DEFAULT;
                    case NON_ABSENT, USE_DEFAULTS -> Include.NON_ABSENT;
                    default -> throw new RecordJson.Unsupported(in + " on " + rc);
                };
            } else if (jackson(a) && !(a instanceof JsonIgnore) && !(a instanceof JsonValue)) {
                throw new RecordJson.Unsupported(a + " on " + rc);
            }
        }
        return include;
    }

    /** {property, id} of the one {@code @JsonTypeInfo} among {@code c}'s interfaces, or {null, null} when none has it. */
    private static String[] typeId(Class<?> c) {
        var found = new ArrayList<Class<?>>();
        interfaces(c, found);
        var typed = new ArrayList<Class<?>>();
        for (Class<?> i : found) if (i.isAnnotationPresent(JsonTypeInfo.class) && !typed.contains(i)) typed.add(i);
        if (typed.isEmpty()) return new String[2];
        if (typed.size() > 1) throw new RecordJson.Unsupported("type ids of " + typed + " on " + c.getName());
        Class<?> base = typed.getFirst();
        JsonTypeInfo info = base.getAnnotation(JsonTypeInfo.class);
        if (info.use() != JsonTypeInfo.Id.NAME || info.include() != JsonTypeInfo.As.PROPERTY) throw new RecordJson.Unsupported("type ids of " + base);
        JsonSubTypes subs = base.getAnnotation(JsonSubTypes.class);
        if (subs != null) {
            for (JsonSubTypes.Type sub : subs.value()) {
                if (sub.value() == c && !sub.name().isEmpty()) return new String[] {info.property(), sub.name()};
            }
        }
        throw new RecordJson.Unsupported("no type id for " + c.getName());
    }

    private static void interfaces(Class<?> c, List<Class<?>> into) {
        for (Class<?> i : c.getInterfaces()) {
            into.add(i);
            interfaces(i, into);
        }
    }

    /** Each constant's wire name: its {@code @JsonValue} method's, its {@code @JsonProperty}'s, or its own. */
    private static String[] enumNames(Class<?> c) {
        Object[] constants = c.getEnumConstants();
        String[] names = new String[constants.length];
        Method wire = null;
        for (Method m : c.getDeclaredMethods()) {
            if (m.isAnnotationPresent(JsonValue.class) && !Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 0) wire = m;
        }
        for (int i = 0; i < constants.length; i++) {
            Enum<?> e = (Enum<?>) constants[i];
            if (wire != null) {
                wire.setAccessible(true);
                names[i] = String.valueOf(call(wire, e));
                continue;
            }
            try {
                JsonProperty named = c.getField(e.name()).getAnnotation(JsonProperty.class);
                names[i] = named != null && !named.value().isEmpty() ? named.value() : e.name();
            } catch (NoSuchFieldException missing) {
                throw new RecordJson.Unsupported("enum constant " + e);
            }
        }
        return names;
    }

    private static boolean jackson(Annotation a) {
        return a.annotationType().getPackageName().startsWith("com.fasterxml.jackson");
    }
}
