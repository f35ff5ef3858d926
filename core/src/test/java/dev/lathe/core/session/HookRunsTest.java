package dev.lathe.core.session;

import static dev.lathe.core.session.ScriptedProtocol.call;
import static dev.lathe.core.session.ScriptedProtocol.finish;
import static dev.lathe.core.session.ScriptedProtocol.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.audit.AuditChain;
import dev.lathe.core.audit.AuditReader;
import dev.lathe.core.hooks.Hook;
import dev.lathe.core.hooks.HookEvent;
import dev.lathe.core.hooks.HookHandler;
import dev.lathe.core.hooks.HookMatcher;
import dev.lathe.core.hooks.HookRun;
import dev.lathe.core.hooks.HookRunRecorder;
import dev.lathe.core.hooks.HookSource;
import dev.lathe.core.hooks.ToolCallHooks;
import dev.lathe.core.toolcall.ToolCallSeams;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.StopReason;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.tools.ToolRegistry;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hook runs are never invisible: real bash hooks from a trusted project's {@code .claude/settings.json} run on a real
 * turn's tool calls (wired as {@code LatheCore} wires them), and each run is a {@link Part.Hook} of the turn's
 * assistant message and a {@code hook} entry of the project's audit log, whose chain still verifies.
 */
class HookRunsTest {
    @TempDir Path tmp;
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicReference<Harness> harness = new AtomicReference<>();
    private final HookRunRecorder recorder = new HookRunRecorder((id, part) -> harness.get().sessions.addToRunningTurn(id, part),
            (session, call, run) -> harness.get().audit.hookRan(session, call, run));

    @AfterEach
    void close() { http.close(); }

    private Harness start(String extraConfig) throws Exception {
        var toolHooks = new ToolCallHooks(sessionId -> new ToolCallHooks.Found(
                harness.get().sessions.runningProject(new SessionId(sessionId)).map(p -> p.config().hooks()).orElse(List.of()), Set.of(),
                line -> java.util.Optional.empty()), System.getenv(), http, recorder);
        var h = new Harness(tmp, extraConfig, ToolRegistry.builtins(), ToolCallSeams.DEFAULT.withPreCall(toolHooks).withPostCall(toolHooks));
        harness.set(h);
        return h.trustProject();
    }

    private static void write(Path file, String text, boolean executable) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        if (executable) file.toFile().setExecutable(true);
    }

    @Test
    void aBlockingPreToolUseHookIsAPartOfTheTurnAndAnAuditEntry() throws Exception {
        try (var h = start("")) {
            write(h.project.resolve("guard.sh"), "#!/bin/bash\ngrep -q 'git push' && { echo 'no pushes' >&2; exit 2; }\nexit 0\n", true);
            write(h.project.resolve(".claude/settings.json"), """
                    {"hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "./guard.sh"}]}]}}
                    """, false);
            h.trustProject(); // the user approves the hooks just written (trust pins what it approved)
            var s = h.session();
            h.llm.then(step(call(0, "c1", "bash", "{\"command\":\"git push origin main > pushed.txt\"}")));
            h.llm.then(text("I may not push."), finish(StopReason.STOP));
            h.promptAndWait(s.id(), "push it");

            assertThat(h.project.resolve("pushed.txt")).doesNotExist();
            List<Part> parts = h.api.messages(s.id()).stream().flatMap(m -> m.parts().stream()).toList();
            assertThat(parts).filteredOn(Part.Tool.class::isInstance).singleElement()
                    .satisfies(p -> assertThat(((Part.Tool) p).state()).isInstanceOfSatisfying(ToolState.Failed.class,
                            f -> assertThat(f.error()).contains("no pushes")));
            Part.Hook hook = (Part.Hook) parts.stream().filter(Part.Hook.class::isInstance).reduce((a, b) -> {
                throw new AssertionError("two hook parts: " + a + ", " + b);
            }).orElseThrow(() -> new AssertionError("no hook part among " + parts));
            assertThat(hook.event()).isEqualTo("PreToolUse");
            assertThat(hook.handler()).isEqualTo("./guard.sh");
            assertThat(hook.source()).isEqualTo(".claude/settings.json");
            assertThat(hook.matcher()).contains("Bash");
            assertThat(hook.callId()).contains("c1");
            assertThat(hook.exitCode()).contains(2);
            assertThat(hook.decision()).isEqualTo("blocked");
            assertThat(hook.message()).isEqualTo("no pushes");
            assertThat(hook.durationMillis()).isGreaterThanOrEqualTo(0);
            // on the assistant message that made the call, announced like the turn's own parts
            Part.Tool tool = (Part.Tool) parts.stream().filter(Part.Tool.class::isInstance).findFirst().orElseThrow();
            assertThat(hook.messageId()).isEqualTo(tool.messageId());
            h.awaitEvent(e -> e instanceof Event.PartUpdated u && u.part() instanceof Part.Hook);

            var reader = new AuditReader(h.auditFiles, h.project);
            assertThat(reader.verify()).isInstanceOf(AuditChain.Verification.Intact.class);
            assertThat(reader.human(Optional.of(s.id().value())))
                    .anySatisfy(l -> assertThat(l).contains("hook c1 PreToolUse ./guard.sh (.claude/settings.json): blocked, exit 2, ")
                            .endsWith(" ms — no pushes"));
            assertThat(reader.json(Optional.of(s.id().value()))).anySatisfy(l -> assertThat(l).contains("\"kind\":\"hook\"")
                    .contains("\"event\":\"PreToolUse\",\"handler\":\"./guard.sh\",\"source\":\".claude/settings.json\",\"exit\":2,"));
        }
    }

    @Test
    void failingAndHangingHooksAreRecordedWithWhatHappenedAndNeverBreakTheCall() throws Exception {
        try (var h = start(", \"permission\": {\"bash\": \"allow\"}")) {
            write(h.project.resolve(".claude/settings.json"), """
                    {"hooks": {"PreToolUse": [{"matcher": "*", "hooks": [
                        {"type": "command", "command": "echo broken >&2; exit 1"},
                        {"type": "command", "command": "sleep 20", "timeout": 0.3}]}]}}
                    """, false);
            h.trustProject(); // the user approves the hooks just written (trust pins what it approved)
            var s = h.session();
            h.llm.then(step(call(0, "c1", "bash", "{\"command\":\"echo still-ran\"}")));
            h.llm.then(text("done"), finish(StopReason.STOP));
            h.promptAndWait(s.id(), "go");

            List<Part> parts = h.api.messages(s.id()).stream().flatMap(m -> m.parts().stream()).toList();
            assertThat(parts).filteredOn(Part.Tool.class::isInstance).singleElement()
                    .satisfies(p -> assertThat(((Part.Tool) p).state()).isInstanceOf(ToolState.Completed.class));
            List<Part.Hook> hooks = parts.stream().filter(Part.Hook.class::isInstance).map(Part.Hook.class::cast).toList();
            assertThat(hooks).hasSize(2);
            assertThat(hooks).anySatisfy(p -> {
                assertThat(p.handler()).isEqualTo("echo broken >&2; exit 1");
                assertThat(p.decision()).isEqualTo("failed");
                assertThat(p.exitCode()).contains(1);
                assertThat(p.message()).isEqualTo("exit 1: broken");
                assertThat(p.misbehaved()).isTrue();
            });
            assertThat(hooks).anySatisfy(p -> {
                assertThat(p.handler()).isEqualTo("sleep 20");
                assertThat(p.decision()).isEqualTo("timed out");
                assertThat(p.exitCode()).isEmpty();
                assertThat(p.message()).isEqualTo("killed after 300 ms");
                assertThat(p.durationMillis()).isGreaterThanOrEqualTo(250).isLessThan(15_000);
            });

            // between turns (a SessionEnd hook) a run has no message to join: only the audit log has it
            var sessionEnd = new Hook(HookEvent.SESSION_END, HookMatcher.parse(""), new HookHandler.Command("./bye.sh", List.of(),
                    HookHandler.Command.Form.SHELL, Duration.ofSeconds(5)), new HookSource("lathe.json", HookSource.Dialect.LATHE));
            recorder.record(s.id().value(), Optional.empty(), List.of(new HookRun(sessionEnd, 7, Optional.of(0), new HookRun.Result.Succeeded(""))));
            assertThat(h.api.messages(s.id()).stream().flatMap(m -> m.parts().stream()).filter(Part.Hook.class::isInstance)).hasSize(2);

            var reader = new AuditReader(h.auditFiles, h.project);
            assertThat(reader.verify()).isInstanceOf(AuditChain.Verification.Intact.class);
            var entries = reader.human(Optional.of(s.id().value()));
            assertThat(entries).anySatisfy(l -> assertThat(l).contains("hook c1 PreToolUse echo broken >&2; exit 1 (.claude/settings.json): failed, exit 1, ")
                    .endsWith(" — exit 1: broken"));
            assertThat(entries).anySatisfy(l -> assertThat(l).contains("hook c1 PreToolUse sleep 20 (.claude/settings.json): timed out, ")
                    .endsWith(" — killed after 300 ms"));
            assertThat(entries).anySatisfy(l -> assertThat(l).endsWith("hook SessionEnd ./bye.sh (lathe.json): ok, exit 0, 7 ms"));
        }
    }

    @Test
    void aRunJoinsTheAnswerBeingWrittenThePromptBeforeItAndNothingOnceTheTurnLetsGo() throws Exception {
        try (var h = start("")) {
            var s = h.session();
            var prompt = new dev.lathe.protocol.session.UserMessage(dev.lathe.protocol.MessageId.next(), s.id(), 1, "build", "fake/m");
            h.journal.of(s).user(prompt, List.of(new Part.Text(dev.lathe.protocol.PartId.next(), s.id(), prompt.id(), "hi", false)));
            assertThat(h.journal.writing(s.id())).as("no turn holds the session").isEmpty();
            try (var held = h.journal.live(s.id())) {
                assertThat(h.journal.writing(s.id())).contains(prompt.id());
                var answer = new dev.lathe.protocol.session.AssistantMessage(dev.lathe.protocol.MessageId.next(), s.id(), prompt.id(), "build", "fake/m",
                        2, Optional.empty(), Optional.empty(), Optional.empty(), dev.lathe.protocol.session.Usage.ZERO, 0);
                h.journal.of(s).assistant(answer);
                assertThat(h.journal.writing(s.id())).contains(answer.id());
                var summary = new dev.lathe.protocol.session.AssistantMessage(dev.lathe.protocol.MessageId.next(), s.id(), prompt.id(), "build",
                        "fake/m", 3, Optional.empty(), Optional.empty(), Optional.empty(), dev.lathe.protocol.session.Usage.ZERO, 0);
                h.journal.of(s).assistant(summary);
                assertThat(h.journal.writing(s.id())).as("the newest open one").contains(summary.id());
                h.journal.of(s).assistant(summary.completed(4, "stop", dev.lathe.protocol.session.Usage.ZERO, 0));
                assertThat(h.journal.writing(s.id())).contains(answer.id());

                assertThat(h.sessions.addToRunningTurn(s.id(), m -> new Part.Hook(dev.lathe.protocol.PartId.next(), s.id(), m, "Stop", "./x.sh",
                        "lathe.json", Optional.empty(), Optional.empty(), Optional.of(0), 1, "ok", ""))).isTrue();
                assertThat(h.api.messages(s.id()).stream().filter(m -> m.info().id().equals(answer.id())).flatMap(m -> m.parts().stream()))
                        .singleElement().isInstanceOf(Part.Hook.class);
            }
            assertThat(h.journal.writing(s.id())).isEmpty();
            assertThat(h.sessions.addToRunningTurn(s.id(), m -> {
                throw new AssertionError("nothing is built between turns");
            })).isFalse();
        }
    }

    private static LlmEvent[] step(LlmEvent[] call) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(call), java.util.stream.Stream.of(finish(StopReason.TOOL_CALLS)))
                .toArray(LlmEvent[]::new);
    }
}
