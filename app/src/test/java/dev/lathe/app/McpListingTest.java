package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.api.McpServerInfo;
import dev.lathe.server.local.LocalCommands.McpServerRow;
import dev.lathe.server.local.LocalCommands.McpUntrusted;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class McpListingTest {
    final List<McpServerRow> rows = List.of(new McpServerRow("ev", "local", "ev-server stdio", true),
            new McpServerRow("off", "local", "old-server", false), new McpServerRow("docs", "remote", "https://h/mcp?…", true));
    final List<McpUntrusted> untrusted = List.of(new McpUntrusted("proj", ".mcp.json"));

    @Test
    void withoutARunningServerEachConfiguredServerIsNotRunningOrDisabledThenTheUntrustedOnes() {
        assertThat(McpListing.lines(rows, untrusted, Optional.empty())).containsExactly(
                "ev\tlocal\tnot running\tev-server stdio\t", "off\tlocal\tdisabled\told-server\t",
                "docs\tremote\tnot running\thttps://h/mcp?…\t", "proj\t-\tuntrusted (run lathe trust)\t.mcp.json\t");
    }

    @Test
    void theRunningServersStatesAndErrorsOnOneLineAndServersOnlyItKnows() {
        var live = List.of(new McpServerInfo("docs", "needs_auth", Optional.of("401 from the server\nrun lathe mcp auth docs"), 0),
                new McpServerInfo("ev", "connected", Optional.empty(), 1), new McpServerInfo("off", "disabled", Optional.empty(), 0),
                new McpServerInfo("extra", "failed", Optional.of("exited\twith 1"), 3));
        assertThat(McpListing.lines(rows, List.of(), Optional.of(live))).containsExactly(
                "ev\tlocal\tconnected\tev-server stdio\t", "off\tlocal\tdisabled\told-server\t",
                "docs\tremote\tneeds_auth\thttps://h/mcp?…\t401 from the server / run lathe mcp auth docs",
                "extra\t-\tfailed\t-\texited with 1");
    }

    /** A connected server's error is from before Lathe started it again: said so, not as the state of what runs now. */
    @Test
    void aConnectedServersErrorIsFromBeforeItsRestart() {
        var live = List.of(new McpServerInfo("ev", "connected", Optional.of("the server exited; stderr: Killed"), 2));
        assertThat(McpListing.lines(rows, List.of(), Optional.of(live)).getFirst())
                .isEqualTo("ev\tlocal\tconnected\tev-server stdio\trestarted 2× by Lathe; before: the server exited; stderr: Killed");
    }
}
