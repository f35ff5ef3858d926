package dev.lathe.core.session;

import static dev.lathe.core.session.ScriptedProtocol.call;
import static dev.lathe.core.session.ScriptedProtocol.finish;
import static dev.lathe.core.session.ScriptedProtocol.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.hooks.HookRun;
import dev.lathe.core.hooks.HookRunLog;
import dev.lathe.llm.Content;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.StopReason;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.AssistantMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The session's own hook events fired by the real core, with real bash hook scripts that record what they were given:
 * what each hook is told, and what its answer does to the turn (a prompt blocked or given context, a stop refused, a
 * turn stopped, a compaction refused, a slow hook reported while the turn goes on).
 */
class SessionHookEventsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir Path tmp;
    private final List<HookRun> runs = new CopyOnWriteArrayList<>();
    private final HookRunLog log = (session, callId, r) -> runs.addAll(r);
    private final List<String> groups = new ArrayList<>();

    /** A hook of {@code event} (matching {@code matcher}, empty for none) running {@code body} as a bash script. */
    private Path hook(String event, String matcher, int timeout, String body) throws Exception {
        Path script = Files.createDirectories(tmp.resolve("hooks")).resolve(event + groups.size() + ".sh");
        Files.writeString(script, "#!/bin/bash\n" + body + "\n");
        script.toFile().setExecutable(true);
        groups.add("\"" + event + "\": [{" + (matcher.isEmpty() ? "" : "\"matcher\": \"" + matcher + "\", ") + "\"hooks\": [{\"type\": \"command\", \"command\": \""
                + script + "\", \"timeout\": " + timeout + "}]}]");
        return script;
    }

    private Path hook(String event, String body) throws Exception { return hook(event, "", 20, body); }

    /** Where a hook script writes what it was given. */
    private Path seen(String name) { return tmp.resolve("seen-" + name + ".json"); }

    private Harness harness(int maxSteps) throws Exception {
        return Harness.withHooks(tmp, ", \"hooks\": {" + String.join(", ", groups) + "}", maxSteps, log).trustProject();
    }

    private static JsonNode json(Path file) throws Exception { return JSON.readTree(Files.readString(file)); }

    private static String userText(LlmRequest request) {
        return request.messages().stream().filter(m -> m.role() == dev.lathe.llm.LlmMessage.Role.USER).flatMap(m -> m.content().stream())
                .filter(Content.Text.class::isInstance).map(c -> ((Content.Text) c).text()).reduce("", (a, b) -> a + "\n" + b);
    }

    @Test
    void sessionStartAndUserPromptSubmitSeeTheContractsFieldsAndTheirContextReachesTheModel() throws Exception {
        hook("SessionStart", "cat > " + seen("start") + "; echo 'SESSION-CONTEXT: the build is maven'");
        hook("UserPromptSubmit", "cat > " + seen("prompt") + "; echo '{\"hookSpecificOutput\": {\"hookEventName\": \"UserPromptSubmit\","
                + " \"additionalContext\": \"PROMPT-CONTEXT: ticket 42\"}}'");
        try (var h = harness(10)) {
            var session = h.session();
            h.llm.then(text("hi"), finish(StopReason.STOP));
            h.promptAndWait(session.id(), "hello there");
            h.llm.then(text("again"), finish(StopReason.STOP));
            h.promptAndWait(session.id(), "second prompt");

            JsonNode start = json(seen("start"));
            assertThat(start.path("hook_event_name").asString()).isEqualTo("SessionStart");
            assertThat(start.path("source").asString()).isEqualTo("startup");
            assertThat(start.path("session_id").asString()).isEqualTo(session.id().value());
            assertThat(start.path("cwd").asString()).isEqualTo(h.project.toString());
            JsonNode prompt = json(seen("prompt"));
            assertThat(prompt.path("hook_event_name").asString()).isEqualTo("UserPromptSubmit");
            assertThat(prompt.path("prompt").asString()).isEqualTo("second prompt");
            assertThat(prompt.path("permission_mode").asString()).isEqualTo("default");
            Path transcript = Path.of(prompt.path("transcript_path").asString());
            assertThat(Files.readString(transcript)).as("the transcript is up to date when the hook runs").contains("hello there");

            assertThat(h.llm.requests).hasSize(2);
            assertThat(userText(h.llm.requests.get(0))).contains("hello there", "SESSION-CONTEXT: the build is maven", "PROMPT-CONTEXT: ticket 42");
            assertThat(userText(h.llm.requests.get(1))).contains("second prompt");
            assertThat(runs).extracting(r -> r.hook().event().wire()).containsExactly("SessionStart", "UserPromptSubmit", "UserPromptSubmit");
        }
    }

    @Test
    void instructionsLoadedFiresOncePerInstructionFileNotEveryStep() throws Exception {
        hook("InstructionsLoaded", "cat >> " + seen("instructions") + "; echo >> " + seen("instructions"));
        try (var h = harness(10)) {
            Files.writeString(h.project.resolve("AGENTS.md"), "Use tabs.\n");
            var session = h.session();
            h.llm.then(text("one"), finish(StopReason.STOP));
            h.promptAndWait(session.id(), "first");
            h.llm.then(text("two"), finish(StopReason.STOP));
            h.promptAndWait(session.id(), "second");
            for (int i = 0; i < 500 && !Files.exists(seen("instructions")); i++) Thread.sleep(10);
            Thread.sleep(300);

            List<JsonNode> loaded = Files.readAllLines(seen("instructions")).stream().filter(l -> !l.isBlank()).map(l -> JSON.readTree(l)).toList();
            assertThat(loaded).singleElement().satisfies(i -> {
                assertThat(i.path("hook_event_name").asString()).isEqualTo("InstructionsLoaded");
                assertThat(i.path("file_path").asString()).isEqualTo(h.project.resolve("AGENTS.md").toString());
                assertThat(i.path("memory_type").asString()).isEqualTo("Project");
                assertThat(i.path("load_reason").asString()).isEqualTo("session_start");
            });
        }
    }

    @Test
    void aNestedInstructionFileSurfacedByAReadIsLoadedOnce() throws Exception {
        hook("InstructionsLoaded", "nested_traversal", 20, "cat >> " + seen("nested") + "; echo >> " + seen("nested"));
        try (var h = harness(10)) {
            Files.createDirectories(h.project.resolve("sub"));
            Files.writeString(h.project.resolve("sub/AGENTS.md"), "SUB-RULES\n");
            Files.writeString(h.project.resolve("sub/a.txt"), "alpha");
            Files.writeString(h.project.resolve("sub/b.txt"), "beta");
            var session = h.session();
            h.llm.then(Stream.concat(Stream.of(call(0, "c1", "read", "{\"path\":\"sub/a.txt\"}")), Stream.of(finish(StopReason.TOOL_CALLS)))
                    .toArray(LlmEvent[]::new));
            h.llm.then(Stream.concat(Stream.of(call(0, "c2", "read", "{\"path\":\"sub/b.txt\"}")), Stream.of(finish(StopReason.TOOL_CALLS)))
                    .toArray(LlmEvent[]::new));
            h.llm.then(text("read both"), finish(StopReason.STOP));
            h.promptAndWait(session.id(), "read them");
            for (int i = 0; i < 500 && !Files.exists(seen("nested")); i++) Thread.sleep(10);
            Thread.sleep(300);

            List<JsonNode> loaded = Files.readAllLines(seen("nested")).stream().filter(l -> !l.isBlank()).map(l -> JSON.readTree(l)).toList();
            assertThat(loaded).singleElement().satisfies(i -> {
                assertThat(i.path("file_path").asString()).isEqualTo(h.project.resolve("sub/AGENTS.md").toString());
                assertThat(i.path("load_reason").asString()).isEqualTo("nested_traversal");
            });
        }
    }

    @Test
    void aBlockedPromptNeverReachesTheModelAndTheUserReadsWhy() throws Exception {
        hook("UserPromptSubmit", "grep -q password && { echo 'prompts may not hold passwords' >&2; exit 2; }; exit 0");
        try (var h = harness(10)) {
            var session = h.session();
            h.promptAndWait(session.id(), "my password is hunter2");

            assertThat(h.llm.requests).as("the model never saw it").isEmpty();
            assertThat(h.api.messages(session.id())).as("the prompt was taken back").isEmpty();
            var error = (Event.SessionErrored) h.awaitEvent(e -> e instanceof Event.SessionErrored);
            assertThat(error.error().kind()).isEqualTo("hook_blocked");
            assertThat(error.error().message()).contains("prompts may not hold passwords");
            assertThat(h.events).anyMatch(e -> e.event() instanceof Event.MessageRemoved);

            h.llm.then(text("fine"), finish(StopReason.STOP));
            h.promptAndWait(session.id(), "a harmless prompt");
            assertThat(h.llm.requests).hasSize(1);
            assertThat(userText(h.llm.requests.getFirst())).contains("a harmless prompt").doesNotContain("hunter2");
        }
    }

    @Test
    void aPromptSentWhileTheTurnRunsGoesThroughUserPromptSubmitToo() throws Exception {
        Path started = tmp.resolve("call-started");
        hook("UserPromptSubmit", "grep -q forbidden && { echo 'not that' >&2; exit 2; }; exit 0");
        hook("PreToolUse", "read", 20, "touch " + started + "; sleep 1.5");
        try (var h = harness(10)) {
            Files.writeString(h.project.resolve("a.txt"), "alpha");
            var session = h.session();
            h.llm.then(Stream.concat(Stream.of(call(0, "c1", "read", "{\"path\":\"a.txt\"}")), Stream.of(finish(StopReason.TOOL_CALLS)))
                    .toArray(LlmEvent[]::new));
            h.llm.then(text("read it"), finish(StopReason.STOP));
            h.api.prompt(session.id(), dev.lathe.protocol.api.PromptRequest.text("read a.txt"));
            for (int i = 0; i < 500 && !Files.exists(started); i++) Thread.sleep(10);
            h.api.prompt(session.id(), dev.lathe.protocol.api.PromptRequest.text("now do the forbidden thing"));
            h.awaitIdle(session.id());

            assertThat(h.llm.requests).hasSize(2);
            assertThat(userText(h.llm.requests.get(1))).doesNotContain("forbidden");
            assertThat(h.api.messages(session.id()).toString()).doesNotContain("forbidden");
            var error = (Event.SessionErrored) h.awaitEvent(e -> e instanceof Event.SessionErrored);
            assertThat(error.error().message()).contains("not that");
        }
    }

    @Test
    void aStopHookExitTwoMakesTheAgentGoOnOnceThenItStops() throws Exception {
        hook("Stop", "input=$(cat); echo \"$input\" >> " + seen("stop") + "\n"
                + "echo \"$input\" | grep -q '\"stop_hook_active\":true' && exit 0\n"
                + "echo 'run the tests before you stop' >&2; exit 2");
        try (var h = harness(10)) {
            var session = h.session();
            h.llm.then(text("done, I think"), finish(StopReason.STOP));
            h.llm.then(text("tests pass"), finish(StopReason.STOP));
            h.promptAndWait(session.id(), "fix the bug");

            assertThat(h.llm.requests).hasSize(2);
            assertThat(userText(h.llm.requests.get(1))).contains("run the tests before you stop");
            List<JsonNode> inputs = Files.readAllLines(seen("stop")).stream().filter(l -> !l.isBlank()).map(l -> JSON.readTree(l)).toList();
            assertThat(inputs).hasSize(2);
            assertThat(inputs.get(0).path("stop_hook_active").asBoolean()).isFalse();
            assertThat(inputs.get(0).path("last_assistant_message").asString()).isEqualTo("done, I think");
            assertThat(inputs.get(1).path("stop_hook_active").asBoolean()).isTrue();
            assertThat(inputs.get(1).path("last_assistant_message").asString()).isEqualTo("tests pass");
            var last = (AssistantMessage) h.api.messages(session.id()).getLast().info();
            assertThat(last.error()).isEmpty();
        }
    }

    @Test
    void aStopHookThatAlwaysBlocksIsCappedByTheStepLimit() throws Exception {
        hook("Stop", "echo 'never done' >&2; exit 2");
        try (var h = harness(3)) {
            var session = h.session();
            for (int i = 0; i < 5; i++) h.llm.then(text("answer " + i), finish(StopReason.STOP));
            h.promptAndWait(session.id(), "go");
            assertThat(h.llm.requests).hasSize(3);
        }
    }

    @Test
    void continueFalseFromAStopHookEndsTheTurnWithItsReasonShown() throws Exception {
        hook("Stop", "echo '{\"continue\": false, \"stopReason\": \"the budget is spent\"}'");
        try (var h = harness(10)) {
            var session = h.session();
            h.llm.then(text("done"), finish(StopReason.STOP));
            h.promptAndWait(session.id(), "go");
            var last = (AssistantMessage) h.api.messages(session.id()).getLast().info();
            assertThat(last.error()).hasValueSatisfying(e -> {
                assertThat(e.kind()).isEqualTo("hook_stopped");
                assertThat(e.message()).contains("the budget is spent");
            });
        }
    }

    @Test
    void continueFalseFromAToolHookStopsTheTurnAfterTheCall() throws Exception {
        hook("PostToolUse", "read", 20, "echo '{\"continue\": false, \"stopReason\": \"enough reading\"}'");
        try (var h = harness(10)) {
            Files.writeString(h.project.resolve("a.txt"), "alpha");
            var session = h.session();
            h.llm.then(Stream.concat(Stream.of(call(0, "c1", "read", "{\"path\":\"a.txt\"}")), Stream.of(finish(StopReason.TOOL_CALLS)))
                    .toArray(LlmEvent[]::new));
            h.llm.then(text("would go on"), finish(StopReason.STOP));
            h.promptAndWait(session.id(), "read a.txt");

            assertThat(h.llm.requests).as("no request after the stop").hasSize(1);
            var last = (AssistantMessage) h.api.messages(session.id()).getLast().info();
            assertThat(last.error()).hasValueSatisfying(e -> assertThat(e.message()).contains("enough reading"));
        }
    }

    @Test
    void aPreCompactHookRefusesACompactionAndPostCompactGetsTheSummary() throws Exception {
        Path gate = tmp.resolve("refuse");
        hook("PreCompact", "cat > " + seen("pre") + "; [ -e " + gate + " ] && { echo 'not now' >&2; exit 2; }; exit 0");
        hook("PostCompact", "cat > " + seen("post"));
        try (var h = harness(10)) {
            var session = h.session();
            h.llm.then(text("one"), finish(StopReason.STOP));
            h.promptAndWait(session.id(), "first");
            h.llm.then(text("two"), finish(StopReason.STOP));
            h.promptAndWait(session.id(), "second");

            Files.writeString(gate, "");
            assertThatThrownBy(() -> h.api.compact(session.id())).isInstanceOf(LatheException.Conflict.class).hasMessageContaining("not now");
            assertThat(json(seen("pre")).path("trigger").asString()).isEqualTo("manual");
            assertThat(seen("post")).doesNotExist();

            Files.delete(gate);
            h.llm.then(text("SUMMARY: two prompts answered"), finish(StopReason.STOP));
            h.api.compact(session.id());
            JsonNode post = json(seen("post"));
            assertThat(post.path("hook_event_name").asString()).isEqualTo("PostCompact");
            assertThat(post.path("trigger").asString()).isEqualTo("manual");
            assertThat(post.path("compact_summary").asString()).contains("SUMMARY: two prompts answered");
        }
    }

    @Test
    void aHookThatTimesOutIsReportedAndTheTurnGoesOn() throws Exception {
        hook("UserPromptSubmit", "", 1, "sleep 10; echo 'too late'");
        try (var h = harness(10)) {
            var session = h.session();
            h.llm.then(text("answered anyway"), finish(StopReason.STOP));
            long started = System.nanoTime();
            h.promptAndWait(session.id(), "hello");
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(8));
            assertThat(h.llm.requests).hasSize(1);
            assertThat(runs).singleElement().satisfies(r -> assertThat(r.result()).isInstanceOf(HookRun.Result.TimedOut.class));
            assertThat(h.api.messages(session.id())).extracting(m -> m.info().getClass().getSimpleName()).containsExactly("UserMessage", "AssistantMessage");
        }
    }
}
