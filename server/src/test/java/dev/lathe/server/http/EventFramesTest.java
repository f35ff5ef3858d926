package dev.lathe.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.wire.WireJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An SSE frame is the bytes it was before its JSON was written in place and shared (issue 55), and every subscriber of
 * an event gets the one frame, while an envelope of the same {@code seq} (a subscriber's own resync) gets its own.
 */
class EventFramesTest {
    private static final SessionId SESSION = SessionId.next();
    private static final MessageId MESSAGE = MessageId.next();

    @Test
    void framesAreTheBytesTheyWereOneLineOrMany() {
        var multiLine = new RawJson("{\n  \"path\": \"a.txt\",\r\n  \"n\": 1\r}");
        var tool = new Part.Tool(PartId.next(), SESSION, MESSAGE, "call", "read",
                new ToolState.Completed(multiLine, "text \"quoted\" ü\n", "a.txt", Map.of("k", "v"), 1, 2));
        List<Event> events = List.of(new Event.PartUpdated(tool), new Event.PartUpdated(tool.withState(new ToolState.Pending(new RawJson("{}")))),
                new Event.PartDelta(SESSION, MESSAGE, tool.id(), "text", "line\nnext ü", 3), new Event.SessionDeleted(SESSION), new Event.ServerHeartbeat());
        for (Event event : events) {
            for (long seq : new long[] {0, 1_764_000_000_000_001L}) {
                var envelope = new EventEnvelope(seq, 1_764_000_000_123L, Optional.of("/work/ü"), event);
                assertThat(new String(EventStream.frame(envelope), StandardCharsets.UTF_8)).isEqualTo(before(envelope));
            }
        }
    }

    @Test
    void everySubscriberOfAnEventGetsTheOneFrameAndAResyncOfTheSameSeqItsOwn() {
        var envelope = new EventEnvelope(1_764_000_000_000_002L, 5, Optional.empty(), new Event.SessionDeleted(SESSION));
        byte[] first = EventStream.encoded(envelope).bytes();
        assertThat(EventStream.encoded(envelope).bytes()).isSameAs(first);
        var resync = new EventEnvelope(envelope.seq(), 5, Optional.empty(), new Event.Resync());
        assertThat(new String(EventStream.encoded(resync).bytes(), StandardCharsets.UTF_8)).contains("event: resync").doesNotContain("session.deleted");
        var equalButAnother = new EventEnvelope(envelope.seq(), 5, Optional.empty(), new Event.SessionDeleted(SESSION));
        assertThat(EventStream.encoded(equalButAnother).bytes()).isNotSameAs(first).isEqualTo(first);
    }

    /** The frame as written before: the event by Jackson after the envelope's fields, one data line per line. */
    private static String before(EventEnvelope envelope) {
        String event = WireJson.mapper().writeValueAsString(envelope.event());
        var json = new StringBuilder().append("{\"seq\":").append(envelope.seq()).append(",\"at\":").append(envelope.at());
        envelope.directory().ifPresent(d -> json.append(",\"directory\":").append(WireJson.mapper().writeValueAsString(d)));
        if (event.length() > 2) json.append(',').append(event, 1, event.length());
        else json.append('}');
        var sb = new StringBuilder();
        if (envelope.seq() > 0) sb.append("id: ").append(envelope.seq()).append('\n');
        sb.append("event: ").append(EventTypes.of(envelope.event())).append('\n');
        for (String line : json.toString().split("\r\n|\r|\n", -1)) sb.append("data: ").append(line).append('\n');
        return sb.append('\n').toString();
    }
}
