package dev.lathe.protocol.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.wire.WireJson;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code hook} part on the wire, and what a reader does with a part type it does not know (a newer server's). */
class HookPartJsonTest {
    private static final Part.Hook BLOCKED = new Part.Hook(new PartId("prt_1"), new SessionId("ses_1"), new MessageId("msg_1"), "PreToolUse",
            "./guard.sh", ".claude/settings.json", Optional.of("Bash"), Optional.of("call_1"), Optional.of(2), 12, "blocked", "no pushes");

    @Test
    void aHookPartSurvivesARoundTripWithItsWireNames() {
        String json = WireJson.write(BLOCKED);

        assertThat(json).contains("\"type\":\"hook\"").contains("\"event\":\"PreToolUse\"").contains("\"handler\":\"./guard.sh\"")
                .contains("\"source\":\".claude/settings.json\"").contains("\"matcher\":\"Bash\"").contains("\"callId\":\"call_1\"")
                .contains("\"exitCode\":2").contains("\"durationMillis\":12").contains("\"decision\":\"blocked\"").contains("\"message\":\"no pushes\"")
                .doesNotContain("misbehaved");
        assertThat(WireJson.read(json, Part.class)).isEqualTo(BLOCKED);
    }

    @Test
    void absentMatcherCallAndExitAreLeftOut() {
        var timedOut = new Part.Hook(new PartId("prt_2"), new SessionId("ses_1"), new MessageId("msg_1"), "Stop", "https://127.0.0.1:9/h",
                "lathe.json", Optional.empty(), Optional.empty(), Optional.empty(), 30_000, "timed out", "killed after 30 s");
        String json = WireJson.write(timedOut);

        assertThat(json).doesNotContain("matcher").doesNotContain("callId").doesNotContain("exitCode");
        assertThat(WireJson.read(json, Part.class)).isEqualTo(timedOut);
        assertThat(timedOut.misbehaved()).isTrue();
        assertThat(BLOCKED.misbehaved()).isFalse();
    }

    @Test
    void aPartTypeThisReaderDoesNotKnowIsLeftOutOfItsMessageAndItsEventDoesNotRead() {
        String message = "{\"info\":{\"role\":\"user\",\"id\":\"msg_1\",\"sessionId\":\"ses_1\",\"createdAt\":1,\"agent\":\"build\",\"model\":\"a/b\"},"
                + "\"parts\":[{\"type\":\"future-kind\",\"id\":\"prt_0\",\"sessionId\":\"ses_1\",\"messageId\":\"msg_1\",\"x\":1},"
                + WireJson.write(new Part.Text(new PartId("prt_1"), new SessionId("ses_1"), new MessageId("msg_1"), "hi", false)) + "]}";

        var read = WireJson.read(message, MessageWithParts.class);
        assertThat(read.parts()).singleElement().isInstanceOfSatisfying(Part.Text.class, t -> assertThat(t.text()).isEqualTo("hi"));

        String event = "{\"type\":\"message.part.updated\",\"part\":{\"type\":\"future-kind\",\"id\":\"prt_0\",\"sessionId\":\"ses_1\",\"messageId\":\"msg_1\"}}";
        assertThatThrownBy(() -> WireJson.read(event, Event.class)).isInstanceOf(IllegalArgumentException.class);
        assertThat(WireJson.read(WireJson.write(new Event.PartUpdated(BLOCKED)), Event.class)).isEqualTo(new Event.PartUpdated(BLOCKED));
    }
}
