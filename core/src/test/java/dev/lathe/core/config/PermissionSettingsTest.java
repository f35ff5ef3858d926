package dev.lathe.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.permission.PermissionPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code permission.onDeny} and {@code permission.unattended} (DESIGN §26, decision 468): settings of the
 * {@code permission} object, not tools; validated with file, line and key; the strictest any layer sets holds, and a
 * project's own files may not set {@code "unattended": "wait"}.
 */
class PermissionSettingsTest {
    @TempDir Path tmp;

    private Config load(Path project, Map<String, String> env) {
        var full = new HashMap<>(env);
        full.put("XDG_CONFIG_HOME", tmp.resolve("xdg-config").toString());
        full.put("HOME", tmp.toString());
        return new ConfigLoader(LathePaths.fromEnvironment(full), full, tmp.resolve("managed.json")).load(project);
    }

    private Path global(String json) throws IOException {
        Path global = tmp.resolve("xdg-config/lathe/lathe.json");
        Files.createDirectories(global.getParent());
        Files.writeString(global, json);
        return global;
    }

    private Path project(String json) throws IOException {
        Path project = Files.createDirectories(tmp.resolve("proj"));
        Files.writeString(project.resolve("lathe.json"), json);
        return project;
    }

    @Test
    void theSettingsAreNoToolAndTheDefaultsHold() throws IOException {
        Path project = project("{\"permission\": {\"bash\": {\"curl *\": \"deny\"}, \"onDeny\": \"stop\", \"unattended\": \"deny\"}}");
        Config c = load(project, Map.of());
        assertThat(c.permissionPolicy()).isEqualTo(new PermissionPolicy(PermissionPolicy.OnDeny.STOP, Optional.of(PermissionPolicy.Unattended.DENY)));
        assertThat(c.permission()).noneMatch(r -> PermissionPolicy.reserved(r.permission()));
        assertThat(c.permission()).anyMatch(r -> r.permission().equals("bash") && r.pattern().equals("curl *") && r.action().equals("deny"));

        Files.writeString(project.resolve("lathe.json"), "{\"permission\": \"ask\"}");
        assertThat(load(project, Map.of()).permissionPolicy()).isEqualTo(PermissionPolicy.DEFAULT);
        assertThat(PermissionPolicy.DEFAULT.whenUnattended()).isEqualTo(PermissionPolicy.Unattended.DENY);
        assertThat(PermissionPolicy.DEFAULT.deniesEveryAsk()).isFalse();
    }

    @Test
    void aBadValueNamesFileLineAndKey() throws IOException {
        Path project = project("{\"permission\": {\n  \"bash\": \"allow\",\n  \"onDeny\": \"halt\"}}\n");
        assertThatThrownBy(() -> load(project, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(project.resolve("lathe.json") + ":3: permission.onDeny: expected \"continue\"");
        Files.writeString(project.resolve("lathe.json"), "{\"permission\": {\n  \"unattended\": \"ask\"}}\n");
        assertThatThrownBy(() -> load(project, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(project.resolve("lathe.json") + ":2: permission.unattended: expected \"deny\"");
        Files.writeString(project.resolve("lathe.json"), "{\"permission\": {\n  \"unattended\": true}}\n");
        assertThatThrownBy(() -> load(project, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessage(project.resolve("lathe.json") + ":2: permission.unattended: expected a string");
        Files.writeString(project.resolve("lathe.json"), "{\"agent\": {\"build\": {\"permission\": {\n  \"onDeny\": \"stop\"}}}}\n");
        assertThatThrownBy(() -> load(project, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining(":2: agent.build.permission.onDeny: \"onDeny\" is set for the whole config");
    }

    @Test
    void theStrictestLayerHoldsSoAProjectCannotLoosenTheUsersStop() throws IOException {
        global("{\"permission\": {\"onDeny\": \"stop\", \"unattended\": \"stop\"}}");
        Path project = project("{\"permission\": {\"onDeny\": \"continue\", \"unattended\": \"deny\"}}");
        assertThat(load(project, Map.of()).permissionPolicy())
                .isEqualTo(new PermissionPolicy(PermissionPolicy.OnDeny.STOP, Optional.of(PermissionPolicy.Unattended.STOP)));
        // nor can the environment's layer, which comes later still
        assertThat(load(project, Map.of("LATHE_CONFIG_CONTENT", "{\"permission\": {\"onDeny\": \"continue\", \"unattended\": \"wait\"}}"))
                .permissionPolicy().onDeny()).isEqualTo(PermissionPolicy.OnDeny.STOP);
    }

    @Test
    void aProjectMayTightenButNotSetWait() throws IOException {
        global("{\"permission\": {\"unattended\": \"wait\"}}");
        Path project = project("{\"permission\": {\"unattended\": \"deny\", \"onDeny\": \"stop\"}}");
        assertThat(load(project, Map.of()).permissionPolicy())
                .isEqualTo(new PermissionPolicy(PermissionPolicy.OnDeny.STOP, Optional.of(PermissionPolicy.Unattended.DENY)));

        Files.delete(tmp.resolve("xdg-config/lathe/lathe.json"));
        Files.writeString(project.resolve("lathe.json"), "{\"permission\": {\"unattended\": \"wait\"}}");
        assertThat(load(project, Map.of()).permissionPolicy().unattended()).as("a project's wait is ignored").isEmpty();
        // the user's own wait holds
        global("{\"permission\": {\"unattended\": \"wait\"}}");
        assertThat(load(project, Map.of()).permissionPolicy().unattended()).contains(PermissionPolicy.Unattended.WAIT);
    }
}
