package dev.lathe.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lathe serve} under a broken managed policy (DESIGN §29): it refuses to start, naming the file, line and key. */
class ManagedStartupTest {
    @TempDir Path tmp;

    private Map<String, String> env(Path managed) {
        return Map.of("HOME", tmp.toString(), "XDG_CONFIG_HOME", tmp.resolve("config").toString(), "XDG_DATA_HOME", tmp.resolve("data").toString(),
                "XDG_STATE_HOME", tmp.resolve("state").toString(), "XDG_CACHE_HOME", tmp.resolve("cache").toString(), "LATHE_MANAGED_DIR", managed.toString());
    }

    @Test
    void aManagedFileWithASyntaxErrorOrANewerRequiredVersionStopsTheServerBeforeItListens() throws Exception {
        Path managed = Files.createDirectories(tmp.resolve("etc/managed.d"));
        Path broken = Files.writeString(managed.resolve("20-corp.json"), "{\n  \"allowedProviders\": [\"corp\"\n  \"disableAllowAll\": true\n}");
        var options = new LatheServer.ServeOptions("127.0.0.1", Optional.of(0), LatheServer.Mode.FOREGROUND, LatheServer.Exposure.LOOPBACK_ONLY,
                Optional.of(Duration.ZERO));

        assertThatThrownBy(() -> LatheServer.serve(env(managed.getParent()), options)).isInstanceOf(LatheServer.StartupException.class)
                .hasMessageStartingWith(broken + ":3:").hasMessageContaining("invalid JSON");
        assertThat(tmp.resolve("state/lathe/server.json")).doesNotExist();

        Files.writeString(broken, "{\n  \"requiredMinimumVersion\": \"999.1\"\n}");
        assertThatThrownBy(() -> LatheServer.checkGlobalConfig(env(managed.getParent()))).isInstanceOf(LatheServer.StartupException.class)
                .hasMessageStartingWith(broken + ":2: requiredMinimumVersion: this Lathe is ").hasMessageContaining("of 999.1");
    }
}
