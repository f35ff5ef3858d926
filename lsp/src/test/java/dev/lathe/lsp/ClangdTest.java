package dev.lathe.lsp;

import static dev.lathe.lsp.LspTesting.ctx;
import static dev.lathe.lsp.LspTesting.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A C file through clangd (Debian's package; .ci/run installs it), found on PATH from the built-in table. */
class ClangdTest {
    @TempDir Path root;

    @Test
    void anUndeclaredIdentifierInACFile() throws Exception {
        LspTesting.onPath("clangd", "apt-get install -y clangd (.ci/run does)");
        try (var servers = new ProjectLanguageServers(root, LspSettings.defaults(), System.getenv(), _ -> {})) {
            write(root, "main.c", "int main(void) {\n  return x;\n}\n");
            assertThat(servers.diagnostics().report(List.of("main.c"), ctx(root)))
                    .isEqualTo("<diagnostics file=\"main.c\">\nERROR [2:10] Use of undeclared identifier 'x'\n</diagnostics>");
            assertThat(servers.status()).filteredOn(s -> s.name().equals("clangd")).singleElement()
                    .satisfies(s -> assertThat(s.state()).isEqualTo(LspServerStatus.RUNNING));

            var tool = new LspTool(servers);
            assertThat(tool.run(new LspTool.Args("diagnostics", java.util.Optional.of("main.c"), java.util.Optional.empty(), java.util.Optional.empty(),
                    java.util.Optional.empty()), ctx(root)).output())
                    .isEqualTo("<diagnostics file=\"main.c\">\nERROR [2:10] Use of undeclared identifier 'x'\n</diagnostics>");

            write(root, "main.c", "int main(void) {\n  return 0;\n}\n");
            assertThat(servers.diagnostics().report(List.of("main.c"), ctx(root))).isEmpty();

            java.nio.file.Files.delete(root.resolve("main.c"));
            assertThat(servers.diagnostics().report(List.of("main.c"), ctx(root))).as("a deleted file").isEmpty();
            assertThat(servers.runners().getFirst().running().orElseThrow().documents()).isEmpty();
        }
    }
}
