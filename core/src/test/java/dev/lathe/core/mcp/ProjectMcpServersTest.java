package dev.lathe.core.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.mcp.McpOptions;
import dev.lathe.mcp.McpServerSpec;
import dev.lathe.mcp.McpServerStatus;
import dev.lathe.testkit.NpmServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-project MCP servers: kept while the list is unchanged, replaced when it changes, stopped with the project. */
class ProjectMcpServersTest {
    @TempDir Path tmp;

    private static McpServerSpec.Local local(String name, String... command) {
        return new McpServerSpec.Local(name, List.of(command), Map.of(), McpServerSpec.Activation.ENABLED, Duration.ofSeconds(30));
    }

    @Test
    void serversFollowTheProjectsConfiguration() throws Exception {
        List<String> statuses = new CopyOnWriteArrayList<>();
        Path root = Files.createDirectories(tmp.resolve("proj"));
        Path pid = tmp.resolve("hang.pid");
        var everything = local("everything", NpmServers.bin("mcp-server-everything").toString());
        var hang = local("hang", "sh", "-c", "echo $$ > '" + pid + "'; exec sleep 1000");
        try (var servers = new ProjectMcpServers(tmp.resolve("state"), McpOptions.Backoff.DEFAULT,
                (folder, s) -> statuses.add(folder.getFileName() + " " + s.name() + " " + s.phase().wire()))) {
            var first = servers.open(root, Map.of("everything", everything, "hang", hang), System.getenv());
            assertThat(servers.open(root, Map.of("everything", everything, "hang", hang), System.getenv())).isSameAs(first);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (first.client("everything").isEmpty() && System.nanoTime() < deadline) Thread.sleep(50);
            assertThat(first.client("everything").orElseThrow().listTools().tools()).isNotEmpty();
            while (!Files.exists(pid) && System.nanoTime() < deadline) Thread.sleep(20);
            Thread.sleep(200);
            long hangPid = Long.parseLong(Files.readString(pid).strip());

            var second = servers.open(root, Map.of("everything", everything), System.getenv());
            assertThat(second).isNotSameAs(first);
            // the kill is sent before open returns; the process may take a moment to be gone on a loaded machine
            long killDeadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (ProcessHandle.of(hangPid).filter(ProcessHandle::isAlive).map(p -> state(hangPid)).isPresent() && System.nanoTime() < killDeadline) {
                Thread.sleep(20);
            }
            assertThat(ProcessHandle.of(hangPid).filter(ProcessHandle::isAlive).map(p -> state(hangPid))).isEmpty();
            assertThat(second.statuses()).extracting(McpServerStatus::name).containsExactly("everything");
            assertThat(statuses).contains("proj everything connected", "proj hang starting");
            assertThat(Files.list(tmp.resolve("state/mcp")).toList()).hasSize(1);
            // the environment they start from is part of what they run with: another one (a provider key added to the
            // config, so one more variable left out) starts them again
            var environment = new java.util.HashMap<>(System.getenv());
            environment.put("LATHE_TEST_EXTRA", "x");
            assertThat(servers.open(root, Map.of("everything", everything), environment)).isNotSameAs(second);

            servers.close(root);
            assertThat(servers.of(root)).isEmpty();
        }
    }

    /** A zombie (killed, not reaped where PID 1 does not reap) counts as gone: empty for it. */
    private static String state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char s = stat.charAt(stat.lastIndexOf(')') + 2);
            return s == 'Z' || s == 'X' ? null : String.valueOf(s);
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
