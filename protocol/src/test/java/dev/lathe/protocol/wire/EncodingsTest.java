package dev.lathe.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import dev.lathe.protocol.session.Message;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolState;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A part's and a message's text is made once for its row and its event ({@link WireJson#writePart},
 * {@link WireJson#writeMessage}, spliced into {@link WireJson#writeEnvelope}): the bytes must be the ones Jackson wrote
 * for each before, for every kind of event, part, tool state and message. The samples are built from the records'
 * components (every field set, strings that need escaping), so a kind added later is compared too.
 */
class EncodingsTest {
    /** Needs escaping in JSON, is not ASCII, and has a line break (which splits an SSE frame's data lines). */
    private static final String TEXT = "a \"quoted\" \\ ü\n\u2028 😀 \u001b[31m";

    @Test
    void everyEventIsWrittenAsJacksonWroteItBefore() {
        List<Event> events = new ArrayList<>();
        for (Class<?> type : records(Event.class)) events.add((Event) sample(type));
        for (Class<?> part : records(Part.class)) events.add(new Event.PartUpdated((Part) sample(part)));
        for (Class<?> state : records(ToolState.class)) events.add(new Event.PartUpdated(toolWith((ToolState) sample(state))));
        for (Class<?> message : records(Message.class)) events.add(new Event.MessageUpdated((Message) sample(message)));
        assertThat(events).hasSizeGreaterThan(40);
        for (Event event : events) {
            for (Optional<String> directory : List.of(Optional.<String>empty(), Optional.of("/home/ü/\"odd\" dir"))) {
                var envelope = new EventEnvelope(1_764_000_000_000_001L, 1_764_000_000_123L, directory, event);
                String expected = before(envelope);
                assertThat(WireJson.writeEnvelope(envelope)).as(event.getClass().getSimpleName()).isEqualTo(expected);
                // again: now from what was kept
                assertThat(WireJson.writeEnvelope(envelope)).as(event.getClass().getSimpleName()).isEqualTo(expected);
            }
        }
    }

    @Test
    void everyPartAndMessageRowIsWrittenAsJacksonWroteItBefore() {
        List<Object> values = new ArrayList<>();
        for (Class<?> part : records(Part.class)) values.add(sample(part));
        for (Class<?> state : records(ToolState.class)) values.add(toolWith((ToolState) sample(state)));
        for (Class<?> message : records(Message.class)) values.add(sample(message));
        for (Object value : values) {
            String expected = WireJson.mapper().writeValueAsString(value);
            String written = value instanceof Part p ? WireJson.writePart(p) : WireJson.writeMessage((Message) value);
            assertThat(written).as(value.getClass().getSimpleName()).isEqualTo(expected).isEqualTo(WireJson.write(value));
            Class<?> kind = value instanceof Part ? Part.class : Message.class;
            assertThat(WireJson.read(written, kind)).isEqualTo(value);
        }
    }

    @Test
    void aPartThatChangedIsWrittenAnewAndTheOldOneStillAsItWas() {
        Part.Tool pending = toolWith(new ToolState.Pending(new RawJson("{\"path\":\"a.txt\"}")));
        String pendingText = WireJson.writePart(pending);
        Part.Tool completed = pending.withState(new ToolState.Completed(pending.input(), "the file's text", "a.txt", Map.of("lines", "1"), 1, 2));
        Part.Tool sameAgain = pending.withState(pending.state());

        assertThat(WireJson.writePart(completed)).isEqualTo(WireJson.mapper().writeValueAsString(completed)).contains("the file's text");
        assertThat(WireJson.writePart(pending)).isEqualTo(pendingText).doesNotContain("the file's text");
        assertThat(WireJson.writePart(sameAgain)).isEqualTo(pendingText);
        // its event carries the state it was published with, not the row's latest
        assertThat(WireJson.writeEnvelope(new EventEnvelope(7, 8, Optional.empty(), new Event.PartUpdated(pending))))
                .contains("\"status\":\"pending\"").doesNotContain("completed");
    }

    @Test
    void aPartEncodedLongAgoIsEncodedAgainAsItWas() {
        Part.Tool first = toolWith(new ToolState.Pending(new RawJson("{\"n\":0}")));
        String text = WireJson.writePart(first);
        for (int i = 1; i <= 200; i++) WireJson.writePart(toolWith(new ToolState.Pending(new RawJson("{\"n\":" + i + "}"))));
        assertThat(WireJson.writePart(first)).isEqualTo(text).contains("{\"n\":0}");
    }

    /** How envelopes were written before parts and messages were spliced in: the event by Jackson, after the envelope's fields. */
    private static String before(EventEnvelope envelope) {
        String event = WireJson.mapper().writeValueAsString(envelope.event());
        var out = new StringBuilder().append("{\"seq\":").append(envelope.seq()).append(",\"at\":").append(envelope.at());
        envelope.directory().ifPresent(d -> out.append(",\"directory\":").append(WireJson.mapper().writeValueAsString(d)));
        return (event.length() > 2 ? out.append(',').append(event, 1, event.length()) : out.append('}')).toString();
    }

    private static Part.Tool toolWith(ToolState state) {
        Part.Tool tool = (Part.Tool) sample(Part.Tool.class);
        return tool.withState(state);
    }

    /** A value of {@code type} with every component set. */
    static Object sample(Type type) {
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Type[] args = p.getActualTypeArguments();
            if (raw == Optional.class) return Optional.of(sample(args[0]));
            if (List.class.isAssignableFrom(raw)) return List.of(sample(args[0]));
            if (Map.class.isAssignableFrom(raw)) {
                // two keys out of order: the wire sorts them
                Map<Object, Object> map = new LinkedHashMap<>();
                map.put(key(args[0], "zeta"), sample(args[1]));
                map.put(key(args[0], "alpha"), sample(args[1]));
                return map;
            }
            return sample(raw);
        }
        Class<?> c = (Class<?>) type;
        if (c == String.class) return TEXT;
        if (c == int.class || c == Integer.class) return 3;
        if (c == long.class || c == Long.class) return 1_764_000_000_456L;
        if (c == boolean.class || c == Boolean.class) return true;
        if (c == double.class || c == Double.class) return 2.5;
        if (c == RawJson.class) return new RawJson("{\"path\":\"a \\\"q\\\" ü.txt\",\"n\":[1,2.5,{\"x\":null}]}");
        if (c.isEnum()) return c.getEnumConstants()[c.getEnumConstants().length - 1];
        if (c.isRecord()) return record(c);
        if (c.isSealed()) return sample(records(c).getFirst());
        throw new IllegalArgumentException("no sample for " + c);
    }

    private static Object key(Type type, String name) {
        return type == String.class ? name : sample(type);
    }

    private static Object record(Class<?> c) {
        RecordComponent[] components = c.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            args[i] = sample(components[i].getGenericType());
        }
        try {
            Constructor<?> canonical = c.getDeclaredConstructor(types);
            canonical.setAccessible(true);
            return canonical.newInstance(args);
        } catch (InvocationTargetException e) {
            // an id that checks its form: a fresh one
            try {
                return c.getMethod("next").invoke(null);
            } catch (ReflectiveOperationException noFactory) {
                e.addSuppressed(noFactory);
            }
            throw new IllegalStateException("cannot build a sample " + c.getSimpleName() + ": " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Class<?>> records(Class<?> sealed) { return EnvelopeFieldsTest.records(sealed); }
}
