package dev.lathe.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.api.LspProblemInfo;
import dev.lathe.protocol.api.LspServerInfo;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code lsp.diagnostics} and {@code lsp.status} on the wire: their JSON shape, and back (issue 28). */
class LspEventWireTest {
    @Test
    void diagnosticsHaveTheirDirectoryPathAndProblems() {
        var event = new Event.LspDiagnostics("/work/p", "src/app.py", List.of(new LspProblemInfo("ERROR", 3, 7, "\"x\" is not defined")));
        var envelope = new EventEnvelope(9, 1000, Optional.of("/work/p"), event);
        String json = WireJson.writeEnvelope(envelope);
        assertThat(json).isEqualTo("{\"seq\":9,\"at\":1000,\"directory\":\"/work/p\",\"type\":\"lsp.diagnostics\",\"folder\":\"/work/p\","
                + "\"path\":\"src/app.py\",\"problems\":[{\"severity\":\"ERROR\",\"line\":3,\"column\":7,\"message\":\"\\\"x\\\" is not defined\"}]}");
        assertThat(WireJson.readEnvelope(json)).isEqualTo(envelope);
        assertThat(Event.sessionOf(event)).isEmpty();
    }

    @Test
    void aStatusChangeRoundTrips() {
        var event = new Event.LspStatusChanged("/work/p", new LspServerInfo("pyright", "failed", "/usr/bin/pyright-langserver --stdio",
                Optional.of("exited with status 1")));
        var envelope = new EventEnvelope(10, 1000, Optional.of("/work/p"), event);
        String json = WireJson.writeEnvelope(envelope);
        assertThat(json).contains("\"type\":\"lsp.status\"", "\"server\":{\"name\":\"pyright\",\"state\":\"failed\"");
        assertThat(WireJson.readEnvelope(json)).isEqualTo(envelope);
    }
}
