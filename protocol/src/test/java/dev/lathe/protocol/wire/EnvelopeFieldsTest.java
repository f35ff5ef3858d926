package dev.lathe.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.protocol.session.ToolState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link WireJson#writeEnvelope} puts the envelope's fields before the event's own in its text, which is the object a
 * tree merge made only while no event has a field named like one of the envelope's: the rule, and the equality.
 */
class EnvelopeFieldsTest {
    private static final Set<String> ENVELOPE_FIELDS = Set.of("seq", "at", "directory");

    @Test
    void noEventHasAFieldNamedLikeTheEnvelopes() {
        List<String> clashes = new ArrayList<>();
        for (Class<?> type : records(Event.class)) {
            for (var component : type.getRecordComponents()) {
                if (ENVELOPE_FIELDS.contains(component.getName())) clashes.add(type.getSimpleName() + "." + component.getName());
            }
        }
        assertThat(records(Event.class)).hasSizeGreaterThan(20);
        assertThat(clashes).as("event fields that the envelope's would collide with (name it otherwise, as NetworkBlocked's folder)").isEmpty();
    }

    @Test
    void theEnvelopeTextIsTheObjectATreeMergeMakes() {
        var session = new SessionId("ses_env");
        var message = new MessageId("msg_env");
        var input = new RawJson("{\"path\":\"a \\\"quoted\\\" ü.txt\",\"n\":[1,2.5,{\"x\":null}]}");
        var tool = new Part.Tool(new PartId("prt_env1"), session, message, "call", "read", new ToolState.Completed(input, "out \u001b[31m red\n",
                "a", Map.of("k", "v"), 1, 2, List.of(), Optional.of(new ToolDisplay.FileRead("a"))));
        List<Event> events = List.of(new Event.PartUpdated(tool),
                new Event.PartDelta(session, message, new PartId("prt_env2"), "text", "\"quoted\" \\ \u2028 ü 😀", 12),
                new Event.SessionStatusChanged(session, new SessionStatus.Queued(2, "a free session slot")),
                new Event.NetworkBlocked("/tmp/x", "example.com", "local-only"), new Event.ServerConnected());
        for (Event event : events) {
            for (Optional<String> directory : List.of(Optional.<String>empty(), Optional.of("/home/ü/\"odd\" dir"))) {
                var envelope = new EventEnvelope(42, 1_700_000_000_123L, directory, event);
                String text = WireJson.writeEnvelope(envelope);
                assertThat(text).isEqualTo(treeMerged(envelope));
                assertThat(WireJson.readEnvelope(text)).isEqualTo(envelope);
            }
        }
    }

    /** The way envelopes were written before: the event as a tree, merged after the envelope's fields. */
    private static String treeMerged(EventEnvelope envelope) {
        JsonMapper mapper = WireJson.mapper();
        ObjectNode out = mapper.createObjectNode();
        out.put("seq", envelope.seq());
        out.put("at", envelope.at());
        envelope.directory().ifPresent(d -> out.put("directory", d));
        out.setAll((ObjectNode) mapper.valueToTree(envelope.event()));
        return mapper.writeValueAsString(out);
    }

    private static List<Class<?>> records(Class<?> sealed) {
        List<Class<?>> out = new ArrayList<>();
        for (Class<?> c : sealed.getPermittedSubclasses()) {
            if (c.isRecord()) out.add(c);
            else if (c.isSealed()) out.addAll(records(c));
        }
        return out;
    }
}
