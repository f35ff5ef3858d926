package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.NpmServers;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A session on an ACP agent no one here wrote: Claude Code through its ACP adapter
 * ({@code @agentclientprotocol/claude-agent-acp} from the npm registry, in testkit/npm), with Claude Code pointed at
 * the fake model speaking Anthropic Messages on loopback. The daemon (the jar, started by {@code lathe run}) runs the
 * turn in the agent: Claude Code reads and edits the file with its own tools, its edit permission is decided by
 * Lathe's rules, and the turn is stored as Lathe parts that {@code lathe export} shows. Any request Claude Code would
 * make elsewhere goes to a loopback proxy that records it, and there must be none.
 */
class AcpAgentIT {
    @TempDir Path home;

    /** The fake model's answers, chosen from each request (Claude Code also asks for a title, in no fixed order). */
    private static Turn answer(RecordedRequest r, Path file, Path denied) {
        if (!r.toolNames().contains("Edit")) return Turn.of(Step.text("Changing a word"));
        List<JsonNode> messages = r.messages();
        String last = messages.getLast().toString();
        if (last.contains("\"tool_use_id\":\"toolu_read\"")) {
            return Turn.of(Step.toolCall("toolu_edit", "Edit", "{\"file_path\":\"" + file + "\",\"old_string\":\"alpha\",\"new_string\":\"beta\"}"));
        }
        if (last.contains("\"tool_use_id\":\"toolu_edit\"")) return Turn.of(Step.text("I changed alpha to beta in a.txt."));
        if (last.contains("\"tool_use_id\":\"toolu_write\"")) return Turn.of(Step.text("I could not write it."));
        if (last.contains("write the secret file")) return Turn.of(Step.toolCall("toolu_write", "Write", "{\"file_path\":\"" + denied + "\",\"content\":\"leak\\n\"}"));
        return Turn.of(Step.text("Let me read it first."), Step.toolCall("toolu_read", "Read", "{\"file_path\":\"" + file + "\"}"));
    }

    @Test
    void claudeCodeRunsTheTurnAndItsEditIsStoredAsLatheParts() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create(); var proxy = new RecordingProxy()) {
            ws.write("a.txt", "alpha\n").initGitRepo();
            Path file = ws.path().resolve("a.txt").toRealPath();
            Path denied = ws.path().toRealPath().resolve("secret.txt");
            llm.respondWith(r -> answer(r, file, denied));
            // Claude Code's own home, fresh; Lathe selects its "default" mode, in which it asks permission (its adapter's own
            // default, "auto", would ask nothing and Lathe's rules would never be consulted)
            Path claudeHome = Files.createDirectories(home.resolve("claude-home"));
            String env = "{\"HOME\": \"" + claudeHome + "\", \"ANTHROPIC_BASE_URL\": \"" + llm.baseUrl().replaceAll("/v1$", "") + "\","
                    + " \"ANTHROPIC_API_KEY\": \"sk-ant-dummy\", \"DISABLE_AUTOUPDATER\": \"1\", \"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC\": \"1\","
                    + " \"DISABLE_TELEMETRY\": \"1\", \"IS_SANDBOX\": \"1\", \"HTTPS_PROXY\": \"" + proxy.url() + "\", \"HTTP_PROXY\": \"" + proxy.url() + "\","
                    + " \"NO_PROXY\": \"127.0.0.1,localhost\"}";
            String config = "{\"model\": \"acp/claude\", \"provider\": {\"acp\": {\"models\": {\"claude\": {\"command\": [\""
                    + NpmServers.bin("claude-agent-acp") + "\"], \"mode\": \"default\", \"env\": " + env + "}}}},"
                    + " \"permission\": {\"edit\": {\"*\": \"allow\", \"secret.txt\": \"deny\"}}}";
            var lathe = new Lathe(home, config).daemonFirst();
            try {
                // Claude Code loads what the folder defines for it (.claude settings, hooks, MCP servers): not before it is trusted
                var untrusted = lathe.run("run", "--dir", ws.path().toString(), "change alpha to beta in a.txt");
                assertThat(untrusted.exit()).isNotZero();
                assertThat(untrusted.stdout() + untrusted.stderr()).contains("lathe trust");
                assertThat(Files.readString(file)).isEqualTo("alpha\n");
                assertThat(lathe.run("trust", "--dir", ws.path().toString()).exit()).isZero();

                var run = lathe.run("run", "--dir", ws.path().toString(), "--format", "json", "change alpha to beta in a.txt");
                assertThat(run.exit()).as(run.stderr()).isZero();
                assertThat(Files.readString(file)).isEqualTo("beta\n");
                JsonNode result = RunIT.JSON.readTree(run.stdout().lines().toList().getLast());
                assertThat(result.path("text").asString()).contains("I changed alpha to beta in a.txt.");
                String session = result.path("sessionId").asString();

                var export = lathe.run("export", session);
                assertThat(export.exit()).as(export.stderr()).isZero();
                JsonNode doc = RunIT.JSON.readTree(export.stdout());
                JsonNode answer = doc.path("messages").get(1);
                assertThat(answer.path("info").path("model").asString()).isEqualTo("acp/claude");
                List<JsonNode> parts = List.copyOf(answer.path("parts").valueStream().toList());
                assertThat(parts).anySatisfy(p -> assertThat(p.path("text").asString()).isEqualTo("Let me read it first."));
                assertThat(parts).anySatisfy(p -> {
                    assertThat(p.path("tool").asString()).isEqualTo("Read");
                    assertThat(p.path("state").path("status").asString()).isEqualTo("completed");
                    assertThat(p.path("state").path("output").asString()).contains("alpha");
                });
                assertThat(parts).anySatisfy(p -> {
                    assertThat(p.path("tool").asString()).isEqualTo("Edit");
                    assertThat(p.path("callId").asString()).isEqualTo("toolu_edit");
                    assertThat(p.path("state").path("status").asString()).isEqualTo("completed");
                    assertThat(p.path("state").path("display").path("type").asString()).isEqualTo("file_change");
                    assertThat(p.path("state").path("display").path("diff").asString()).contains("-alpha").contains("+beta");
                    assertThat(p.path("state").path("metadata").path("path").asString()).isEqualTo("a.txt");
                });
                assertThat(parts).anySatisfy(p -> assertThat(p.path("type").asString()).isEqualTo("step-finish"));

                // the same agent session goes on; Claude Code's write is decided by Lathe's deny rule: the agent is told no, goes
                // on and says so (DESIGN §26), and the run names the denied call
                var again = lathe.run("run", "--dir", ws.path().toString(), "--continue", "--format", "json", "now write the secret file");
                assertThat(again.exit()).as(again.stdout() + again.stderr()).isZero();
                assertThat(again.stderr()).contains("lathe: denied: Write").contains("by edit: secret.txt");
                assertThat(denied).doesNotExist();
                assertThat(llm.requests()).filteredOn(r -> r.toolNames().contains("Edit")).last()
                        .satisfies(r -> assertThat(r.body()).contains("change alpha to beta in a.txt"));
            } finally {
                lathe.stopDaemon();
            }
            assertThat(proxy.seen()).as("requests Claude Code made beyond the fake model").isEmpty();
            // the daemon stopped its agent, and what that agent started
            Thread.sleep(500);
            assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(NpmServers.bin("claude-agent-acp").getParent()
                    .getParent().toString()) && p.info().commandLine().orElse("").contains("claude")).toList()).isEmpty();
        }
    }

    /** A proxy on loopback that only records what connects to it (its first line) and answers nothing. */
    private static final class RecordingProxy implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<String> seen = new CopyOnWriteArrayList<>();

        RecordingProxy() throws java.io.IOException {
            Thread.ofVirtual().start(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket s = socket.accept();
                        Thread.ofVirtual().start(() -> {
                            try (s; var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
                                seen.add(String.valueOf(in.readLine()));
                            } catch (java.io.IOException e) {
                                seen.add("connection: " + e.getMessage());
                            }
                        });
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
        }

        String url() { return "http://127.0.0.1:" + socket.getLocalPort(); }

        List<String> seen() { return List.copyOf(seen); }

        @Override public void close() throws java.io.IOException { socket.close(); }
    }
}
