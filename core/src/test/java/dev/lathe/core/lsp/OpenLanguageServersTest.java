package dev.lathe.core.lsp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.toolcall.Origin;
import dev.lathe.core.toolcall.PartRecorder;
import dev.lathe.core.toolcall.ToolCall;
import dev.lathe.core.toolcall.ToolCallPipeline;
import dev.lathe.core.toolcall.ToolCallSeams;
import dev.lathe.lsp.LspEvent;
import dev.lathe.lsp.LspProblem;
import dev.lathe.lsp.LspServerSpec;
import dev.lathe.lsp.LspServerStatus;
import dev.lathe.lsp.LspSettings;
import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.tools.Diagnostics;
import dev.lathe.tools.Permissions;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolRegistry;
import dev.lathe.tools.ToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Project instances' language servers: opened once per root and settings, reopened when they change, closed with the
 * instance; the pipeline's diagnostics port routed to the calling project's servers, on the real pipeline and the real
 * {@code write} tool. The servers are a small fake factory that reports what a server would for the file it is given.
 */
class OpenLanguageServersTest {
    @TempDir Path tmp;

    static final LspSettings ON = new LspSettings(true, Map.of(), false, Duration.ofSeconds(10));

    /** Servers that report one error per changed file, naming their project, and count how often they were opened and closed. */
    static final class FakeServers implements LanguageServers.Factory {
        final List<LanguageServers.Opening> opened = new CopyOnWriteArrayList<>();
        final List<Path> closed = new CopyOnWriteArrayList<>();
        RuntimeException failure;

        @Override
        public LanguageServers open(LanguageServers.Opening opening) {
            opened.add(opening);
            return new LanguageServers() {
                @Override
                public Diagnostics diagnostics() {
                    return (changed, ctx) -> {
                        if (failure != null) throw failure;
                        var out = new StringBuilder();
                        for (String file : changed) {
                            opening.events().accept(new LspEvent.DiagnosticsPublished(file, List.of(new LspProblem("ERROR", 1, 1, "bad"))));
                            out.append("<diagnostics file=\"").append(file).append("\">\nERROR [1:1] bad in ")
                                    .append(opening.root().getFileName()).append("\n</diagnostics>\n");
                        }
                        return out.toString();
                    };
                }

                @Override
                public List<LspServerStatus> status() {
                    return List.of(new LspServerStatus("pyright", "running", "pyright-langserver --stdio", Optional.empty()));
                }

                @Override public List<Tool<?>> tools() { return List.of(); }

                @Override public void close() { closed.add(opening.root()); }
            };
        }

        @Override public List<LanguageServers.Found> survey(Path root, Map<String, String> env) { return List.of(); }

        @Override public List<String> projectLocal(Path root, LspSettings settings, Map<String, String> env) { return List.of(); }
    }

    private static final PartRecorder PARTS = new PartRecorder() {
        @Override public void validated(String argsJson, Optional<ToolDisplay> announced) { }

        @Override public void completed(ToolResult result) { }

        @Override public void failed(String error) { }
    };

    private static ToolResult write(ToolCallPipeline pipeline, Path project, String file) {
        var ctx = ToolContext.builder(project, Permissions.ALLOW_ALL).session("ses_l").call("call_l").output(project.resolve(".out")).build();
        return pipeline.run(ToolCall.of("write", "{\"path\":\"" + file + "\",\"content\":\"x = 1\\n\"}", ctx, Origin.MODEL), PARTS);
    }

    @Test
    void anEditsResultCarriesTheDiagnosticsOfItsOwnProjectsServers() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a"));
        Path b = Files.createDirectories(tmp.resolve("b"));
        var factory = new FakeServers();
        List<String> events = new ArrayList<>();
        try (var servers = new OpenLanguageServers(factory, (root, e) -> events.add(root.getFileName() + " " + e))) {
            servers.open(a, ON, LanguageServers.Trust.TRUSTED, Map.of());
            servers.open(b, ON, LanguageServers.Trust.UNTRUSTED, Map.of());
            var pipeline = new ToolCallPipeline(ToolRegistry.builtins(), ToolCallSeams.DEFAULT.withDiagnostics(servers.diagnostics()));

            String output = write(pipeline, b, "app.py").output();

            assertThat(output).contains("\n\n<diagnostics file=\"app.py\">\nERROR [1:1] bad in b\n</diagnostics>").doesNotContain("bad in a");
            assertThat(events).singleElement().asString().startsWith("b DiagnosticsPublished[relPath=app.py");
            assertThat(factory.opened).extracting(o -> o.root().getFileName().toString() + " " + o.trust()).containsExactly("a TRUSTED", "b UNTRUSTED");
            // a project no instance opened (or one closed) gets nothing, and the edit stands
            servers.close(b);
            assertThat(factory.closed).containsExactly(b);
            assertThat(write(pipeline, b, "again.py").output()).doesNotContain("diagnostics");
            assertThat(b.resolve("again.py")).exists();
        }
        assertThat(factory.closed).containsExactly(b, a);
    }

    @Test
    void aServerThatFailsNeverFailsTheEdit() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a"));
        var factory = new FakeServers();
        factory.failure = new IllegalStateException("the server fell over");
        try (var servers = new OpenLanguageServers(factory, (root, e) -> { })) {
            servers.open(a, ON, LanguageServers.Trust.TRUSTED, Map.of());
            var pipeline = new ToolCallPipeline(ToolRegistry.builtins(), ToolCallSeams.DEFAULT.withDiagnostics(servers.diagnostics()));
            ToolResult result = write(pipeline, a, "app.py");
            assertThat(result.output()).doesNotContain("diagnostics").doesNotContain("fell over");
            assertThat(a.resolve("app.py")).hasContent("x = 1");
        }
    }

    @Test
    void theSameSettingsKeepTheServersAChangeOrTrustReopensThemAndOffOpensNone() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a"));
        var factory = new FakeServers();
        try (var servers = new OpenLanguageServers(factory, (root, e) -> { })) {
            servers.open(a, ON, LanguageServers.Trust.UNTRUSTED, Map.of());
            servers.open(a.resolve("."), ON, LanguageServers.Trust.UNTRUSTED, Map.of());
            assertThat(factory.opened).hasSize(1);
            assertThat(servers.status(a)).extracting(LspServerStatus::name).containsExactly("pyright");

            servers.open(a, ON, LanguageServers.Trust.TRUSTED, Map.of());
            assertThat(factory.opened).hasSize(2);
            assertThat(factory.closed).containsExactly(a);

            var lua = new LspServerSpec("lua", List.of("lua-language-server"), Set.of("lua"), List.of(), Optional.empty(), Map.of(), true);
            servers.open(a, new LspSettings(true, Map.of("lua", lua), false, Duration.ofSeconds(10)), LanguageServers.Trust.TRUSTED, Map.of());
            assertThat(factory.opened).hasSize(3);

            servers.open(a, new LspSettings(false, Map.of(), false, Duration.ofSeconds(10)), LanguageServers.Trust.TRUSTED, Map.of());
            assertThat(factory.opened).hasSize(3);
            assertThat(factory.closed).hasSize(3);
            assertThat(servers.status(a)).isEmpty();
            assertThat(servers.offered(a, "ses")).isEmpty();
        }
    }
}
