package dev.lathe.core.session;

import static dev.lathe.core.session.ScriptedProtocol.call;
import static dev.lathe.core.session.ScriptedProtocol.finish;
import static dev.lathe.core.session.ScriptedProtocol.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lathe.core.config.LathePaths;
import dev.lathe.core.plugin.PluginJars;
import dev.lathe.core.plugin.PluginTools;
import dev.lathe.core.sandbox.SandboxState;
import dev.lathe.core.trust.TrustedFolders;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.StopReason;
import dev.lathe.llm.ToolSpec;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolRegistry;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Script tools and Java plugins in real turns (SQLite, the pipeline, the permission gate, the sandbox, the scripted
 * model), wired as {@code LatheCore} wires them: {@link PluginTools} as the session's extension tools, its listeners
 * subscribed to the bus. The script and the plugin are the examples of docs/extending.md.
 */
class PluginTurnTest {
    @TempDir Path tmp;

    /** The core with the plugins of the harness's folders (its config and data folders) offered. */
    private record Setup(Harness h, PluginTools plugins, AutoCloseable events) implements AutoCloseable {
        @Override public void close() throws Exception {
            events.close();
            plugins.close();
            h.close();
        }
    }

    private Setup start(String extraConfig) throws Exception {
        return start(tmp, extraConfig);
    }

    private Setup start(Path base, String extraConfig) throws Exception {
        Files.createDirectories(base);
        var paths = LathePaths.fromEnvironment(Map.of("HOME", base.toString(), "XDG_DATA_HOME", base.resolve("data").toString(),
                "XDG_CONFIG_HOME", base.resolve("config").toString(), "XDG_STATE_HOME", base.resolve("state").toString()));
        var plugins = new PluginTools(paths, TrustedFolders.in(paths.data()),
                ToolRegistry.builtins().all().stream().map(Tool::name).collect(Collectors.toSet()));
        var h = new Harness(base, extraConfig, ToolRegistry.builtins(), plugins);
        return new Setup(h, plugins, h.api.subscribe(EventFilter.ALL, 0, plugins.events()));
    }

    private Path userPlugins() { return tmp.resolve("config/lathe/plugins"); }

    private static LlmEvent[] calling(String id, String tool, String args) {
        return Stream.concat(Stream.of(call(0, id, tool, args)), Stream.of(finish(StopReason.TOOL_CALLS))).toArray(LlmEvent[]::new);
    }

    private static ToolState state(Harness h, SessionId session, String callId) {
        return h.api.messages(session).stream().flatMap(m -> m.parts().stream()).filter(Part.Tool.class::isInstance).map(Part.Tool.class::cast)
                .filter(t -> t.callId().equals(callId)).findFirst().orElseThrow().state();
    }

    private static List<String> offered(Harness h, int request) {
        return h.llm.requests.get(request).tools().stream().map(ToolSpec::name).toList();
    }

    @Test void aPythonScriptToolOfATrustedProjectIsOfferedAndCalledWithJsonInAndOut() throws Exception {
        try (var s = start(", \"permission\": {\"word_count\": \"allow\"}")) {
            var h = s.h();
            PluginJars.script("word_count.py", h.project.resolve(".lathe/tools"));
            h.trustProject(); // a project's script tool is pinned by its content when the folder is trusted
            Files.writeString(h.project.resolve("notes.txt"), "one two three\nfour\n");
            var session = h.session();
            h.llm.then(calling("c1", "word_count", "{\"path\":\"notes.txt\"}"));
            h.llm.then(calling("c2", "word_count", "{\"path\":\"missing.txt\"}"));
            h.llm.then(text("Done."), finish(StopReason.STOP));
            h.promptAndWait(session.id(), "count");

            assertThat(offered(h, 0)).contains("word_count");
            var spec = h.llm.requests.getFirst().tools().stream().filter(t -> t.name().equals("word_count")).findFirst().orElseThrow();
            assertThat(spec.parametersSchema()).contains("\"required\":[\"path\"]");
            assertThat(state(h, session.id(), "c1")).isInstanceOfSatisfying(ToolState.Completed.class,
                    c -> assertThat(c.output()).isEqualTo("notes.txt: 4 words"));
            assertThat(state(h, session.id(), "c2")).as("a non-zero exit is an error the model reads")
                    .isInstanceOfSatisfying(ToolState.Failed.class, f -> assertThat(f.error()).contains("exit code 1").contains("cannot read missing.txt"));
            assertThat(h.llm.requests).hasSize(3);
        }
    }

    /** The tools the project's folders offer once the loader looked again (it looks at most once a second). */
    private static List<String> offeredWhen(Setup s, Harness h, java.util.function.Predicate<List<String>> settled) throws Exception {
        return offeredWhen(s, h, h.project, settled);
    }

    private static List<String> offeredWhen(Setup s, Harness h, Path dir, java.util.function.Predicate<List<String>> settled) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        List<String> names = List.of();
        while (System.nanoTime() < deadline) {
            names = s.plugins().offered(dir, "").stream().map(Tool::name).toList();
            if (settled.test(names)) return names;
            Thread.sleep(100);
        }
        return names;
    }

    /**
     * Trust pins what it approved (issue 40 1(b)): a trusted project's plugin jar and script tool replaced after trust
     * (by the agent, a pull, an editor) are not loaded, are named as changed and listed for review, and load again once
     * the user approves them.
     */
    @Test void aProjectsPluginJarAndScriptToolChangedAfterTrustAreNotLoadedUntilApproved() throws Exception {
        System.setProperty("shout.log", tmp.resolve("shout.log").toString());
        try (var s = start("")) {
            var h = s.h();
            Path script = PluginJars.script("word_count.py", h.project.resolve(".lathe/tools"));
            Path jar = PluginJars.build("shout/ShoutPlugin.java", h.project.resolve(".lathe/plugins/shout.jar"), List.of("example.shout.ShoutPlugin"));
            h.trustProject();
            assertThat(offeredWhen(s, h, n -> n.contains("shout"))).contains("word_count", "shout");
            assertThat(h.api.trust(h.project.toString()).skipped()).isEmpty();

            Files.writeString(script, Files.readString(script) + "\n# changed after trust\n");
            PluginJars.build("shout/ShoutPlugin.java", jar, List.of("example.shout.ShoutPlugin", "# changed after trust"));
            assertThat(offeredWhen(s, h, n -> !n.contains("shout") && !n.contains("word_count"))).doesNotContain("word_count", "shout");
            assertThat(h.api.trust(h.project.toString()).skipped()).extracting(k -> k.message()).containsExactlyInAnyOrder(
                    "changed since trust: skipped 1 script tool from .lathe/tools: word_count.py (run lathe trust --show to review, lathe trust to allow it;"
                            + " it would: runs code)",
                    "changed since trust: skipped 1 plugin jar from .lathe/plugins: shout.jar (run lathe trust --show to review, lathe trust to allow it;"
                            + " it would: runs code)");
            assertThat(h.api.trust(h.project.toString()).pending()).extracting(p -> p.line())
                    .anySatisfy(l -> assertThat(l).startsWith(".lathe/plugins plugin jar shout.jar (runs code): sha256:"))
                    .anySatisfy(l -> assertThat(l).startsWith(".lathe/tools script tool word_count.py (runs code): sha256:"));

            h.trustProject();
            assertThat(offeredWhen(s, h, n -> n.contains("shout") && n.contains("word_count"))).contains("word_count", "shout");
            assertThat(h.api.trust(h.project.toString()).skipped()).isEmpty();
        }
    }

    /**
     * A subfolder's own script tools and plugin jars (a nested project inside the trusted repository, a session opened
     * there) are trust items like the root's (issue 40): listed for review, pinned by trust, loaded once approved, not
     * loaded once changed, until approved again.
     */
    @Test void aSubfoldersOwnPluginJarAndScriptToolAreListedPinnedAndHeldBackOnceChanged() throws Exception {
        System.setProperty("shout.log", tmp.resolve("shout.log").toString());
        try (var s = start("")) {
            var h = s.h();
            new ProcessBuilder("git", "init", "-q", h.project.toString()).inheritIO().start().waitFor();
            Path sub = Files.createDirectories(h.project.resolve("apps/web"));
            Path script = PluginJars.script("word_count.py", sub.resolve(".lathe/tools"));
            Path jar = PluginJars.build("shout/ShoutPlugin.java", sub.resolve(".lathe/plugins/shout.jar"), List.of("example.shout.ShoutPlugin"));
            assertThat(h.api.trust(sub.toString()).pending()).extracting(p -> p.line())
                    .anySatisfy(l -> assertThat(l).startsWith("apps/web/.lathe/plugins plugin jar shout.jar (runs code): sha256:"))
                    .anySatisfy(l -> assertThat(l).startsWith("apps/web/.lathe/tools script tool word_count.py (runs code): sha256:"));
            h.trustProject();
            assertThat(h.api.trust(sub.toString()).pending()).isEmpty();
            assertThat(offeredWhen(s, h, sub, n -> n.contains("shout") && n.contains("word_count"))).contains("word_count", "shout");

            Files.writeString(script, Files.readString(script) + "\n# changed after trust\n");
            PluginJars.build("shout/ShoutPlugin.java", jar, List.of("example.shout.ShoutPlugin", "# changed after trust"));
            assertThat(offeredWhen(s, h, sub, n -> !n.contains("shout") && !n.contains("word_count"))).doesNotContain("word_count", "shout");
            assertThat(h.api.trust(sub.toString()).skipped()).extracting(k -> k.message()).contains(
                    "changed since trust: skipped 1 script tool from apps/web/.lathe/tools: word_count.py (run lathe trust --show to review, lathe trust to allow it;"
                            + " it would: runs code)");
            assertThat(h.api.trust(sub.toString()).pending()).extracting(p -> p.status()).containsOnly("changed");

            h.trustProject();
            assertThat(offeredWhen(s, h, sub, n -> n.contains("shout") && n.contains("word_count"))).contains("word_count", "shout");
        }
    }

    @Test void anUntrustedProjectsScriptToolsAreNotOffered() throws Exception {
        try (var s = start(", \"permission\": {\"word_count\": \"allow\"}")) {
            var h = s.h();
            PluginJars.script("word_count.py", h.project.resolve(".lathe/tools"));
            var session = h.session();
            h.llm.then(text("Done."), finish(StopReason.STOP));
            h.promptAndWait(session.id(), "count");

            assertThat(offered(h, 0)).doesNotContain("word_count");
            assertThat(h.api.trust(h.project.toString()).skipped()).anySatisfy(k -> assertThat(k.message())
                    .isEqualTo("skipped 1 script tool from .lathe/tools (run lathe trust to allow it)"));
        }
    }

    @Test void aScriptToolWithoutARuleIsAskedForAndARejectionEndsOnlyTheCall() throws Exception {
        try (var s = start("")) {
            var h = s.h();
            PluginJars.script("word_count.py", tmp.resolve("config/lathe/tools"));
            Files.writeString(h.project.resolve("notes.txt"), "a b\n");
            var session = h.session();
            h.llm.then(calling("c1", "word_count", "{\"path\":\"notes.txt\"}"));
            h.llm.then(text("Done."), finish(StopReason.STOP));
            h.api.prompt(session.id(), PromptRequest.text("count"));
            var asked = (Event.PermissionAsked) h.awaitEvent(Event.PermissionAsked.class::isInstance);
            assertThat(asked.request().permission()).isEqualTo("word_count");
            assertThat(asked.request().patterns()).containsExactly("notes.txt");
            h.api.replyPermission(asked.request().id(), PermissionReplyRequest.of(PermissionReply.REJECT));
            h.awaitIdle(session.id());

            assertThat(state(h, session.id(), "c1")).isInstanceOfSatisfying(ToolState.Failed.class, f -> assertThat(f.rejection()).isPresent());
            // as for a built-in: a rejection ends the turn (the user said no), the session is idle and usable
            assertThat(h.llm.requests).hasSize(1);
            assertThat(h.api.status(session.id())).isInstanceOf(dev.lathe.protocol.session.SessionStatus.Idle.class);
        }
    }

    /** Whether a script tool reaches a loopback server of the test's, under {@code sandbox}. */
    private String reach(String sandbox) throws Exception {
        try (var server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
                var s = start(tmp.resolve(sandbox), ", \"sandbox\": \"" + sandbox + "\", \"permission\": {\"reach\": \"allow\"}")) {
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) server.accept().close();
                } catch (java.io.IOException e) {
                    // closed
                }
            });
            // the project's folder: the sandbox's /tmp is its own, so a user's folder under /tmp is not there
            var h = s.h();
            PluginJars.script("reach.py", h.project.resolve(".lathe/tools"));
            h.trustProject();
            var session = h.session();
            h.llm.then(calling("c1", "reach", "{\"port\":" + server.getLocalPort() + "}"));
            h.llm.then(text("Done."), finish(StopReason.STOP));
            h.promptAndWait(session.id(), "reach");
            return switch (state(h, session.id(), "c1")) {
                case ToolState.Completed c -> c.output();
                case ToolState.Failed f -> "failed: " + f.error();
                default -> "unfinished";
            };
        }
    }

    @Test void aScriptToolRunsInTheSessionsSandbox() throws Exception {
        assumeTrue(SandboxState.bubblewrapProblem().isEmpty(), "bubblewrap does not work here");
        assertThat(reach("off")).as("unsandboxed, the probe reaches the test's server").startsWith("connected");
        assertThat(reach("on")).as("in bubblewrap the network is off").startsWith("unreachable");
    }

    @Test void aJavaPluginJarBuiltHereIsOfferedCalledAndItsListenerSeesTheCall() throws Exception {
        Path log = tmp.resolve("shout.log");
        System.setProperty("shout.log", log.toString());
        PluginJars.build("shout/ShoutPlugin.java", userPlugins().resolve("shout.jar"), List.of("example.shout.ShoutPlugin"));
        try (var s = start(", \"permission\": {\"shout\": \"allow\"}")) {
            var h = s.h();
            var session = h.session();
            h.llm.then(calling("c1", "shout", "{\"text\":\"hello\"}"));
            h.llm.then(text("Done."), finish(StopReason.STOP));
            h.promptAndWait(session.id(), "shout");

            assertThat(offered(h, 0)).contains("shout");
            assertThat(state(h, session.id(), "c1")).isInstanceOfSatisfying(ToolState.Completed.class, c -> assertThat(c.output()).isEqualTo("HELLO!"));
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!(Files.exists(log) && Files.readString(log).contains("completed shout")) && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(Files.readString(log)).isEqualTo("completed shout\n");
            assertThat(s.plugins().problems(h.project)).isEmpty();

            // its hook fires as a lathe.json hook does: Lathe's names, blocking by throwing as exit 2 blocks
            var hooks = s.plugins().hooks(h.project);
            assertThat(hooks).singleElement().satisfies(hook -> {
                assertThat(hook.handler().shown()).isEqualTo("plugin shout");
                assertThat(hook.source().file()).isEqualTo(userPlugins().resolve("shout.jar").toString());
            });
            var engine = dev.lathe.core.hooks.HookEngine.create(hooks, dev.lathe.core.hooks.ClaudeToolNames.BUILTIN_ONLY, h.project,
                    System.getenv(), Set.of(), java.net.http.HttpClient.newHttpClient(), line -> Optional.empty());
            var common = new dev.lathe.core.hooks.HookInput.Common(session.id().value(), Optional.empty(), h.project, "default");
            var blocked = engine.fire(new dev.lathe.core.hooks.HookInput(common,
                    new dev.lathe.core.hooks.HookInput.PreToolUse("shout", "{\"text\":\"the password is hunter2\"}", "c9")));
            assertThat(blocked.verdict()).isEqualTo(new dev.lathe.core.hooks.HookOutcome.Verdict.Block("shout never says a password out loud"));
            var passed = engine.fire(new dev.lathe.core.hooks.HookInput(common,
                    new dev.lathe.core.hooks.HookInput.PreToolUse("shout", "{\"text\":\"hello\"}", "c10")));
            assertThat(passed.verdict()).isEqualTo(new dev.lathe.core.hooks.HookOutcome.Verdict.None());
            assertThat(passed.runs()).singleElement().satisfies(run -> assertThat(run.exitCode()).contains(0));
        } finally {
            System.clearProperty("shout.log");
        }
    }

    @Test void aPluginThatThrowsAtLoadIsReportedAndOneWhoseToolThrowsGivesAnErrorTheTurnGoesOnWith() throws Exception {
        PluginJars.build("broken/BrokenPlugins.java", userPlugins().resolve("broken.jar"), List.of("example.broken.BrokenPlugins$ThrowsAtLoad",
                "example.broken.BrokenPlugins$FromTheFuture", "example.broken.BrokenPlugins$ToolThrows"));
        PluginJars.build("shout/ShoutPlugin.java", userPlugins().resolve("shout.jar"), List.of("example.shout.ShoutPlugin"));
        try (var s = start(", \"permission\": {\"crash\": \"allow\", \"shout\": \"allow\"}")) {
            var h = s.h();
            var session = h.session();
            h.llm.then(calling("c1", "crash", "{}"));
            h.llm.then(calling("c2", "shout", "{\"text\":\"still here\"}"));
            h.llm.then(text("Done."), finish(StopReason.STOP));
            h.promptAndWait(session.id(), "crash");

            assertThat(offered(h, 0)).contains("crash", "shout");
            assertThat(state(h, session.id(), "c1")).isInstanceOfSatisfying(ToolState.Failed.class, f -> assertThat(f.error())
                    .contains("The tool crash of plugin tool-throws failed: java.lang.IllegalStateException: boom"));
            assertThat(state(h, session.id(), "c2")).isInstanceOfSatisfying(ToolState.Completed.class, c -> assertThat(c.output()).isEqualTo("STILL HERE!"));
            assertThat(h.llm.requests).hasSize(3);
            assertThat(h.api.status(session.id())).isInstanceOf(dev.lathe.protocol.session.SessionStatus.Idle.class);
            assertThat(s.plugins().problems(h.project)).anySatisfy(p -> assertThat(p).contains("broken.jar").contains("cannot start: no licence"))
                    .anySatisfy(p -> assertThat(p).contains("from-the-future").contains("plugin API 2"));
        }
    }
}
