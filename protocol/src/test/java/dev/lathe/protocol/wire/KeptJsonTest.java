package dev.lathe.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Message;
import dev.lathe.protocol.session.MessageError;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Quota;
import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.UserMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A part or message the store wrote is announced with the store's text (decision 541): the envelope is the one the
 * mapper writes for the event, byte for byte, for every kind of part and both messages, and the kept text is used
 * only for the very object it was written for.
 */
class KeptJsonTest {
    private static final SessionId SESSION = new SessionId("ses_kept");
    private static final MessageId MESSAGE = new MessageId("msg_kept");
    private static final RawJson INPUT = new RawJson("{\"path\":\"a \\\"q\\\" ü.txt\",\"n\":[1,2.5,{\"x\":null}]}");

    @Test
    void anEventOfAStoredObjectIsTheMappersEnvelopeByteForByte() {
        List<Object> stored = new ArrayList<>(parts());
        stored.add(new UserMessage(MESSAGE, SESSION, 5, "build", "fake/m"));
        stored.add(new AssistantMessage(new MessageId("msg_a"), SESSION, MESSAGE, "build", "fake/m", 6, Optional.empty(), Optional.empty(),
                Optional.empty(), new Usage(1, 2, 3, 4, 5), 7));
        stored.add(new AssistantMessage(new MessageId("msg_b"), SESSION, MESSAGE, "plan", "fake/m", 6, Optional.of(9L), Optional.of("error"),
                Optional.of(new MessageError("aborted", "by \"you\"")), Usage.ZERO, 0));
        for (Object value : stored) {
            Event event = value instanceof Part p ? new Event.PartUpdated(p) : new Event.MessageUpdated((Message) value);
            for (Optional<String> directory : List.of(Optional.<String>empty(), Optional.of("/home/ü/\"odd\" dir"))) {
                var envelope = new EventEnvelope(42, 1_700_000_000_123L, directory, event);
                String written = WireJson.writeEnvelope(envelope);
                assertThat(WireJson.writeStored(value)).isEqualTo(WireJson.write(value));
                assertThat(WireJson.STORED.find(value)).as("kept: %s", value).isNotNull();
                assertThat(WireJson.writeEnvelope(envelope)).as("%s", value).isEqualTo(written);
                assertThat(WireJson.readEnvelope(written)).isEqualTo(envelope);
            }
        }
    }

    @Test
    void theKeptTextIsUsedForTheVeryObjectAndNoOther() {
        var part = new Part.Text(new PartId("prt_one"), SESSION, MESSAGE, "hello", false);
        var equal = new Part.Text(new PartId("prt_one"), SESSION, MESSAGE, "hello", false);
        WireJson.STORED.keep(part, "{\"marker\":1}");
        assertThat(WireJson.writeEnvelope(new EventEnvelope(1, 2, Optional.empty(), new Event.PartUpdated(part))))
                .isEqualTo("{\"seq\":1,\"at\":2,\"type\":\"message.part.updated\",\"part\":{\"marker\":1}}");
        assertThat(WireJson.writeEnvelope(new EventEnvelope(1, 2, Optional.empty(), new Event.PartUpdated(equal))))
                .isEqualTo("{\"seq\":1,\"at\":2,\"type\":\"message.part.updated\",\"part\":" + WireJson.write(equal) + "}");
    }

    @Test
    void aTextLongerThanTheBoundIsNotKept() {
        var kept = new KeptJson();
        var big = new Object();
        kept.keep(big, "x".repeat(KeptJson.MAX_CHARS + 1));
        assertThat(kept.find(big)).isNull();
        var small = new Object();
        kept.keep(small, "{}");
        assertThat(kept.find(small)).isEqualTo("{}");
    }

    private static List<Part> parts() {
        var display = Optional.<ToolDisplay>of(new ToolDisplay.FileRead("a"));
        return List.of(
                new Part.Text(new PartId("prt_1"), SESSION, MESSAGE, "\"quoted\" \\ \u2028 ü 😀 \u001b[31m", true),
                new Part.Reasoning(new PartId("prt_2"), SESSION, MESSAGE, "think", Map.of("z", "1", "a", "2")),
                new Part.Tool(new PartId("prt_3"), SESSION, MESSAGE, "call", "read", new ToolState.Pending(INPUT)),
                new Part.Tool(new PartId("prt_4"), SESSION, MESSAGE, "call", "read", new ToolState.Running(INPUT, "t", 1, "so far", display),
                        Map.of("sig", "x")),
                new Part.Tool(new PartId("prt_5"), SESSION, MESSAGE, "call", "read",
                        new ToolState.Completed(INPUT, "out\n", "a", Map.of("k", "v", "b", "c"), 1, 2, List.of(), display)),
                new Part.Tool(new PartId("prt_6"), SESSION, MESSAGE, "call", "read", new ToolState.Failed(INPUT, "no", 1, 2, Optional.empty())),
                new Part.File(new PartId("prt_7"), SESSION, MESSAGE, "image/png", "a.png", "data:,x"),
                new Part.StepStart(new PartId("prt_8"), SESSION, MESSAGE, Optional.of("tree"), Map.of("system", "ab")),
                new Part.StepFinish(new PartId("prt_9"), SESSION, MESSAGE, "tool_calls", new Usage(1, 2, 3, 4, 5), 6, Optional.empty(),
                        List.of(new Quota("5h", 1, 2, "2026-11-28T00:00:00Z"))),
                new Part.StepFinish(new PartId("prt_10"), SESSION, MESSAGE, "stop", Usage.ZERO, 0, Optional.of("t")),
                new Part.Patch(new PartId("prt_11"), SESSION, MESSAGE, "snap", List.of("a", "b")),
                new Part.Compaction(new PartId("prt_12"), SESSION, MESSAGE, true, Optional.of(MESSAGE), List.of("c1"), Optional.empty()),
                new Part.Subtask(new PartId("prt_13"), SESSION, MESSAGE, new SessionId("ses_child"), "explore", "look"),
                new Part.Retry(new PartId("prt_14"), SESSION, MESSAGE, 2, "overloaded", 99),
                new Part.ModelSwitch(new PartId("prt_15"), SESSION, MESSAGE, "a/b", "c/d", "quota"),
                new Part.Hook(new PartId("prt_16"), SESSION, MESSAGE, "PreToolUse", "echo hi", "/p/.lathe/hooks.json", Optional.of("read"),
                        Optional.of("call"), Optional.of(0), 12, "allow", "ok"));
    }
}
