package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.client.ServerEndpoint;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.UpdateSessionRequest;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.PostgresCluster;
import dev.lathe.testkit.TempWorkspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The terminal UI on a team node (DESIGN §20 "Users"), in tmux: attached with alice's token from a machine of her own,
 * the session header names the session's owner and {@code /sessions} names each session's owner; the same UI on a
 * server without accounts shows no owner (TerminalUiIT's screens are unchanged).
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
            String config = Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-team");
            try (var team = TeamNode.start(tmp.resolve("node"), config, db.url())) {
                ServerEndpoint endpoint = team.endpoint();
                String alice = team.addUser("alice");
                String bob = team.addUser("bob");
                SessionId aliceSession;
                try (var asAlice = HttpLatheClient.connect(endpoint.uri(), alice, Optional.of(dir));
                        var asBob = HttpLatheClient.connect(endpoint.uri(), bob, Optional.of(dir))) {
                    SessionId bobSession = asBob.createSession(CreateSessionRequest.in(dir)).id();
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
            }
        }
    }
}
