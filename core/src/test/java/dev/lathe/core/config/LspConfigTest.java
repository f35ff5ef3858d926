package dev.lathe.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.lsp.LspServerSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lsp} in lathe.json: binding to LspSettings, the switches, validation errors, what an untrusted folder keeps. */
class LspConfigTest {
    @TempDir Path tmp;
    private Path project;
    private Map<String, String> env;
    private ConfigLoader loader;

    @BeforeEach
    void setUp() throws IOException {
        project = Files.createDirectories(tmp.resolve("proj"));
        env = new HashMap<>(Map.of("XDG_CONFIG_HOME", tmp.resolve("xdg-config").toString(),
                "XDG_DATA_HOME", tmp.resolve("data").toString(), "HOME", tmp.toString()));
        loader = new ConfigLoader(LathePaths.fromEnvironment(env), env, tmp.resolve("managed.json"));
    }

    private void global(String json) throws IOException {
        Path file = tmp.resolve("xdg-config/lathe/lathe.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, json);
    }

    @Test
    void absentIsOnWithTheBuiltInsAndTheDefaultWait() {
        var lsp = loader.load(project).lsp();
        assertThat(lsp.enabled()).isTrue();
        assertThat(lsp.servers()).isEmpty();
        assertThat(lsp.warnings()).isFalse();
        assertThat(lsp.diagnosticsWait()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void falseTurnsItOff() throws IOException {
        global("{ \"lsp\": false }");
        assertThat(loader.load(project).lsp().enabled()).isFalse();
    }

    @Test
    void entriesAddOverrideOrDisableServersBesideTheSwitches() throws IOException {
        global("""
                { "lsp": {
                    "warnings": true, "wait": 2.5,
                    "lua": { "command": ["lua-language-server"], "extensions": [".lua"], "rootMarkers": [".luarc.json"],
                             "initialization": {"a": 1}, "env": {"K": "v"} },
                    "pyright": { "disabled": true },
                    "clangd": false } }
                """);
        var lsp = loader.load(project).lsp();
        assertThat(lsp.enabled()).isTrue();
        assertThat(lsp.warnings()).isTrue();
        assertThat(lsp.diagnosticsWait()).isEqualTo(Duration.ofMillis(2500));
        assertThat(lsp.servers()).containsOnlyKeys("lua", "pyright", "clangd");
        assertThat(lsp.servers().get("lua")).isEqualTo(new LspServerSpec("lua", List.of("lua-language-server"), Set.of("lua"),
                List.of(".luarc.json"), Optional.of("{\"a\":1}"), Map.of("K", "v"), true));
        assertThat(lsp.servers().get("pyright").enabled()).isFalse();
        assertThat(lsp.servers().get("clangd").enabled()).isFalse();
    }

    @Test
    void errorsNameTheFileLineAndKey() throws IOException {
        global("""
                {
                  "lsp": {
                    "lua": { "command": "lua-language-server" } } }
                """);
        assertThatThrownBy(() -> loader.load(project)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("lathe.json:3").hasMessageContaining("lsp.lua.command").hasMessageContaining("array");
        global("{ \"lsp\": { \"wait\": \"soon\" } }");
        assertThatThrownBy(() -> loader.load(project)).hasMessageContaining("lsp.wait").hasMessageContaining("seconds");
        global("{ \"lsp\": { \"lua\": { \"cmd\": [\"x\"] } } }");
        assertThatThrownBy(() -> loader.load(project)).hasMessageContaining("lsp.lua.cmd: unknown key");
        global("{ \"lsp\": { \"typescript\": { \"rootMarkers\": [\"tsconfig.json\"] } } }");
        assertThatThrownBy(() -> loader.load(project)).hasMessageContaining("lsp.typescript.command: missing");
        global("{ \"lsp\": \"off\" }");
        assertThatThrownBy(() -> loader.load(project)).hasMessageContaining("lsp: expected false, true or an object");
    }

    @Test
    void aServersCommandAndItsExtensionsMayComeFromDifferentLayers() throws IOException {
        global("{ \"lsp\": { \"lua\": { \"command\": [\"lua-language-server\"] } } }");
        Files.writeString(project.resolve("lathe.json"), "{ \"lsp\": { \"lua\": { \"extensions\": [\"lua\"] } } }");
        var lua = loader.load(project).lsp().servers().get("lua");
        assertThat(lua.command()).containsExactly("lua-language-server");
        assertThat(lua.extensions()).containsExactly("lua");
    }

    @Test
    void anUntrustedFolderKeepsOnlyEntriesThatRunNothing() throws IOException {
        Files.writeString(project.resolve("lathe.json"), """
                { "lsp": { "mine": { "command": ["./bin/server"], "extensions": ["x"] },
                           "pyright": { "command": ["pyright-langserver", "--stdio"], "env": { "NODE_OPTIONS": "--require ./evil.js" } },
                           "clangd": { "disabled": true },
                           "warnings": true } }
                """);
        Config untrusted = loader.load(project);
        assertThat(untrusted.lsp().servers()).containsOnlyKeys("clangd");
        assertThat(untrusted.lsp().warnings()).isTrue();
        assertThat(untrusted.withheld()).extracting(w -> w.kind().id() + " " + w.source() + " " + w.items())
                .containsExactly("lsp-servers lathe.json [mine, pyright]");

        dev.lathe.core.info.TrustReview.approve(ConfigLoader.standard(LathePaths.fromEnvironment(env), env), project);
        Config trusted = loader.load(project);
        assertThat(trusted.withheld()).isEmpty();
        assertThat(trusted.lsp().servers()).containsOnlyKeys("mine", "pyright", "clangd");
    }
}
