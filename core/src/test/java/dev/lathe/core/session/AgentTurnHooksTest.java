package dev.lathe.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.event.BudgetAsks;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ACP agent's turn passes the same hooks and spend limits as a model's (issue 41): its tool calls go through
 * {@code PreToolUse} (deny, ask), {@code PostToolUse} sees their results, {@code Stop} runs when the agent ends its turn,
 * and a spend limit stops the turn before the agent is asked again. The agent is the scripted ACP agent (a test
 * resource) running real commands; the hooks are real shell scripts whose input is kept in files.
 */
class AgentTurnHooksTest {
    @TempDir Path tmp;

    private static String agentScript() throws Exception {
        return Path.of(AgentTurnHooksTest.class.getResource("/acpagent/scripted_agent.py").toURI()).toString();
    }

    /** The agent {@code acp/scripted} with {@code hooks}; bash and edits are allowed by the rules, so nothing is asked unless a hook asks. */
    private Harness harness(String hooks, String extra) throws Exception {
        return harness(hooks, extra, "{\"bash\": \"allow\", \"edit\": \"allow\"}");
    }

    private Harness harness(String hooks, String extra, String permission) throws Exception {
        String config = "{\"model\": \"acp/scripted\", \"provider\": {\"acp\": {\"models\": {\"scripted\": {\"command\": [\"python3\", \""
                + agentScript() + "\"]}}}}, \"permission\": " + permission + ", \"hooks\": " + hooks + extra + "}";
        return Harness.withHooksAndConfig(tmp, config, (session, callId, runs) -> { }).trustProject();
    }

    /** A hook script that keeps its input in {@code log} (one line a run) and prints {@code output}. */
    private String hook(String name, Path log, String output) throws Exception {
        Path script = tmp.resolve(name + ".sh");
        Files.writeString(script, "#!/bin/bash\n(cat; echo) >> '" + log + "'\ncat <<'OUT'\n" + output + "\nOUT\n");
        script.toFile().setExecutable(true);
        return script.toString();
    }

    private static String on(String event, String matcher, String command) {
        return "\"" + event + "\": [{" + (matcher.isEmpty() ? "" : "\"matcher\": \"" + matcher + "\", ") + "\"hooks\": [{\"type\": \"command\", \"command\": \""
                + command + "\"}]}]";
    }

    private static List<Part> lastParts(Harness h, SessionId id) {
        return h.api.messages(id).getLast().parts();
    }

    private static String said(List<Part> parts) {
        return String.join("", parts.stream().filter(Part.Text.class::isInstance).map(p -> ((Part.Text) p).text()).toList());
    }

    private static Part.Tool tool(List<Part> parts) {
        return parts.stream().filter(Part.Tool.class::isInstance).map(Part.Tool.class::cast).findFirst().orElseThrow();
    }

    private static AssistantMessage lastAssistant(List<MessageWithParts> history) {
        return (AssistantMessage) history.reversed().stream().filter(m -> m.info() instanceof AssistantMessage).findFirst().orElseThrow().info();
    }

    @Test
    void aPreToolUseDenyRefusesTheAgentsCallWhichDoesNotRun() throws Exception {
        Path log = tmp.resolve("pre.log");
        String deny = "{\"hookSpecificOutput\": {\"hookEventName\": \"PreToolUse\", \"permissionDecision\": \"deny\","
                + " \"permissionDecisionReason\": \"no touching\"}}";
        try (var h = harness("{" + on("PreToolUse", "Bash", hook("pre", log, deny)) + "}", "")) {
            Path marker = h.project.resolve("ran.txt");
            var s = h.session();
            h.promptAndWait(s.id(), "run touch ran.txt");

            assertThat(marker).as("the refused command never ran").doesNotExist();
            assertThat(Files.readString(log)).contains("\"hook_event_name\":\"PreToolUse\"").contains("\"tool_name\":\"Bash\"")
                    .contains("\"tool_input\":{\"command\":\"touch ran.txt\"}");
            List<Part> parts = lastParts(h, s.id());
            assertThat(tool(parts).state()).isInstanceOfSatisfying(ToolState.Failed.class,
                    f -> assertThat(f.error()).isEqualTo("Blocked by a PreToolUse hook: no touching"));
            // the agent was refused and went on, as a model reads a blocked call's error and goes on
            assertThat(said(parts)).isEqualTo("not run");
            assertThat(lastAssistant(h.api.messages(s.id())).error()).isEmpty();
            h.sessions.agents().close();
        }
    }

    @Test
    void aPreToolUseAskAsksTheUserWhereTheRulesAllow() throws Exception {
        Path log = tmp.resolve("pre.log");
        String ask = "{\"hookSpecificOutput\": {\"hookEventName\": \"PreToolUse\", \"permissionDecision\": \"ask\"}}";
        try (var h = harness("{" + on("PreToolUse", "Bash", hook("pre", log, ask)) + "}", "")) {
            Path marker = h.project.resolve("ran.txt");
            var s = h.session();
            h.api.prompt(s.id(), PromptRequest.text("run touch ran.txt"));
            var asked = (Event.PermissionAsked) h.awaitEvent(Event.PermissionAsked.class::isInstance);
            assertThat(asked.request().permission()).isEqualTo("bash");
            assertThat(marker).as("nothing runs before the answer").doesNotExist();
            h.api.replyPermission(asked.request().id(), PermissionReplyRequest.of(PermissionReply.ONCE));
            h.awaitIdle(s.id());

            assertThat(marker).exists();
            assertThat(said(lastParts(h, s.id()))).isEqualTo("ran");
            h.sessions.agents().close();
        }
    }

    @Test
    void aPermissionRequestHookAnswersTheAgentsAskInPlaceOfTheUser() throws Exception {
        Path log = tmp.resolve("permission.log");
        String allow = "{\"hookSpecificOutput\": {\"hookEventName\": \"PermissionRequest\", \"decision\": {\"behavior\": \"allow\"}}}";
        try (var h = harness("{" + on("PermissionRequest", "Bash", hook("permission", log, allow)) + "}", "", "{\"bash\": \"ask\", \"edit\": \"allow\"}")) {
            var s = h.session();
            h.promptAndWait(s.id(), "run touch ran.txt");

            assertThat(h.events).noneSatisfy(e -> assertThat(e.event()).isInstanceOf(Event.PermissionAsked.class));
            assertThat(h.project.resolve("ran.txt")).exists();
            assertThat(Files.readString(log)).contains("\"hook_event_name\":\"PermissionRequest\"").contains("\"tool_name\":\"Bash\"")
                    .contains("\"tool_input\":{\"command\":\"touch ran.txt\"}");
            assertThat(said(lastParts(h, s.id()))).isEqualTo("ran");
            h.sessions.agents().close();
        }
    }

    @Test
    void postToolUseSeesTheAgentsCallAndItsResult() throws Exception {
        Path log = tmp.resolve("post.log");
        try (var h = harness("{" + on("PostToolUse", "Bash", hook("post", log, "{}")) + "}", "")) {
            var s = h.session();
            h.promptAndWait(s.id(), "run echo hello-from-the-agent");

            assertThat(tool(lastParts(h, s.id())).state()).isInstanceOf(ToolState.Completed.class);
            String input = Files.readString(log);
            assertThat(input.lines().filter(l -> !l.isBlank())).as("fired once for the call").hasSize(1);
            assertThat(input).contains("\"hook_event_name\":\"PostToolUse\"").contains("\"tool_name\":\"Bash\"")
                    .contains("\"tool_input\":{\"command\":\"echo hello-from-the-agent\"}").contains("\"tool_use_id\":\"call-x\"")
                    .containsPattern("\"tool_response\":.*hello-from-the-agent");
            h.sessions.agents().close();
        }
    }

    @Test
    void aStopHookRunsWhenTheAgentStopsAndItsBlockMakesTheAgentGoOnOnce() throws Exception {
        Path log = tmp.resolve("stop.log");
        String block = "{\"decision\": \"block\", \"reason\": \"check the tests\"}";
        try (var h = harness("{" + on("Stop", "", hook("stop", log, block)) + "}", "")) {
            var s = h.session();
            h.promptAndWait(s.id(), "hello");

            List<String> runs = Files.readString(log).lines().filter(l -> !l.isBlank()).toList();
            assertThat(runs).as("once when the agent stopped, once after it went on").hasSize(2);
            assertThat(runs.get(0)).contains("\"hook_event_name\":\"Stop\"").contains("\"stop_hook_active\":false")
                    .contains("\"last_assistant_message\":\"Hello [session s1]\"");
            assertThat(runs.get(1)).contains("\"stop_hook_active\":true");
            // the hook's reason went to the agent as its next prompt; the second block is not obeyed (stop_hook_active)
            assertThat(said(lastParts(h, s.id()))).isEqualTo("unknown prompt: Stop hook feedback:\ncheck the tests");
            assertThat(lastAssistant(h.api.messages(s.id())).error()).isEmpty();
            h.sessions.agents().close();
        }
    }

    @Test
    void aSpendLimitStopsTheAgentTurnBeforeTheAgentIsAskedAgain() throws Exception {
        try (var h = harness("{}", ", \"limits\": {\"session\": {\"tokens\": 100}}")) {
            var s = h.session();
            h.promptAndWait(s.id(), "hello");
            assertThat(said(lastParts(h, s.id()))).isEqualTo("Hello [session s1]");

            // the first answer spent 155 tokens: the next prompt waits at the limit
            h.api.prompt(s.id(), PromptRequest.text("hello"));
            var asked = (Event.PermissionAsked) h.awaitEvent(Event.PermissionAsked.class::isInstance);
            assertThat(asked.request().permission()).isEqualTo(BudgetAsks.PERMISSION);
            assertThat(asked.request().patterns()).containsExactly("limits.session.tokens");
            h.api.replyPermission(asked.request().id(), PermissionReplyRequest.of(PermissionReply.REJECT));
            h.awaitIdle(s.id());

            List<MessageWithParts> history = h.api.messages(s.id());
            AssistantMessage stopped = lastAssistant(history);
            assertThat(stopped.error()).hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo(BudgetAsks.ERROR_KIND));
            assertThat(said(history.getLast().parts())).as("the agent was not asked: nothing more was charged").isEmpty();
            assertThat(stopped.usage().input()).isZero();
            h.sessions.agents().close();
        }
    }
}
