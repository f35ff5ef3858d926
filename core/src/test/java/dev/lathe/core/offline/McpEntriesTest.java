package dev.lathe.core.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.config.LathePaths;
import dev.lathe.mcp.McpServerSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lathe mcp add|remove|list} on real config files: entries written, validated, removed, withheld when untrusted. */
class McpEntriesTest {
    @TempDir Path tmp;

    private Map<String, String> env() {
        return Map.of("XDG_CONFIG_HOME", tmp.resolve("xdg-config").toString(), "XDG_DATA_HOME", tmp.resolve("data").toString(),
                "XDG_STATE_HOME", tmp.resolve("state").toString(), "XDG_CACHE_HOME", tmp.resolve("cache").toString(),
                "HOME", tmp.toString());
    }

    @Test
    void addWritesTheGlobalFileKeepingItsCommentsAndRemoveTakesItOut() throws IOException {
        Path project = Files.createDirectories(tmp.resolve("proj"));
        Path global = tmp.resolve("xdg-config/lathe/lathe.json");
        Files.createDirectories(global.getParent());
        Files.writeString(global, "{\n  // my models\n  \"model\": \"a/b\"\n}\n");
        Path written = McpEntries.add(env(), project, McpEntries.Scope.GLOBAL, "fs",
                "{\"type\": \"local\", \"command\": [\"npx\", \"-y\", \"server-filesystem\", \".\"]}");
        assertThat(written).isEqualTo(global);
        assertThat(Files.readString(global)).contains("// my models", "server-filesystem");
        assertThat(McpEntries.list(env(), project).servers().get("fs")).isInstanceOfSatisfying(McpServerSpec.Local.class,
                l -> assertThat(l.command()).containsExactly("npx", "-y", "server-filesystem", "."));

        assertThatThrownBy(() -> McpEntries.add(env(), project, McpEntries.Scope.GLOBAL, "fs",
                "{\"type\": \"remote\", \"url\": \"http://h/mcp\"}")).isInstanceOf(OfflineFailure.class)
                .hasMessageContaining("configured already");
        assertThatThrownBy(() -> McpEntries.add(env(), project, McpEntries.Scope.GLOBAL, "web",
                "{\"type\": \"remote\", \"url\": \"ftp://h\"}")).isInstanceOf(OfflineFailure.class)
                .hasMessageContaining("mcp.web.url");
        assertThat(McpEntries.list(env(), project).servers()).containsOnlyKeys("fs");

        assertThat(McpEntries.remove(env(), project, McpEntries.Scope.GLOBAL, "fs")).isTrue();
        assertThat(McpEntries.remove(env(), project, McpEntries.Scope.GLOBAL, "fs")).isFalse();
        assertThat(McpEntries.list(env(), project).servers()).isEmpty();
        assertThat(Files.readString(global)).contains("// my models").doesNotContain("server-filesystem");
    }

    @Test
    void aProjectEntryIsListedAsWithheldUntilTheFolderIsTrusted() throws IOException {
        Path project = Files.createDirectories(tmp.resolve("proj"));
        McpEntries.add(env(), project, McpEntries.Scope.PROJECT, "everything",
                "{\"type\": \"local\", \"command\": [\"mcp-server-everything\"]}");
        assertThat(project.resolve(".lathe/lathe.json")).exists();
        var untrusted = McpEntries.list(env(), project);
        assertThat(untrusted.servers()).isEmpty();
        assertThat(untrusted.withheld()).isEqualTo(List.of("everything (.lathe/lathe.json)"));
        dev.lathe.core.info.TrustReview.approve(dev.lathe.core.config.ConfigLoader.standard(LathePaths.fromEnvironment(env()), env()), project);
        assertThat(McpEntries.list(env(), project).servers()).containsOnlyKeys("everything");
    }
}
