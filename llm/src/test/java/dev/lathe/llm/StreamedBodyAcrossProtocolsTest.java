package dev.lathe.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every protocol keeps its last bodies in one bound ({@link StreamedBody#KEPT}): a history one protocol wrote (a turn
 * that fails over to a provider speaking another) is never the start of another protocol's body, even when the heads
 * are written from the same values.
 */
class StreamedBodyAcrossProtocolsTest {
    private record HeadOfA(String model) {}

    private record HeadOfB(String model) {}

    private static final StreamedBody<HeadOfA> A = new StreamedBody<>((h, g) -> {
        g.writeStartObject();
        g.writeStringProperty("model", h.model());
        g.writeArrayPropertyStart("messages");
    });
    private static final StreamedBody<HeadOfB> B = new StreamedBody<>((h, g) -> {
        g.writeStartObject();
        g.writeStringProperty("model", h.model());
        g.writeArrayPropertyStart("input");
    });

    private static StreamedBody.Messages items(String kind) {
        return (i, m) -> new EncodedJson(("{\"" + kind + "\":\"" + ((Content.Text) m.content().getFirst()).text() + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private static String text(dev.lathe.llm.http.RequestBody body) {
        return new String(body.bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void aBodyKeptByOneProtocolIsNeverTheStartOfAnothers() {
        KeptBodies<StreamedBody.Sent> shared = KeptBodies.upTo(1L << 20);
        List<LlmMessage> history = new ArrayList<>();
        for (int i = 0; i < 5; i++) history.add(LlmMessage.user(List.of(new Content.Text("read " + i))));
        String a = text(A.write(new HeadOfA("m"), history, history.size(), items("a"), shared));
        assertThat(a).isEqualTo("{\"model\":\"m\",\"messages\":[{\"a\":\"read 0\"},{\"a\":\"read 1\"},{\"a\":\"read 2\"},{\"a\":\"read 3\"},{\"a\":\"read 4\"}]}");
        String b = text(B.write(new HeadOfB("m"), history, history.size(), items("b"), shared));
        assertThat(b).isEqualTo(text(B.write(new HeadOfB("m"), history, history.size(), items("b"), KeptBodies.none())))
                .startsWith("{\"model\":\"m\",\"input\":[{\"b\":\"read 0\"}");
        // and back: the first protocol's next step finds the other's body kept, and writes its own whole again
        history.add(LlmMessage.user(List.of(new Content.Text("read 5"))));
        String again = text(A.write(new HeadOfA("m"), history, history.size(), items("a"), shared));
        assertThat(again).isEqualTo(text(A.write(new HeadOfA("m"), history, history.size(), items("a"), KeptBodies.none())));
    }
}
