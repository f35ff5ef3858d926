package dev.lathe.core.session;

import static dev.lathe.core.session.ScriptedProtocol.call;
import static dev.lathe.core.session.ScriptedProtocol.finish;
import static dev.lathe.core.session.ScriptedProtocol.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.hooks.HookRun;
import dev.lathe.core.hooks.HookRunLog;
import dev.lathe.llm.Content;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.StopReason;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.PermissionReply;
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
 * The hook events around a tool call and the user, fired by the real core with real bash hook scripts:
 * {@code PermissionRequest} answering an ask, {@code PermissionDenied} after a refusal, a {@code PreToolUse} allow
 * sparing an ask but never beating a deny rule, its ask asking where the rules allow, {@code Notification} when the user
 * is asked, {@code PostToolUseFailure} after a failed call, {@code SubagentStart}/{@code SubagentStop} around a task,
 * {@code SessionEnd} when a session is deleted.
 */
class CallHookEventsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir Path tmp;
    private final List<HookRun> runs = new CopyOnWriteArrayList<>();
    private final HookRunLog log = (session, callId, r) -> runs.addAll(r);
    private final List<String> groups = new ArrayList<>();

    private void hook(String event, String matcher, String body) throws Exception {
        Path script = Files.createDirectories(tmp.resolve("hooks")).resolve(event + groups.size() + ".sh");
        Files.writeString(script, "#!/bin/bash\n" + body + "\n");
        script.toFile().setExecutable(true);
        groups.add("\"" + event + "\": [{" + (matcher.isEmpty() ? "" : "\"matcher\": \"" + matcher + "\", ") + "\"hooks\": [{\"type\": \"command\", \"command\": \""
                + script + "\", \"timeout\": 20}]}]");
    }

    private Path seen(String name) { return tmp.resolve("seen-" + name + ".json"); }

    private Harness harness(String extra) throws Exception {
        return Harness.withHooks(tmp, extra + ", \"hooks\": {" + String.join(", ", groups) + "}", 10, log).trustProject();
    }

    private static JsonNode json(Path file) throws Exception { return JSON.readTree(Files.readString(file)); }

    private static LlmEvent[] calls(LlmEvent[]... calls) {
        return Stream.concat(Stream.of(calls).flatMap(Stream::of), Stream.of(finish(StopReason.TOOL_CALLS))).toArray(LlmEvent[]::new);
    }

    private static List<Content.ToolResult> results(LlmRequest request) {
        return request.messages().stream().flatMap(m -> m.content().stream()).filter(Content.ToolResult.class::isInstance)
                .map(Content.ToolResult.class::cast).toList();
    }

    private static void awaitFile(Path file) throws InterruptedException {
        for (int i = 0; i < 500 && !Files.exists(file); i++) Thread.sleep(10);
    }

    @Test
    void aPermissionRequestHookAnswersTheAskInPlaceOfTheUser() throws Exception {
        hook("PermissionRequest", "bash", "cat > " + seen("request")
                + "; echo '{\"hookSpecificOutput\": {\"hookEventName\": \"PermissionRequest\", \"decision\": {\"behavior\": \"allow\"}}}'");
        try (var h = harness("")) {
            var session = h.session();
            h.llm.then(calls(call(0, "c1", "bash", "{\"command\":\"echo made > made.txt\",\"description\":\"make a file\"}")));
            h.llm.then(text("done"), finish(StopReason.STOP));
            h.promptAndWait(session.id(), "make a file");

            assertThat(h.project.resolve("made.txt")).content().contains("made");
            assertThat(h.events).noneMatch(e -> e.event() instanceof Event.PermissionAsked);
            JsonNode request = json(seen("request"));
            assertThat(request.path("hook_event_name").asString()).isEqualTo("PermissionRequest");
            assertThat(request.path("tool_name").asString()).isEqualTo("bash");
            assertThat(request.path("tool_input").path("command").asString()).isEqualTo("echo made > made.txt");
        }
    }

    @Test
    void aPermissionRequestDenyRefusesTheCallAndPermissionDeniedMayLetTheModelRetry() throws Exception {
        hook("PermissionRequest", "bash", "echo '{\"hookSpecificOutput\": {\"hookEventName\": \"PermissionRequest\", \"decision\": {\"behavior\": \"deny\","
                + " \"message\": \"no shell on fridays\"}}}'");
        hook("PermissionDenied", "", "cat > " + seen("denied") + "; echo '{\"hookSpecificOutput\": {\"hookEventName\": \"PermissionDenied\", \"retry\": true}}'");
        try (var h = harness("")) {
            var session = h.session();
            h.llm.then(calls(call(0, "c1", "bash", "{\"command\":\"echo made > made.txt\",\"description\":\"make a file\"}")));
            h.llm.then(text("ok"), finish(StopReason.STOP));
            h.promptAndWait(session.id(), "make a file");

            assertThat(h.project.resolve("made.txt")).doesNotExist();
            assertThat(h.llm.requests).hasSize(2);
            assertThat(results(h.llm.requests.get(1))).singleElement().satisfies(r -> assertThat(r.output())
                    .contains("A PermissionRequest hook denied this call: no shell on fridays", "you may retry"));
            JsonNode denied = json(seen("denied"));
            assertThat(denied.path("hook_event_name").asString()).isEqualTo("PermissionDenied");
            assertThat(denied.path("tool_name").asString()).isEqualTo("bash");
            assertThat(denied.path("tool_use_id").asString()).isEqualTo("c1");
            assertThat(denied.path("reason").asString()).contains("no shell on fridays");
        }
    }

    @Test
    void aPreToolUseAllowSparesTheAskButADenyRuleStillDenies() throws Exception {
        hook("PreToolUse", "bash", "echo '{\"hookSpecificOutput\": {\"hookEventName\": \"PreToolUse\", \"permissionDecision\": \"allow\"}}'");
        try (var h = harness(", \"permission\": {\"bash\": {\"*\": \"ask\", \"rm *\": \"deny\"}}")) {
            Files.writeString(h.project.resolve("keep.txt"), "keep");
            var session = h.session();
            h.llm.then(calls(call(0, "c1", "bash", "{\"command\":\"rm keep.txt\",\"description\":\"remove\"}")));
            // the denial is the model's to read: the turn goes on (DESIGN §26)
            h.llm.then(text("it is denied"), finish(StopReason.STOP));
            h.promptAndWait(session.id(), "remove it");
            h.llm.then(calls(call(0, "c2", "bash", "{\"command\":\"echo made > made.txt\",\"description\":\"make\"}")));
            h.llm.then(text("ok"), finish(StopReason.STOP));
            h.promptAndWait(session.id(), "make it");

            assertThat(h.project.resolve("keep.txt")).as("the deny rule beat the hook's allow").exists();
            assertThat(h.project.resolve("made.txt")).as("the hook's allow answered the ask").exists();
            assertThat(h.events).noneMatch(e -> e.event() instanceof Event.PermissionAsked);
            assertThat(h.api.messages(session.id()).toString()).contains("Denied by bash: rm *");
        }
    }

    @Test
    void aPreToolUseAskAsksWhereTheRulesAllowAndNotificationHooksHearOfIt() throws Exception {
        hook("PreToolUse", "read", "echo '{\"hookSpecificOutput\": {\"hookEventName\": \"PreToolUse\", \"permissionDecision\": \"ask\"}}'");
        // the Notification hook runs beside the ask, so its file is written whole, then renamed: `cat > file` makes it empty first
        hook("Notification", "permission_prompt", "cat > " + seen("notification") + ".part && mv " + seen("notification") + ".part " + seen("notification"));
        try (var h = harness("")) {
            Files.writeString(h.project.resolve("a.txt"), "ALPHA");
            var session = h.session();
            h.llm.then(calls(call(0, "c1", "read", "{\"path\":\"a.txt\"}")));
            h.llm.then(text("ok"), finish(StopReason.STOP));
            h.api.prompt(session.id(), dev.lathe.protocol.api.PromptRequest.text("read a.txt"));
            var asked = (Event.PermissionAsked) h.awaitEvent(Event.PermissionAsked.class::isInstance);
            h.api.replyPermission(asked.request().id(), PermissionReplyRequest.of(PermissionReply.ONCE));
            h.awaitIdle(session.id());

            assertThat(results(h.llm.requests.get(1))).singleElement().satisfies(r -> assertThat(r.output()).contains("ALPHA"));
            awaitFile(seen("notification"));
            JsonNode notification = json(seen("notification"));
            assertThat(notification.path("hook_event_name").asString()).isEqualTo("Notification");
            assertThat(notification.path("notification_type").asString()).isEqualTo("permission_prompt");
            assertThat(notification.path("message").asString()).contains("read");
        }
    }

    @Test
    void postToolUseFailureSeesTheErrorAndItsContextFollowsIt() throws Exception {
        hook("PostToolUseFailure", "read", "cat > " + seen("failure")
                + "; echo '{\"hookSpecificOutput\": {\"hookEventName\": \"PostToolUseFailure\", \"additionalContext\": \"HINT: list the folder first\"}}'");
        try (var h = harness("")) {
            var session = h.session();
            h.llm.then(calls(call(0, "c1", "read", "{\"path\":\"missing.txt\"}")));
            h.llm.then(text("ok"), finish(StopReason.STOP));
            h.promptAndWait(session.id(), "read missing.txt");

            assertThat(results(h.llm.requests.get(1))).singleElement().satisfies(r -> {
                assertThat(r.isError()).isTrue();
                assertThat(r.output()).contains("HINT: list the folder first");
            });
            JsonNode failure = json(seen("failure"));
            assertThat(failure.path("hook_event_name").asString()).isEqualTo("PostToolUseFailure");
            assertThat(failure.path("tool_name").asString()).isEqualTo("read");
            assertThat(failure.path("error").asString()).isNotBlank().doesNotContain("HINT");
            assertThat(failure.path("is_interrupt").asBoolean()).isFalse();
        }
    }

    @Test
    void subagentHooksFireAroundATaskAndASubagentStopBlockMakesItGoOn() throws Exception {
        hook("SubagentStart", "general", "cat > " + seen("substart") + "; echo '{\"hookSpecificOutput\": {\"hookEventName\": \"SubagentStart\","
                + " \"additionalContext\": \"SUBAGENT-CONTEXT\"}}'");
        hook("SubagentStop", "", "input=$(cat); echo \"$input\" >> " + seen("substop") + "\n"
                + "echo \"$input\" | grep -q '\"stop_hook_active\":true' && exit 0\n"
                + "echo 'cite the file too' >&2; exit 2");
        try (var h = harness("")) {
            var session = h.session();
            h.llm.then(calls(call(0, "t1", "task", "{\"description\":\"Look\",\"prompt\":\"Look at the code\",\"agent\":\"general\"}")));
            h.llm.then(text("CHILD-FIRST"), finish(StopReason.STOP));
            h.llm.then(text("CHILD-FINAL with the file"), finish(StopReason.STOP));
            h.llm.then(text("PARENT-DONE"), finish(StopReason.STOP));
            h.promptAndWait(session.id(), "delegate");

            assertThat(h.llm.requests).hasSize(4);
            assertThat(h.llm.requests.get(1).messages().toString()).contains("SUBAGENT-CONTEXT");
            assertThat(h.llm.requests.get(2).messages().toString()).contains("cite the file too");
            assertThat(results(h.llm.requests.get(3))).singleElement().satisfies(r -> assertThat(r.output()).contains("CHILD-FINAL with the file"));
            JsonNode start = json(seen("substart"));
            assertThat(start.path("session_id").asString()).isEqualTo(session.id().value());
            assertThat(start.path("agent_type").asString()).isEqualTo("general");
            String child = start.path("agent_id").asString();
            assertThat(child).isNotEqualTo(session.id().value());
            List<JsonNode> stops = Files.readAllLines(seen("substop")).stream().filter(l -> !l.isBlank()).map(l -> JSON.readTree(l)).toList();
            assertThat(stops).hasSize(2);
            assertThat(stops.get(0).path("agent_id").asString()).isEqualTo(child);
            assertThat(stops.get(0).path("stop_hook_active").asBoolean()).isFalse();
            assertThat(stops.get(1).path("stop_hook_active").asBoolean()).isTrue();
            assertThat(Path.of(stops.get(1).path("agent_transcript_path").asString())).exists();
            assertThat(stops.get(1).path("last_assistant_message").asString()).isEqualTo("CHILD-FINAL with the file");
        }
    }

    @Test
    void deletingASessionEndsIt() throws Exception {
        hook("SessionEnd", "", "cat > " + seen("end"));
        try (var h = harness("")) {
            var session = h.session();
            h.llm.then(text("hi"), finish(StopReason.STOP));
            h.promptAndWait(session.id(), "hello");
            h.api.deleteSession(session.id());
            JsonNode end = json(seen("end"));
            assertThat(end.path("hook_event_name").asString()).isEqualTo("SessionEnd");
            assertThat(end.path("reason").asString()).isEqualTo("other");
            assertThat(end.path("session_id").asString()).isEqualTo(session.id().value());
        }
    }
}
