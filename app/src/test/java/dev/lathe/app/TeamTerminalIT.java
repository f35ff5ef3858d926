package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.client.ServerEndpoint;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.api.UpdateSessionRequest;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.PostgresCluster;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The terminal UI on a team node (DESIGN §20 "Users"), in tmux: attached with alice's token from a machine of her own,
 * the session header names the session's owner and {@code /sessions} names each session's owner; on a session of
 * someone else's, its asks are said and never offered, so no key of hers answers them. The same UI on a server without
 * accounts shows no owner (TerminalUiIT's screens are unchanged).
 */
class TeamTerminalIT {
    static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir Path tmp;

    @Test
    void theHeaderAndTheSessionListNameOwners() throws Exception {
        var db = PostgresCluster.shared().newDatabase("team_tui");
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("README.md", "# team\n").initGitRepo();
            String dir = ws.path().toString();
            // a session's first step writes a file, which asks (edits ask here); then a plain answer
            llm.respondWith(r -> r.toolResult("w1").isPresent() ? Turn.of(Step.text("Wrote bob.txt."))
                    : Turn.of(Step.toolCall("w1", "write", "{\"path\":\"bob.txt\",\"content\":\"hi\\n\"}")));
            String config = Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-team")
                    .replaceFirst("^\\{", "{\"permission\": {\"*\": \"allow\", \"edit\": \"ask\"}, ");
            try (var team = TeamNode.start(tmp.resolve("node"), config, db.url())) {
                ServerEndpoint endpoint = team.endpoint();
                String alice = team.addUser("alice");
                String bob = team.addUser("bob");
                SessionId aliceSession;
                SessionId bobSession;
                try (var asAlice = HttpLatheClient.connect(endpoint.uri(), alice, Optional.of(dir));
                        var asBob = HttpLatheClient.connect(endpoint.uri(), bob, Optional.of(dir))) {
                    bobSession = asBob.createSession(CreateSessionRequest.in(dir)).id();
                    asBob.updateSession(bobSession, UpdateSessionRequest.title("Flaky test"));
                    aliceSession = asAlice.createSession(CreateSessionRequest.in(dir)).id();
                    asAlice.updateSession(aliceSession, UpdateSessionRequest.title("Release notes"));
                }
                // alice on a machine of her own: her token, the node's URL
                var laptop = new Lathe(tmp.resolve("alice"), config).withEnv("LATHE_SERVER_TOKEN", alice);
                Files.createDirectories(laptop.home());
                try (var tmux = Tmux.start(laptop.command("attach", endpoint.url(), "--session", aliceSession.value(), "--dir", dir), ws.path(), 120, 30)) {
                    String header = tmux.awaitText("owner alice", WAIT);
                    assertThat(header).contains("Release notes · " + aliceSession.value());
                    tmux.type("/sessions").sendKeys("Enter");
                    String picker = tmux.awaitText(Pattern.compile("Flaky test.*· bob ·"), WAIT);
                    assertThat(picker).containsPattern("Release notes.*· alice · " + aliceSession.value());
                    tmux.sendKeys("Escape");
                }
                // bob's session, watched by alice: his ask is said, not offered (the server would refuse her answer), so
                // keys she types answer nothing; bob answers it, and she sees the turn end
                try (var tmux = Tmux.start(laptop.command("attach", endpoint.url(), "--session", bobSession.value(), "--dir", dir), ws.path(), 120, 30);
                        var asBob = HttpLatheClient.connect(endpoint.uri(), bob, Optional.of(dir))) {
                    assertThat(tmux.awaitText("You are watching bob's session", WAIT)).contains("owner bob")
                            .contains("only bob or an admin can prompt it or answer its asks");
                    asBob.prompt(bobSession, PromptRequest.text("bob: write your file"));
                    String screen = tmux.awaitText("… waiting for bob to answer: edit", WAIT);
                    assertThat(screen).doesNotContain("Yes, once");
                    tmux.type("1").sendKeys("Enter");
                    tmux.awaitText(Pattern.compile("✗ .*bob"), WAIT);  // her message refused, named why
                    assertThat(asBob.permissions(dir)).extracting(p -> p.sessionId()).containsExactly(bobSession);
                    var ask = asBob.permissions(dir).getFirst();
                    asBob.replyPermission(ask.id(), PermissionReplyRequest.of(PermissionReply.ONCE));
                    assertThat(tmux.awaitText("Wrote bob.txt.", WAIT)).doesNotContain("Yes, once");
                }
            }
        }
    }
}
