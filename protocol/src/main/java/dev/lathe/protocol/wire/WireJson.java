package dev.lathe.protocol.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import dev.lathe.protocol.event.RunResult;
import dev.lathe.protocol.session.Message;
import dev.lathe.protocol.session.Part;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON for protocol records: absent optionals are omitted, unknown properties are ignored (newer peers may add
 * fields), {@link RawJson} is written inline, map entries are sorted by key (the same record always gives the same
 * bytes, which an exported session relies on). An event envelope is one flat object:
 * {@code {"seq", "at", "directory"?, "type", ...event fields}}.
 */
public final class WireJson {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .addModule(new SimpleModule("lathe-wire")
                    .addSerializer(RawJson.class, new RawJsonSerializer())
                    .addDeserializer(RawJson.class, new RawJsonDeserializer()))
            .changeDefaultPropertyInclusion(incl -> incl.withValueInclusion(JsonInclude.Include.NON_ABSENT))
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // maps such as tool metadata are often immutable maps whose order changes from one JVM to the next
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    /** Recently encoded parts and messages; a text over 32 K characters (a big tool output) is not kept. */
    private static final RecentEncodings<Part, String> PARTS = new RecentEncodings<>(64, 32 * 1024, String::length);
    private static final RecentEncodings<Message, String> MESSAGES = new RecentEncodings<>(32, 32 * 1024, String::length);
    /** What comes between the envelope's fields and the part's or message's text (the record's one field). */
    private static final String PART_UPDATED = ",\"type\":\"" + typeName(Event.PartUpdated.class) + "\",\"part\":";
    private static final String MESSAGE_UPDATED = ",\"type\":\"" + typeName(Event.MessageUpdated.class) + "\",\"info\":";

    private WireJson() {}

    /** The wire {@code type} of an event record, as its {@code @JsonSubTypes} entry names it. */
    private static String typeName(Class<? extends Event> type) {
        for (JsonSubTypes.Type t : Event.class.getAnnotation(JsonSubTypes.class).value()) {
            if (t.value() == type) return t.name();
        }
        throw new IllegalStateException("no wire type for " + type);
    }

    public static JsonMapper mapper() { return MAPPER; }

    public static String write(Object value) { return MAPPER.writeValueAsString(value); }

    /** @throws IllegalArgumentException with a readable message when {@code json} does not fit {@code type} */
    public static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(JsonMismatch.describe(e, "field"), e);
        }
    }

    /** {@link #read(String, Class)} for generic types such as {@code Map<String, SessionStatus>}. */
    public static <T> T read(String json, tools.jackson.core.type.TypeReference<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(JsonMismatch.describe(e, "field"), e);
        }
    }

    /** True when {@code text} is one complete JSON value (used to keep malformed tool arguments out of {@code RawJson}). */
    public static boolean isValidJson(String text) {
        try {
            MAPPER.readTree(text);
            return !text.isBlank();
        } catch (JacksonException e) {
            return false;
        }
    }

    /**
     * A part as its row holds it, kept for its {@code message.part.updated} event, which follows the row's write by
     * milliseconds and takes this text ({@link RecentEncodings}, issue 55: a tool part with a file's text was encoded
     * for its row, for its event and again for each subscriber). The same text as {@link #write}.
     */
    public static String writePart(Part part) { return PARTS.encoded(part, MAPPER::writeValueAsString); }

    /** A message as its row holds it, kept for its {@code message.updated} event ({@link #writePart}). */
    public static String writeMessage(Message message) { return MESSAGES.encoded(message, MAPPER::writeValueAsString); }

    /**
     * {@code {"seq":…,"at":…,"directory":…,} then the event's own fields}. The event is written once, straight to text,
     * and the envelope's fields put before its first: no event has a field of those names (EnvelopeFieldsTest), so the
     * object is the one a tree merge made, without building the event as a tree first (every streamed delta passes
     * here, for every subscriber and for a team server's event log). A part's or a message's event takes the text
     * its row was written with ({@link #writePart}): {@code "type"} then the one field, as Jackson writes the record
     * (EncodingsTest compares the two for every kind of event and part).
     */
    public static String writeEnvelope(EventEnvelope envelope) {
        return appendEnvelope(new StringBuilder(256), envelope).toString();
    }

    /** {@link #writeEnvelope} appended to {@code out} (an SSE frame's {@code data:} line, without a copy between). */
    public static StringBuilder appendEnvelope(StringBuilder out, EventEnvelope envelope) {
        out.append("{\"seq\":").append(envelope.seq()).append(",\"at\":").append(envelope.at());
        envelope.directory().ifPresent(d -> out.append(",\"directory\":").append(MAPPER.writeValueAsString(d)));
        switch (envelope.event()) {
            case Event.PartUpdated p -> {
                String part = PARTS.of(p.part(), MAPPER::writeValueAsString);
                out.ensureCapacity(out.length() + part.length() + 64);
                out.append(PART_UPDATED).append(part).append('}');
            }
            case Event.MessageUpdated m -> {
                String message = MESSAGES.of(m.info(), MAPPER::writeValueAsString);
                out.ensureCapacity(out.length() + message.length() + 64);
                out.append(MESSAGE_UPDATED).append(message).append('}');
            }
            default -> {
                String event = MAPPER.writeValueAsString(envelope.event());
                // the event is a JSON object: "{}" (no fields) or "{" fields "}"
                if (event.length() > 2) {
                    out.ensureCapacity(out.length() + event.length());
                    out.append(',').append(event, 1, event.length());
                } else {
                    out.append('}');
                }
            }
        }
        return out;
    }

    /** A run's last line: {@code {"type":"result", ...the record's fields}} ({@link dev.lathe.protocol.event.RunResult}). */
    public static String writeResult(RunResult result) {
        ObjectNode out = MAPPER.createObjectNode();
        out.put("type", RunResult.TYPE);
        ObjectNode fields = (ObjectNode) MAPPER.valueToTree(result);
        // costUsd beside cost (micro-dollars, kept for scripts that read it): dollars, as Claude Code's total_cost_usd
        fields.properties().forEach(e -> {
            out.set(e.getKey(), e.getValue());
            if (e.getKey().equals("cost")) out.put("costUsd", result.cost() / 1_000_000.0);
        });
        return MAPPER.writeValueAsString(out);
    }

    public static EventEnvelope readEnvelope(String json) {
        try {
            ObjectNode node = (ObjectNode) MAPPER.readTree(json);
            long seq = node.path("seq").asLong();
            long at = node.path("at").asLong();
            Optional<String> directory = node.hasNonNull("directory") ? Optional.of(node.get("directory").asString()) : Optional.empty();
            node.remove("seq");
            node.remove("at");
            node.remove("directory");
            Event event = MAPPER.treeToValue(node, Event.class);
            return new EventEnvelope(seq, at, directory, event);
        } catch (JacksonException | ClassCastException e) {
            throw new IllegalArgumentException("not an event: " + e.getMessage(), e);
        }
    }

    private static final class RawJsonSerializer extends ValueSerializer<RawJson> {
        @Override
        public void serialize(RawJson value, JsonGenerator gen, SerializationContext ctxt) {
            gen.writeRawValue(value.json().isBlank() ? "{}" : value.json());
        }
    }

    private static final class RawJsonDeserializer extends ValueDeserializer<RawJson> {
        @Override
        public RawJson deserialize(JsonParser p, DeserializationContext ctxt) {
            JsonNode node = ctxt.readTree(p);
            return new RawJson(node.toString());
        }
    }
}
