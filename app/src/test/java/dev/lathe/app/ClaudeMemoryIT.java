package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.NpmServers;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN §27: a project with every Claude Code memory file (a marker in each; imports five deep, a cycle, a code span and
 * a fenced block, one from the home folder and one from beside the project; a path-scoped rule; a subfolder's memory),
 * run by real Claude Code (the binary Claude Code's ACP adapter installs) and by {@code lathe run}, each at the fake
 * model, each reading the same two files: the markers each sends are the same, untrusted and trusted, except the
 * subfolder's {@code AGENTS.md}, which only Lathe reads.
 */
class ClaudeMemoryIT {
    private static final Pattern MARKER = Pattern.compile("MARK_[A-Z0-9_]+");
    @TempDir Path home;

    private static void layout(TempWorkspace ws, Path home) throws Exception {
        ws.write("CLAUDE.md", "MARK_ROOT\nSee @docs/a.md for more.\nInline `@docs/code.md` is code.\n```\n@docs/fenced.md\n```\n@~/homeimp.md\n"
                        + "@../outside.md\n@missing.md\n@docs/x.md\n@docs/bin.png\n@AGENTS.md\n")
                .write("AGENTS.md", "MARK_AGENTS\n").write(".claude/CLAUDE.md", "MARK_DOT_CLAUDE\n").write("CLAUDE.local.md", "MARK_LOCAL\n")
                .write(".claude/rules/always.md", "MARK_RULE_ALWAYS\n").write(".claude/rules/sub/nested.md", "MARK_RULE_NESTED\n")
                .write(".claude/rules/scoped.md", "---\npaths:\n  - \"src/**/*.ts\"\n---\nMARK_RULE_SCOPED\n")
                .write("docs/a.md", "MARK_A\n@b.md\n").write("docs/b.md", "MARK_B\n@c.md\n").write("docs/c.md", "MARK_C\n@d.md\n")
                .write("docs/d.md", "MARK_D\n@e.md\n").write("docs/e.md", "MARK_E_TOO_DEEP\n")
                .write("docs/code.md", "MARK_CODE\n").write("docs/fenced.md", "MARK_FENCED\n")
                .write("docs/x.md", "MARK_X\n@y.md\n").write("docs/y.md", "MARK_Y\n@x.md\n")
                .write("sub/CLAUDE.md", "MARK_SUB_CLAUDE\n").write("sub/AGENTS.md", "MARK_SUB_AGENTS\n").write("sub/deep/file.txt", "plain\n")
                .write("src/deep/a.ts", "let a = 1\n").initGitRepo();
        Files.write(ws.resolve("docs/bin.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 'M', 'A', 'R', 'K', '_', 'B', 'I', 'N'});
        Files.writeString(ws.path().getParent().resolve("outside.md"), "MARK_OUTSIDE\n");
        Files.writeString(home.resolve("homeimp.md"), "MARK_HOMEIMP\n");
        Files.createDirectories(home.resolve(".claude/rules"));
        Files.writeString(home.resolve(".claude/CLAUDE.md"), "MARK_USER\n");
        Files.writeString(home.resolve(".claude/rules/u.md"), "MARK_USER_RULE\n");
    }

    /** Both tools read the same two files, then answer; a request with neither tool set (a title) gets a short text. */
    private static Turn answer(RecordedRequest r, Path project) {
        boolean claude = r.toolNames().contains("Read");
        if (!claude && !r.toolNames().contains("read")) return Turn.of(Step.text("Memory"));
        String tool = claude ? "Read" : "read";
        String arg = claude ? "file_path" : "path";
        if (r.toolResult("toolu_1").isEmpty()) return Turn.of(Step.toolCall("toolu_1", tool, "{\"" + arg + "\":\"" + project.resolve("src/deep/a.ts") + "\"}"));
        if (r.toolResult("toolu_2").isEmpty()) return Turn.of(Step.toolCall("toolu_2", tool, "{\"" + arg + "\":\"" + project.resolve("sub/deep/file.txt") + "\"}"));
        return Turn.of(Step.text("Read both."));
    }

    /** The markers of the last main request (the one after both reads): what reached the model by then. */
    private static Set<String> markers(FakeLlm llm, String tool) {
        RecordedRequest last = llm.requests().stream().filter(r -> r.toolNames().contains(tool)).reduce((a, b) -> b).orElseThrow();
        assertThat(last.toolResult("toolu_2")).as("both reads ran").isPresent();
        Set<String> out = new TreeSet<>();
        Matcher m = MARKER.matcher(last.body());
        while (m.find()) out.add(m.group());
        return out;
    }

    private Set<String> claudeCode(FakeLlm llm, Path project) throws Exception {
        llm.forgetRequests();
        var pb = new ProcessBuilder(NpmServers.module("@anthropic-ai/claude-agent-sdk-linux-x64/claude").toString(), "-p", "read the two files",
                "--allowedTools", "Read").directory(project.toFile()).redirectErrorStream(true).redirectOutput(home.resolve("claude.log").toFile());
        pb.environment().clear();
        pb.environment().putAll(java.util.Map.of("HOME", home.toString(), "PATH", System.getenv("PATH"), "ANTHROPIC_BASE_URL",
                llm.baseUrl().replaceAll("/v1$", ""), "ANTHROPIC_API_KEY", "sk-ant-dummy", "DISABLE_AUTOUPDATER", "1",
                "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1", "DISABLE_TELEMETRY", "1", "HTTPS_PROXY", "http://127.0.0.1:9", "NO_PROXY", "127.0.0.1,localhost"));
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("claude finished").isTrue();
        assertThat(p.exitValue()).as(Files.readString(home.resolve("claude.log"))).isZero();
        return markers(llm, "Read");
    }

    private static Set<String> lathe(FakeLlm llm, Lathe lathe, Path project, boolean trusted) throws Exception {
        llm.forgetRequests();
        var run = lathe.run("run", "--dir", project.toString(), "read the two files");
        assertThat(run.exit()).as(run.stderr()).isZero();
        // an untrusted folder's imports from outside are named on stderr, with how to include them
        if (!trusted) assertThat(run.stderr()).contains("skipped 2 imports from outside the project from CLAUDE.md (run lathe trust");
        else assertThat(run.stderr()).doesNotContain("skipped");
        return markers(llm, "read");
    }

    @Test
    void latheSendsTheMarkersClaudeCodeSendsUntrustedAndTrusted() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            layout(ws, home);
            Path project = ws.path().toRealPath();
            llm.respondWith(r -> answer(r, project));
            var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), "k"));

            Set<String> claudeUntrusted = claudeCode(llm, project);
            Set<String> latheUntrusted = lathe(llm, lathe, project, false);
            assertThat(claudeUntrusted).contains("MARK_USER", "MARK_ROOT", "MARK_D", "MARK_RULE_SCOPED", "MARK_SUB_CLAUDE")
                    .doesNotContain("MARK_HOMEIMP", "MARK_OUTSIDE", "MARK_E_TOO_DEEP", "MARK_CODE", "MARK_FENCED", "MARK_BIN");
            assertThat(latheUntrusted).isEqualTo(with(claudeUntrusted, "MARK_SUB_AGENTS"));

            // trusted in both: Claude Code's trust and its approval of imports from outside the project; lathe trust, and
            // an external_directory allow rule for each outside file, as the read tool would ask (issue 79, decision 559)
            Files.writeString(home.resolve(".claude.json"), "{\"projects\": {\"" + project + "\": {\"hasTrustDialogAccepted\": true,"
                    + " \"hasClaudeMdExternalIncludesApproved\": true, \"hasClaudeMdExternalIncludesWarningShown\": true}}}");
            assertThat(lathe.run("trust", "--dir", project.toString()).exit()).isZero();
            String base = Lathe.providerConfig("openai-chat", llm.baseUrl(), "k");
            var approved = new Lathe(home, base.substring(0, base.length() - 1) + ", \"permission\": {\"external_directory\": {\""
                    + home.toRealPath().resolve("homeimp.md") + "\": \"allow\", \"" + project.getParent().resolve("outside.md") + "\": \"allow\"}}}");
            Set<String> claudeTrusted = claudeCode(llm, project);
            Set<String> latheTrusted = lathe(llm, approved, project, true);
            assertThat(claudeTrusted).contains("MARK_HOMEIMP", "MARK_OUTSIDE");
            assertThat(latheTrusted).isEqualTo(with(claudeTrusted, "MARK_SUB_AGENTS"));
        }
    }

    private static Set<String> with(Set<String> markers, String more) {
        Set<String> out = new TreeSet<>(markers);
        out.add(more);
        return out;
    }

    @Test
    void slashMemoryInTheTerminalUiListsEveryFileAndWhy() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            layout(ws, home);
            var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), "k"));
            // trusted, so the terminal UI asks no trust question first and the imports from outside are listed too
            assertThat(lathe.run("trust", "--dir", ws.path().toString()).exit()).isZero();
            try (var tmux = Tmux.start(lathe.command(), ws.path(), 160, 60)) {
                tmux.awaitText("Ask anything", java.time.Duration.ofSeconds(60));
                tmux.type("/memory");
                tmux.sendKeys("Enter");
                tmux.awaitText("Memory: sent with every request, in this order", java.time.Duration.ofSeconds(30));
                tmux.awaitText("docs/d.md", java.time.Duration.ofSeconds(5));
                tmux.awaitText("imported by docs/c.md:2", java.time.Duration.ofSeconds(5));
                tmux.awaitText("~/.claude/CLAUDE.md", java.time.Duration.ofSeconds(5));
                tmux.awaitText("~/homeimp.md", java.time.Duration.ofSeconds(5));
                tmux.awaitText("joins when a file matching src/**/*.ts is read or edited", java.time.Duration.ofSeconds(5));
                tmux.awaitText("docs/y.md:2: @x.md: an import cycle", java.time.Duration.ofSeconds(5));
            } finally {
                lathe.stopDaemon();
            }
        }
    }

    @Test
    void doctorListsWhatReachedTheModelAndWhy() throws Exception {
        try (var ws = TempWorkspace.create()) {
            layout(ws, home);
            var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", "http://127.0.0.1:9/v1", "k"));
            var doctor = lathe.run("doctor", "--dir", ws.path().toString());
            String memory = doctor.stdout().lines().filter(l -> l.matches("\\w+ +memory .*")).findFirst().orElseThrow();
            assertThat(memory).startsWith("warn").contains("docs/d.md (imported by docs/c.md:2)").contains("docs/d.md:2: @e.md: not read")
                    .contains("docs/y.md:2: @x.md: an import cycle").contains("CLAUDE.md:11: @docs/bin.png: refused: docs/bin.png is a binary file")
                    .contains("CLAUDE.md:9: @missing.md: no such file").contains(".claude/rules/scoped.md (src/**/*.ts)");
            assertThat(List.of(memory)).noneMatch(l -> l.contains("\u001b"));
        }
    }
}
