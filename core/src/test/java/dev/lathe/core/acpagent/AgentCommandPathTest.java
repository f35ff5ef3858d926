package dev.lathe.core.acpagent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent's program is found on the PATH of the environment it runs with, not on the server's: the server's PATH may
 * hold another interpreter of the same name (a version manager's shim) that fails under the agent's environment.
 */
class AgentCommandPathTest {
    @TempDir
    Path dir;

    @Test
    void aBareNameIsFoundOnTheAgentsOwnPath() throws Exception {
        Path first = Files.createDirectories(dir.resolve("first"));
        Path second = Files.createDirectories(dir.resolve("second"));
        Files.writeString(first.resolve("agent"), "not executable");
        Path program = Files.writeString(second.resolve("agent"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
        var env = Map.of("PATH", first + ":" + second);
        assertThat(AgentConnection.onPathOf(List.of("agent", "--acp"), env)).containsExactly(program.toString(), "--acp");
    }

    @Test
    void aPathOrANameNotOnThePathIsLeftAsItIs() {
        assertThat(AgentConnection.onPathOf(List.of("./agent"), Map.of("PATH", dir.toString()))).containsExactly("./agent");
        assertThat(AgentConnection.onPathOf(List.of("no-such-agent-x"), Map.of("PATH", dir.toString()))).containsExactly("no-such-agent-x");
        assertThat(AgentConnection.onPathOf(List.of("agent"), Map.of())).containsExactly("agent");
    }
}
