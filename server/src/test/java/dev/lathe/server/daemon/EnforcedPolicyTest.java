package dev.lathe.server.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.api.ClientEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decision 552: which managed policy a client's work meets, and when a shell is told it names another. */
class EnforcedPolicyTest {
    @TempDir Path tmp;

    @Test
    void aShellNamingNoFolderOrTheServersOwnUsesItAnyOtherIsTold() throws Exception {
        Path strict = Files.createDirectories(tmp.resolve("strict"));
        Path viaLink = Files.createSymbolicLink(tmp.resolve("link"), strict);
        String servers = strict.resolve("managed.json").toString();

        assertThat(EnforcedPolicy.mismatch(Map.of(), servers, 7)).isEmpty();
        assertThat(EnforcedPolicy.mismatch(Map.of("LATHE_MANAGED_DIR", strict.toString()), servers, 7)).isEmpty();
        assertThat(EnforcedPolicy.mismatch(Map.of("LATHE_MANAGED_DIR", viaLink.toString()), servers, 7)).as("the same folder through a link").isEmpty();
        assertThat(EnforcedPolicy.mismatch(Map.of("LATHE_MANAGED_DIR", strict + "/../strict/"), servers, 7)).isEmpty();

        assertThat(EnforcedPolicy.mismatch(Map.of("LATHE_MANAGED_DIR", tmp.resolve("empty").toString()), servers, 7)).hasValueSatisfying(m ->
                assertThat(m).contains("names " + tmp.resolve("empty")).contains("pid 7").contains("the managed settings of " + strict));
        assertThat(EnforcedPolicy.mismatch(Map.of("LATHE_MANAGED_DIR", strict.toString()), "", 7)).as("a server too old to say")
                .hasValueSatisfying(m -> assertThat(m).contains("older than this lathe"));
    }

    @Test
    void theServersPolicyIsReportedWhenItNamesOne() {
        assertThat(EnforcedPolicy.of(Map.of("LATHE_MANAGED_DIR", "/elsewhere"), Optional.of("/srv/policy/managed.json")))
                .isEqualTo(Path.of("/srv/policy/managed.json"));
    }

    @Test
    void noClientEnvironmentCarriesTheManagedFolderToAServer() {
        assertThat(ClientEnvironment.travels("LATHE_MANAGED_DIR")).isFalse();
        assertThat(ClientEnvironment.of(Map.of("LATHE_MANAGED_DIR", "/tmp/empty", "LATHE_CONFIG", "/c")).variables()).containsOnlyKeys("LATHE_CONFIG");
    }
}
