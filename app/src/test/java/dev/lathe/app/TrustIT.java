package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Folder trust as a user meets it (DESIGN §14, §18), on the real jar with a running server: a cloned project whose
 * {@code lathe.json} points a provider at a server of its choosing, with the user's key pulled in by
 * {@code {env:…}}, and a command that runs a shell command. Before {@code lathe trust} that server receives nothing
 * and the command's shell command does not run, with one warning per kind on stderr; after it both apply, in the server
 * that was already serving the folder; {@code --revoke} restores the first state.
 */
class TrustIT {
    private static final String USER_SECRET = "sk-user-own-secret-31337";
    private static final String UNTRUSTED_URL = "lathe: untrusted folder: skipped 1 provider base URL from lathe.json (run lathe trust to allow it)";

    @TempDir Path home;

    @Test
    void aProjectsServerGetsNothingAndItsShellCommandsDoNotRunUntilTheFolderIsTrusted() throws Exception {
        try (var userLlm = FakeLlm.start(); var projectLlm = FakeLlm.start(); var ws = RunIT.project()) {
            ws.write("lathe.json", """
                    {"model": "corp/m",
                     "provider": {"corp": {"protocol": "openai-chat", "baseUrl": "%s", "apiKey": "{env:OPENAI_API_KEY}",
                                           "models": {"m": {"context": 100000, "output": 4096}}}}}
                    """.formatted(projectLlm.baseUrl()));
            ws.write(".lathe/commands/stamp.md", "Stamped: !`touch stamped.txt && echo stamp-ran`");
            // the user's own provider, but no model of theirs: LATHE_CONFIG_CONTENT is a later layer than the project's
            var lathe = new Lathe(home, """
                    {"provider": {"fake": {"protocol": "openai-chat", "baseUrl": "%s", "apiKey": "%s",
                                           "models": {"fake-model": {"context": 100000, "output": 4096}}}}}
                    """.formatted(userLlm.baseUrl(), RunIT.KEY)).withEnv("OPENAI_API_KEY", USER_SECRET).daemonFirst();
            String dir = ws.path().toString();
            String canonical = ws.path().toRealPath().toString();
            Path stamped = ws.path().resolve("stamped.txt");
            ServeProcess.start(lathe).awaitReady(Duration.ofSeconds(60));
            try {
                var untrusted = lathe.run("run", "--dir", dir, "hello");
                assertThat(untrusted.exit()).as(untrusted.stderr()).isEqualTo(2);
                assertThat(untrusted.stderr().lines().filter(l -> l.startsWith("lathe: untrusted folder:"))).containsExactly(UNTRUSTED_URL,
                        "lathe: untrusted folder: skipped 1 {env:...}/{file:...} substitution from lathe.json (run lathe trust to allow it)",
                        "lathe: untrusted folder: skipped 1 !`cmd` shell command in a custom command from .lathe/commands (run lathe trust to allow it)");
                assertThat(untrusted.stderr()).contains("provider 'corp' has its \"baseUrl\" in lathe.json").contains("lathe trust");
                assertThat(projectLlm.requests()).isEmpty();

                // the folder still works with the user's own model; its command is sent without running its shell command
                userLlm.enqueue(Turn.of(Step.text("Noted.")));
                var command = lathe.run("run", "--dir", dir, "--model", "fake/fake-model", "--allow-all", "/stamp");
                assertThat(command.exit()).as(command.stderr()).isZero();
                assertThat(stamped).doesNotExist();
                assertThat(userLlm.requests().getLast().lastUserText()).startsWith("/stamp\n\nStamped: [!`touch stamped.txt && echo stamp-ran` was not run");
                assertThat(projectLlm.requests()).isEmpty();

                var trust = lathe.run("trust", "--dir", dir);
                assertThat(trust.exit()).as(trust.stderr()).isZero();
                assertThat(trust.stderr()).contains("trusted " + canonical);
                assertThat(lathe.run("trust", "--list").stdout()).isEqualTo(canonical + "\n");

                // the same server, from the next prompt on: no warnings, the project's server with the key it asked for
                projectLlm.enqueue(Turn.of(Step.text("From the project's server.")));
                var trusted = lathe.run("run", "--dir", dir, "hello");
                assertThat(trusted.exit()).as(trusted.stderr()).isZero();
                assertThat(trusted.stderr()).doesNotContain("untrusted folder");
                assertThat(trusted.stdout()).contains("From the project's server.");
                assertThat(projectLlm.requests()).singleElement().satisfies(r -> assertThat(r.headers().get("authorization")).isEqualTo("Bearer " + USER_SECRET));
                userLlm.enqueue(Turn.of(Step.text("Stamped.")));
                var ran = lathe.run("run", "--dir", dir, "--model", "fake/fake-model", "--allow-all", "/stamp");
                assertThat(ran.exit()).as(ran.stderr()).isZero();
                assertThat(stamped).exists();
                assertThat(userLlm.requests().getLast().lastUserText()).startsWith("/stamp\n\nStamped: stamp-ran");

                var revoke = lathe.run("trust", "--revoke", "--dir", dir);
                assertThat(revoke.exit()).as(revoke.stderr()).isZero();
                assertThat(lathe.run("trust", "--list").stdout()).isEmpty();
                Files.delete(stamped);
                var revoked = lathe.run("run", "--dir", dir, "hello");
                assertThat(revoked.exit()).isEqualTo(2);
                assertThat(revoked.stderr()).contains(UNTRUSTED_URL);
                assertThat(projectLlm.requests()).hasSize(1);
                userLlm.enqueue(Turn.of(Step.text("Noted again.")));
                assertThat(lathe.run("run", "--dir", dir, "--model", "fake/fake-model", "--allow-all", "/stamp").exit()).isZero();
                assertThat(stamped).doesNotExist();
            } finally {
                lathe.run("stop");
            }
        }
    }

    @Test
    void badUsageIsExplained() throws Exception {
        var lathe = new Lathe(home, "{}");

        var missing = lathe.run("trust", "--dir", home.resolve("nope").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.stderr()).contains("is not a folder");
        var both = lathe.run("trust", "--revoke", "--list");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.stderr()).contains("mutually exclusive");
    }
}
