package dev.lathe.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.EditorAnswer;
import dev.lathe.protocol.api.EditorAttachRequest;
import dev.lathe.protocol.api.EditorAttachment;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.RequestShape;
import dev.lathe.protocol.event.EditorRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The editor attachment's JSON ({@code lathe acp}'s fs relay): the event, the bodies, and their shape checks. */
class EditorWireTest {
    private static final SessionId SESSION = new SessionId("ses_01a2104193700000kHyG63Dhnx");

    @Test
    void aReadRequestHasNoContentAndAWritesEventOnlyItsSize() {
        var read = new EditorRequest("edr_1", SESSION, "eda_1", EditorRequest.Operation.READ, "/work/p/a.txt", Optional.empty(), 0, 5);
        var envelope = new EventEnvelope(9, 1000, Optional.of("/work/p"), new Event.EditorRequested(read));
        String json = WireJson.writeEnvelope(envelope);
        assertThat(json).isEqualTo("{\"seq\":9,\"at\":1000,\"directory\":\"/work/p\",\"type\":\"editor.requested\",\"request\":{\"id\":\"edr_1\","
                + "\"sessionId\":\"" + SESSION.value() + "\",\"attachmentId\":\"eda_1\",\"op\":\"read\",\"path\":\"/work/p/a.txt\",\"size\":0,\"time\":5}}");
        assertThat(WireJson.readEnvelope(json)).isEqualTo(envelope);
        assertThat(Event.sessionOf(envelope.event())).contains(SESSION);

        var write = new EditorRequest("edr_2", SESSION, "eda_1", EditorRequest.Operation.WRITE, "/work/p/a.txt", Optional.of("new\r\ntext"), 9, 6);
        String writeJson = WireJson.write(new Event.EditorRequested(write.withoutContent()));
        assertThat(writeJson).contains("\"op\":\"write\"", "\"size\":9").doesNotContain("content");
        // GET /editor/{id} answers the whole request
        assertThat(WireJson.write(write)).contains("\"content\":\"new\\r\\ntext\"");
        assertThat(WireJson.read(WireJson.write(write), EditorRequest.class)).isEqualTo(write);
    }

    @Test
    void bodiesReadAsTheRouteDocumentsThem() {
        assertThat(WireJson.read("{\"read\":true}", EditorAttachRequest.class)).satisfies(r -> {
            assertThat(r.reads()).isTrue();
            assertThat(r.writes()).isFalse();
        });
        assertThat(WireJson.read("{\"content\":\"x\"}", EditorAnswer.class)).isEqualTo(EditorAnswer.text("x"));
        assertThat(WireJson.read("{\"ok\":true}", EditorAnswer.class)).isEqualTo(EditorAnswer.saved());
        assertThat(WireJson.read("{\"error\":\"no such buffer\"}", EditorAnswer.class)).isEqualTo(EditorAnswer.failed("no such buffer"));
        assertThat(WireJson.write(new EditorAttachment(SESSION, "eda_1", true, false)))
                .isEqualTo("{\"sessionId\":\"" + SESSION.value() + "\",\"attachmentId\":\"eda_1\",\"read\":true,\"write\":false}");
    }

    @Test
    void shapeChecksNameWhatIsWrong() {
        assertThatThrownBy(() -> RequestShape.check(WireJson.read("{}", EditorAttachRequest.class))).isInstanceOf(LatheException.InvalidInput.class)
                .hasMessageContaining("read and/or write");
        assertThatThrownBy(() -> RequestShape.check(WireJson.read("{}", EditorAnswer.class))).isInstanceOf(LatheException.InvalidInput.class)
                .hasMessageContaining("exactly one of");
        assertThatThrownBy(() -> RequestShape.check(WireJson.read("{\"content\":\"a\",\"error\":\"b\"}", EditorAnswer.class)))
                .hasMessageContaining("exactly one of");
        assertThatThrownBy(() -> RequestShape.check(new EditorAnswer(Optional.empty(), Optional.of(false), Optional.empty())))
                .hasMessageContaining("ok must be true");
        assertThat(RequestShape.check(EditorAnswer.text(""))).isEqualTo(EditorAnswer.text(""));
    }
}
