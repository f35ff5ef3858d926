package dev.lathe.lsp;

import static dev.lathe.lsp.LspTesting.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding a server's command: PATH anywhere, the project's node_modules/.bin only in a trusted folder. */
class BuiltinServersTest {
    @TempDir Path root;
    @TempDir Path elsewhere;

    @Test
    void theTableServesTheLanguagesOfDesign14InOrder() {
        assertThat(BuiltinServers.table().keySet()).startsWith("pyright", "basedpyright", "typescript", "gopls", "rust-analyzer", "clangd", "jdtls");
        assertThat(BuiltinServers.table().get("pyright").command()).containsExactly("pyright-langserver", "--stdio");
        assertThat(BuiltinServers.table().get("typescript").serves("App.TSX")).isTrue();
        assertThat(BuiltinServers.table().get("clangd").serves("main.c")).isTrue();
        assertThat(BuiltinServers.table().get("gopls").serves("main.py")).isFalse();
    }

    @Test
    void theProjectsOwnExecutableRunsOnlyWhenTrusted() throws Exception {
        Path local = executable(root, "node_modules/.bin/fake-ls");
        var spec = LspTesting.spec("fake", List.of("fake-ls", "--stdio"), "fk");
        Map<String, String> noPath = Map.of("PATH", elsewhere.toString());
        assertThat(BuiltinServers.find(spec, root, noPath, false)).isEmpty();
        assertThat(BuiltinServers.locate(spec, root, noPath, false)).isEqualTo(new BuiltinServers.Located.Withheld(local));
        assertThat(BuiltinServers.find(spec, root, noPath, true)).contains(List.of(local.toString(), "--stdio"));
        assertThat(BuiltinServers.find(spec, root, noPath)).contains(List.of(local.toString(), "--stdio"));

        try (var servers = new ProjectLanguageServers(root, LspTesting.settings(spec), noPath, _ -> {})) {
            assertThat(servers.status()).singleElement().satisfies(s -> {
                assertThat(s.state()).isEqualTo(LspServerStatus.WITHHELD);
                assertThat(s.lastError()).contains("the project's own fake-ls runs once the folder is trusted (lathe trust)");
            });
            assertThat(servers.runnerFor(root.resolve("a.fk"))).isEmpty();
        }
    }

    @Test
    void onPathItRunsAnywhereAndTheTrustedProjectsOwnWins() throws Exception {
        Path onPath = executable(elsewhere, "fake-ls");
        var spec = LspTesting.spec("fake", List.of("fake-ls"), "fk");
        Map<String, String> env = Map.of("PATH", elsewhere.toString());
        assertThat(BuiltinServers.find(spec, root, env, false)).contains(List.of(onPath.toString()));
        Path local = executable(root, "node_modules/.bin/fake-ls");
        assertThat(BuiltinServers.find(spec, root, env, false)).contains(List.of(onPath.toString()));
        assertThat(BuiltinServers.find(spec, root, env, true)).contains(List.of(local.toString()));
        try (var servers = new ProjectLanguageServers(root, LspTesting.settings(spec), env, _ -> {})) {
            assertThat(servers.status()).containsExactly(new LspServerStatus("fake", LspServerStatus.IDLE, onPath.toString(), Optional.empty()));
        }
    }

    @Test
    void aCommandGivenAsAProjectPathIsTheProjectsOwn() throws Exception {
        executable(root, "tools/my-ls");
        var spec = LspTesting.spec("mine", List.of("tools/my-ls", "--stdio"), "fk");
        assertThat(BuiltinServers.find(spec, root, Map.of(), false)).isEmpty();
        assertThat(BuiltinServers.find(spec, root, Map.of(), true)).contains(List.of(root.resolve("tools/my-ls").toString(), "--stdio"));
        assertThat(BuiltinServers.find(LspTesting.spec("gone", List.of("/no/such/ls"), "fk"), root, Map.of(), true)).isEmpty();
    }

    @Test
    void aDisabledServerIsListedAsSuch() {
        var spec = BuiltinServers.table().get("gopls").disabled();
        try (var servers = new ProjectLanguageServers(root, LspTesting.settings(spec), Map.of(), _ -> {})) {
            assertThat(servers.status()).containsExactly(new LspServerStatus("gopls", LspServerStatus.DISABLED, "gopls", Optional.empty()));
            assertThat(servers.runnerFor(root.resolve("main.go"))).isEmpty();
        }
    }

    private static Path executable(Path dir, String rel) throws Exception {
        Path file = write(dir, rel, "#!/bin/sh\nexit 0\n");
        assertThat(file.toFile().setExecutable(true)).isTrue();
        return file;
    }
}
