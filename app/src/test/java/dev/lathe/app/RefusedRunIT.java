package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 82: a {@code lathe run} the administrator's policy refuses ({@code disableAllowAll} and {@code --allow-all}) leaves
 * no empty session on the board; the packaged jar, a managed folder of real files.
 */
class RefusedRunIT {
    @TempDir Path home;

    @Test
    void aRunTheManagedPolicyRefusesLeavesNoEmptySession() throws Exception {
        try (var llm = FakeLlm.start(); var ws = RunIT.project()) {
            Path managed = Files.createDirectories(home.resolve("etc-lathe"));
            Files.writeString(managed.resolve("managed.json"), "{\"disableAllowAll\": true}");
            var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), RunIT.KEY)).withEnv("LATHE_MANAGED_DIR", managed.toString());

            var refused = lathe.run("run", "--standalone", "--dir", ws.path().toString(), "--allow-all", "tidy up");
            assertThat(refused.exit()).as(refused.stderr()).isEqualTo(2);
            assertThat(refused.stderr()).contains("disableAllowAll");
            assertThat(llm.requests()).isEmpty();

            var listed = lathe.run("sessions", "--dir", ws.path().toString(), "--format", "json");
            assertThat(listed.exit()).as(listed.stderr()).isZero();
            assertThat(listed.stdout().strip()).isEqualTo("[]");
        }
    }
}
