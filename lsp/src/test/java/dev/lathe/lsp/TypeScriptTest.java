package dev.lathe.lsp;

import static dev.lathe.lsp.LspTesting.ctx;
import static dev.lathe.lsp.LspTesting.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.tools.ToolContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real typescript-language-server (with typescript 5, testkit/npm): an edit that breaks another file's import. */
class TypeScriptTest {
    private static final String A = "export function foo(): number {\n  return 1;\n}\n";
    private static final String B = "import { foo } from \"./a\";\n\nexport const x: number = foo();\n";

    private static final String TSCONFIG = """
            {"compilerOptions": {"strict": true, "target": "es2022", "module": "esnext", "moduleResolution": "bundler"}, "include": ["src"]}
            """;

    @TempDir Path root;
    private ProjectLanguageServers servers;

    @BeforeEach
    void start() throws Exception {
        write(root, "tsconfig.json", TSCONFIG);
        Path bin = LspTesting.npmBin("typescript-language-server");
        // the built-in entry with the command from testkit/npm: its initialization options are part of what is tested
        LspServerSpec builtin = BuiltinServers.table().get("typescript");
        LspServerSpec spec = new LspServerSpec("typescript", List.of(bin.toString(), "--stdio"), builtin.extensions(), builtin.rootMarkers(),
                builtin.initializationOptionsJson(), Map.of(), true);
        servers = new ProjectLanguageServers(root, LspTesting.settings(spec), System.getenv(), _ -> {});
    }

    @AfterEach
    void stop() {
        if (servers != null) servers.close();
    }

    @Test
    void anEditThatBreaksAnImportReportsTheOtherFile() throws Exception {
        ToolContext ctx = ctx(root);
        write(root, "src/a.ts", A);
        write(root, "src/b.ts", B);
        long t0 = System.nanoTime();
        assertThat(servers.diagnostics().report(List.of("src/a.ts", "src/b.ts"), ctx)).isEmpty();
        long cold = (System.nanoTime() - t0) / 1_000_000;

        write(root, "src/a.ts", A.replace("foo", "bar"));
        t0 = System.nanoTime();
        String broken = servers.diagnostics().report(List.of("src/a.ts"), ctx);
        long warm = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("LSP diagnostics timing, typescript-language-server: cold " + cold + " ms, warm " + warm + " ms");
        assertThat(broken).startsWith("<diagnostics file=\"src/b.ts\">\nERROR [1:10] ")
                .contains("has no exported member 'foo'").endsWith("</diagnostics>");

        write(root, "src/a.ts", A);
        assertThat(servers.diagnostics().report(List.of("src/a.ts"), ctx)).isEmpty();
    }

    @Test
    void aTypeErrorInTheEditedFileAndADefinitionInAnotherFile() throws Exception {
        write(root, "src/a.ts", A);
        write(root, "src/b.ts", B);
        LspTool tool = new LspTool(servers);
        String definition = tool.run(new LspTool.Args("definition", Optional.of("src/b.ts"), Optional.of(3), Optional.of(26), Optional.empty()), ctx(root)).output();
        String fromImport = tool.run(new LspTool.Args("definition", Optional.of("src/b.ts"), Optional.of(1), Optional.of(10), Optional.empty()), ctx(root)).output();
        String refs = tool.run(new LspTool.Args("references", Optional.of("src/a.ts"), Optional.of(1), Optional.of(17), Optional.empty()), ctx(root)).output();
        assertThat(definition).isEqualTo("src/a.ts:1:17: export function foo(): number {");
        assertThat(fromImport).isEqualTo(definition);
        assertThat(refs.lines().toList()).first().isEqualTo("3 references:");
        assertThat(refs.lines().skip(1).toList()).containsExactlyInAnyOrder("src/a.ts:1:17: export function foo(): number {",
                "src/b.ts:1:10: import { foo } from \"./a\";", "src/b.ts:3:26: export const x: number = foo();");

        write(root, "src/b.ts", B.replace("number = foo()", "string = foo()"));
        assertThat(servers.diagnostics().report(List.of("src/b.ts"), ctx(root)))
                .isEqualTo("<diagnostics file=\"src/b.ts\">\nERROR [3:14] Type 'number' is not assignable to type 'string'.\n</diagnostics>");

        // the same error one line down: its new position, not the last publish's
        write(root, "src/b.ts", "// moved\n" + B.replace("number = foo()", "string = foo()"));
        assertThat(servers.diagnostics().report(List.of("src/b.ts"), ctx(root)))
                .isEqualTo("<diagnostics file=\"src/b.ts\">\nERROR [4:14] Type 'number' is not assignable to type 'string'.\n</diagnostics>");

        // clean, and a clean edit of a clean file: typescript-language-server publishes nothing, tsserver says clean
        write(root, "src/b.ts", B);
        assertThat(servers.diagnostics().report(List.of("src/b.ts"), ctx(root))).isEmpty();
        write(root, "src/b.ts", "// still clean\n" + B);
        long t0 = System.nanoTime();
        assertThat(servers.diagnostics().report(List.of("src/b.ts"), ctx(root))).isEmpty();
        System.out.println("LSP diagnostics timing, typescript-language-server: a clean file staying clean " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }
    @Test
    void diagnosticsOfAnUnchangedFileAreTheLastPublishedAtOnce() throws Exception {
        write(root, "src/a.ts", A);
        write(root, "src/b.ts", B.replace("number = foo()", "string = foo()"));
        LspTool tool = new LspTool(servers);
        var ask = new LspTool.Args("diagnostics", Optional.of("src/b.ts"), Optional.empty(), Optional.empty(), Optional.empty());
        String error = "ERROR [3:14] Type 'number' is not assignable to type 'string'.";
        assertThat(tool.run(ask, ctx(root)).output()).contains(error);
        // asked again, the file unchanged: the server publishes nothing new, and the answer must not wait for it
        for (int i = 0; i < 2; i++) {
            long t0 = System.nanoTime();
            assertThat(tool.run(ask, ctx(root)).output()).contains(error);
            // a report that waited for a publication would take the whole wait (a minute here): far below it is "at once"
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - t0)).isLessThan(LspTesting.TEST_WAIT.dividedBy(2));
        }
    }
}
