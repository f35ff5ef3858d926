package dev.lathe.protocol.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
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

    private WireJson() {}

    public static JsonMapper mapper() { return MAPPER; }

    public static String write(Object value) { return MAPPER.writeValueAsString(value); }

    static final KeptJson STORED = new KeptJson();

    /**
     * {@link #write} of a part or message the store is writing: its text is kept by identity, so the event announcing
     * the same object reuses it in {@link #writeEnvelope} (decision 541: one serialisation for the store and the stream).
     */
    public static String writeStored(Object partOrMessage) {
        String json = MAPPER.writeValueAsString(partOrMessage);
        STORED.keep(partOrMessage, json);
        return json;
    }

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
     * {@code {"seq":…,"at":…,"directory":…,} then the event's own fields}. The event is written once, straight to text,
     * and the envelope's fields put before its first: no event has a field of those names (EnvelopeFieldsTest), so the
     * object is the one a tree merge made, without building the event as a tree first (every streamed delta passes
     * here, for every subscriber and for a team server's event log).
     */
    public static String writeEnvelope(EventEnvelope envelope) {
        String event = eventJson(envelope.event());
        var out = new StringBuilder(event.length() + 96).append("{\"seq\":").append(envelope.seq()).append(",\"at\":").append(envelope.at());
        envelope.directory().ifPresent(d -> out.append(",\"directory\":").append(quotedDirectory(d)));
        // the event is a JSON object: "{}" (no fields) or "{" fields "}"
        return (event.length() > 2 ? out.append(',').append(event, 1, event.length()) : out.append('}')).toString();
    }

    private record Quoted(String text, String json) {}

    /** The last folder quoted for an envelope: the events of a server name a few folders, over and over. */
    private static volatile Quoted lastDirectory = new Quoted("", "\"\"");

    private static String quotedDirectory(String directory) {
        Quoted last = lastDirectory;
        if (!last.text().equals(directory)) lastDirectory = last = new Quoted(directory, MAPPER.writeValueAsString(directory));
        return last.json();
    }

    /**
     * The event's own object. A part's or message's update whose object the store has just written is its kept text in
     * the object the mapper writes for it, {@code {"type":NAME,"part"|"info":…}} (KeptJsonTest: byte for byte).
     */
    private static String eventJson(Event event) {
        String kept = switch (event) {
            case Event.PartUpdated(Part part) -> keptIn("{\"type\":\"message.part.updated\",\"part\":", part);
            case Event.MessageUpdated(Message info) -> keptIn("{\"type\":\"message.updated\",\"info\":", info);
            default -> null;
        };
        return kept != null ? kept : MAPPER.writeValueAsString(event);
    }

    private static String keptIn(String head, Object value) {
        String json = STORED.find(value);
        return json == null ? null : new StringBuilder(head.length() + json.length() + 1).append(head).append(json).append('}').toString();
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
