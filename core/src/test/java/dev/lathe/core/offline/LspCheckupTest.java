package dev.lathe.core.offline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.lsp.LanguageServers;
import dev.lathe.core.trust.FolderTrust;
import dev.lathe.lsp.LspSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lsp line of {@code lathe doctor}: the built-in servers found (and where), those not, and config's off switches. */
class LspCheckupTest {
    @TempDir Path tmp;

    /** A survey as the lsp module answers it: one server in the project's node_modules/.bin, one on PATH, two missing. */
    private static LanguageServers.Factory surveyed(Path project) {
        return new LanguageServers.Factory() {
            @Override public LanguageServers open(LanguageServers.Opening opening) { return LanguageServers.NONE; }

            @Override
            public List<LanguageServers.Found> survey(Path root, Map<String, String> env) {
                return List.of(new LanguageServers.Found("pyright", Optional.of(List.of(root.resolve("node_modules/.bin/pyright-langserver").toString(), "--stdio"))),
                        new LanguageServers.Found("clangd", Optional.of(List.of("/usr/bin/clangd"))),
                        new LanguageServers.Found("gopls", Optional.empty()), new LanguageServers.Found("jdtls", Optional.empty()));
            }

            @Override public List<String> projectLocal(Path root, LspSettings settings, Map<String, String> env) { return List.of(); }
        };
    }

    private ConfigLoader loader(String globalJson) throws Exception {
        Map<String, String> env = Map.of("HOME", tmp.toString(), "XDG_CONFIG_HOME", tmp.resolve("config").toString(),
                "XDG_DATA_HOME", tmp.resolve("data").toString());
        Files.createDirectories(tmp.resolve("config/lathe"));
        Files.writeString(tmp.resolve("config/lathe/lathe.json"), globalJson);
        return ConfigLoader.standard(LathePaths.fromEnvironment(env), env);
    }

    @Test
    void namesWhatWasFoundWhereAndWhatWasNot() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project"));
        var config = loader("{ \"lsp\": { \"jdtls\": false } }").load(project);

        var trusted = Checkup.lsp(config, project, FolderTrust.TRUSTED, Map.of(), surveyed(project));
        assertThat(trusted).isEqualTo(Checkup.Check.ok("lsp", "found: pyright (node_modules/.bin), clangd (PATH); not found: gopls"));
        assertThat(Checkup.lsp(config, project, FolderTrust.UNTRUSTED, Map.of(), surveyed(project)).detail())
                .startsWith("found: pyright (node_modules/.bin, runs once trusted), clangd (PATH)");
    }

    @Test
    void noneFoundIsAWarningAndOffSaysSo() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project"));
        var none = Checkup.lsp(loader("{}").load(project), project, FolderTrust.TRUSTED, Map.of(), LanguageServers.Factory.NONE);
        assertThat(none.status()).isEqualTo(Checkup.Status.WARN);
        assertThat(none.detail()).startsWith("no language server found");
        var off = Checkup.lsp(loader("{ \"lsp\": false }").load(project), project, FolderTrust.TRUSTED, Map.of(), surveyed(project));
        assertThat(off).isEqualTo(Checkup.Check.ok("lsp", "off (\"lsp\": false): edits get no diagnostics"));
    }
}
