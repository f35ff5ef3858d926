package dev.lathe.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;

/**
 * {@link RecordJson} reads every event as the data-binding mapper does: samples of every event record, each component
 * varied through its kinds (every subtype, enum constant, optional set and empty), written by the server's writer and
 * read by both; then the same texts changed as a newer or broken server might send them.
 */
class RecordJsonTest {
    private static final String TEXT = "a \"q\" \\ ü 😀\n\u001b[31m\u2028";
    private static final RawJson INPUT = new RawJson("{\"path\":\"a \\\"q\\\" ü.txt\",\"n\":[1,-2.5,1e3,{\"x\":null,\"b\":true}],\"big\":123456789012345678901}");

    @Test
    void readsEveryEventAsTheMapperDoes() {
        List<Object> events = samples(Event.class, 0);
        assertThat(events).hasSizeGreaterThan(80);
        var kinds = new java.util.HashSet<Class<?>>();
        for (Object event : events) {
            kinds.add(event.getClass());
            for (Optional<String> directory : List.of(Optional.<String>empty(), Optional.of("/home/ü/\"odd\" dir"))) {
                String text = WireJson.writeEnvelope(new EventEnvelope(42, 1_700_000_000_123L, directory, (Event) event));
                assertThat(RecordJson.envelope(text)).as(text).isEqualTo(WireJson.readEnvelope(text));
            }
        }
        assertThat(kinds).hasSize(Event.class.getAnnotation(com.fasterxml.jackson.annotation.JsonSubTypes.class).value().length);
    }

    @Test
    void readsWhatANewerServerAddsAndLeavesOutAsTheMapperDoes() {
        var kinds = new java.util.HashSet<Class<?>>();
        for (Object event : samples(Event.class, 0)) {
            String text = WireJson.writeEnvelope(new EventEnvelope(7, 8, Optional.empty(), (Event) event));
            // a newer server's fields, in the envelope and in the records inside it
            String later = "\"later\":{\"nested\":[1,{\"x\":true}]},\"flag\":null,";
            String more = "{" + later + text.substring(1).replaceAll("(\"(part|state|info|session|status|request|usage|error)\":\\{)", "$1" + later);
            assertThat(RecordJson.envelope(more)).as(more).isEqualTo(WireJson.readEnvelope(more));
            // null and absent for every field but the type ids, in the first sample of each kind (its fields all set)
            if (!kinds.add(event.getClass())) continue;
            for (String field : fieldsOf(text)) {
                String value = "\"" + field + "\":(\"[^\"]*\"|-?\\d+|true|false)";
                assertSame(text.replaceAll(value, "\"" + field + "\":null"));
                assertSame(text.replaceAll(value + ",?", ""));
            }
        }
    }

    @Test
    void refusesWhatTheMapperRefuses() {
        for (String text : List.of("{\"seq\":1,\"type\":\"no.such.event\"}", "{\"seq\":1,\"type\":\"message.part.updated\",\"part\":{\"type\":\"hologram\"}}",
                "{\"seq\":1}", "[1]", "{\"seq\":1,\"type\":\"session.status\",\"status\":{\"type\":\"unknown\"}}", "{\"seq\":",
                "{\"seq\":1,\"type\":\"message.removed\",\"sessionId\":\"not-an-id\"}")) {
            assertThatThrownBy(() -> WireJson.readEnvelope(text)).as(text).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> RecordJson.envelope(text)).as(text).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void readsTheRunsAnswersAsTheMapperDoes() {
        for (Object session : samples(Session.class, 0)) {
            String text = WireJson.write(session);
            assertThat((Session) RecordJson.read(text, Session.class)).isEqualTo(WireJson.read(text, Session.class));
            String list = "[" + text + "," + text + "]";
            assertThat((Session[]) RecordJson.read(list, Session[].class)).isEqualTo(WireJson.read(list, Session[].class));
        }
        var statuses = new TypeReference<Map<String, SessionStatus>>() {};
        for (Object status : samples(SessionStatus.class, 0)) {
            String text = "{\"ses_a\":" + WireJson.write(status) + ",\"ses_b\":{\"type\":\"idle\"}}";
            assertThat((Object) RecordJson.read(text, statuses.getType())).isEqualTo(WireJson.read(text, statuses));
        }
    }

    private static void assertSame(String text) {
        Object expected;
        try {
            expected = WireJson.readEnvelope(text);
        } catch (IllegalArgumentException e) {
            Object read = null;
            try {
                read = RecordJson.envelope(text);
            } catch (IllegalArgumentException refused) {
                return;
            }
            throw new AssertionError(text + ": the mapper says " + e.getMessage() + ", this reads " + read);
        }
        assertThat(RecordJson.envelope(text)).as(text).isEqualTo(expected);
    }

    private static java.util.Set<String> fieldsOf(String json) {
        var names = new java.util.LinkedHashSet<String>();
        var m = java.util.regex.Pattern.compile("\"(\\w+)\":").matcher(json);
        while (m.find()) if (!List.of("type", "status", "role").contains(m.group(1))) names.add(m.group(1));
        return names;
    }

    /** Values of {@code type}: its first sample with each component varied in turn through its own samples. */
    static List<Object> samples(Type type, int depth) {
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Type arg = p.getActualTypeArguments()[raw == Map.class ? 1 : 0];
            Object one = samples(arg, depth + 1).getFirst();
            if (raw == Optional.class) return List.of(Optional.of(one), Optional.empty());
            if (raw == List.class) return List.of(List.of(one), List.of());
            if (raw == java.util.Set.class) return List.of(java.util.Set.of(one));
            if (raw == Map.class) return List.of(Map.of("k", one, "a", one), Map.of());
            throw new IllegalStateException("no samples of " + type);
        }
        Class<?> c = (Class<?>) type;
        if (c == String.class) return List.of(TEXT);
        if (c == long.class || c == Long.class) return List.of(1_700_000_000_123L, 0L);
        if (c == int.class || c == Integer.class) return List.of(3, -1);
        if (c == double.class || c == Double.class) return List.of(0.25);
        if (c == boolean.class || c == Boolean.class) return List.of(true, false);
        if (c == RawJson.class) return List.of(INPUT);
        if (c.isEnum()) return List.of(c.getEnumConstants());
        if (c.isSealed()) {
            var all = new ArrayList<>();
            for (Class<?> sub : c.getPermittedSubclasses()) all.addAll(depth > 3 ? samples(sub, depth + 1).subList(0, 1) : samples(sub, depth + 1));
            return all;
        }
        if (!c.isRecord()) throw new IllegalStateException("no samples of " + c);
        RecordComponent[] components = c.getRecordComponents();
        if (components.length == 1 && components[0].getType() == String.class && hasPrefix(c)) return List.of(make(c, prefix(c) + "x1"));
        List<List<Object>> choices = new ArrayList<>();
        for (RecordComponent rc : components) choices.add(samples(rc.getGenericType(), depth + 1));
        Object[] first = choices.stream().map(List::getFirst).toArray();
        var out = new ArrayList<>();
        add(out, c, first);
        for (int i = 0; i < components.length && depth < 3; i++) {
            for (Object other : choices.get(i).subList(1, choices.get(i).size())) {
                Object[] args = first.clone();
                args[i] = other;
                add(out, c, args);
            }
        }
        if (out.isEmpty()) throw new IllegalStateException("no sample of " + c + " could be made");
        return out;
    }

    private static void add(List<Object> out, Class<?> c, Object... args) {
        try {
            out.add(make(c, args));
        } catch (RuntimeException e) {
            // a combination the record's own checks refuse
        }
    }

    private static Object make(Class<?> c, Object... args) {
        try {
            Constructor<?> k = c.getDeclaredConstructor(Arrays.stream(c.getRecordComponents()).map(RecordComponent::getType).toArray(Class<?>[]::new));
            k.setAccessible(true);
            return k.newInstance(args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean hasPrefix(Class<?> c) {
        try {
            c.getField("PREFIX");
            return true;
        } catch (NoSuchFieldException e) {
            return false;
        }
    }

    private static String prefix(Class<?> c) {
        try {
            return (String) c.getField("PREFIX").get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
