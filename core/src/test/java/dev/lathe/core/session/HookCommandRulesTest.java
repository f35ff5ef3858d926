package dev.lathe.core.session;

import static dev.lathe.core.session.ScriptedProtocol.call;
import static dev.lathe.core.session.ScriptedProtocol.finish;
import static dev.lathe.core.session.ScriptedProtocol.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.hooks.HookRun;
import dev.lathe.core.hooks.HookRunLog;
import dev.lathe.llm.StopReason;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN §30 (decision 563): the commands a person configured — hooks of the session's events, of a tool call, and the
 * status line — run under the node's {@code bash} rules as the model's bash does: a deny rule keeps them from starting,
 * and the refusal is said where the user looks (the hook's run, the status line's text). Real hooks, real processes.
 */
class HookCommandRulesTest {
    @TempDir Path tmp;
    private final List<HookRun> runs = new CopyOnWriteArrayList<>();
    private final HookRunLog log = (session, callId, r) -> runs.addAll(r);

    /** bash and edits allowed, except {@code touch} and anything that reaches {@code curl}. */
    private static final String RULES = ", \"permission\": {\"edit\": \"allow\", \"bash\": {\"*\": \"allow\", \"touch *\": \"deny\", \"curl *\": \"deny\"}}";

    private Path marker(String name) { return tmp.resolve(name); }

    private static String hooks(String event, String matcher, String... commands) {
        StringBuilder handlers = new StringBuilder();
        for (String c : commands) {
            handlers.append(handlers.isEmpty() ? "" : ", ").append("{\"type\": \"command\", \"command\": \"").append(c).append("\"}");
        }
        return "\"" + event + "\": [{" + (matcher.isEmpty() ? "" : "\"matcher\": \"" + matcher + "\", ") + "\"hooks\": [" + handlers + "]}]";
    }

    @Test
    void aSessionHookABashDenyRuleNamesNeverStartsAndTheOthersRun() throws Exception {
        String denied = "touch " + marker("denied");
        // a deny rule reads the whole line, as for the model's bash: a denied command after `;` is found too
        String hidden = "echo hi > /dev/null; curl -s http://127.0.0.1:9/ > " + marker("curl") + "; echo x > " + marker("hidden");
        String allowed = "echo ok > " + marker("allowed");
        String config = RULES + ", \"hooks\": {" + hooks("UserPromptSubmit", "", denied, hidden, allowed) + "}";
        try (var h = Harness.withHooks(tmp, config, 10, log).trustProject()) {
            var s = h.session();
            h.llm.then(text("hello"), finish(StopReason.STOP));
            h.promptAndWait(s.id(), "hi");

            assertThat(marker("allowed")).as("a command the rules allow runs").exists();
            assertThat(marker("denied")).as("`touch` is denied by a bash rule").doesNotExist();
            assertThat(marker("hidden")).as("a line holding `curl` is denied whole").doesNotExist();
            assertThat(runs).filteredOn(r -> r.result() instanceof HookRun.Result.Failed).hasSize(2)
                    .allSatisfy(r -> assertThat(((HookRun.Result.Failed) r.result()).message()).startsWith("not run: a bash deny rule (bash: ").contains(" refuses it: runs `"));
        }
    }

    @Test
    void aToolCallsHookABashDenyRuleNamesNeverStartsWhileTheCallRuns() throws Exception {
        String config = RULES + ", \"hooks\": {" + hooks("PreToolUse", "bash", "touch " + marker("pre")) + ", "
                + hooks("PostToolUse", "bash", "echo post > " + marker("post")) + "}";
        try (var h = Harness.withHooks(tmp, config, 10, log).trustProject()) {
            var s = h.session();
            var made = call(0, "c1", "bash", "{\"command\":\"echo made > made.txt\",\"description\":\"make a file\"}");
            h.llm.then(java.util.stream.Stream.concat(java.util.stream.Stream.of(made), java.util.stream.Stream.of(finish(StopReason.TOOL_CALLS)))
                    .toArray(dev.lathe.llm.LlmEvent[]::new));
            h.llm.then(text("done"), finish(StopReason.STOP));
            h.promptAndWait(s.id(), "make a file");

            assertThat(h.project.resolve("made.txt")).as("the model's call, which the rules allow, ran").exists();
            assertThat(marker("pre")).as("the PreToolUse hook's `touch` is denied").doesNotExist();
            assertThat(marker("post")).as("the PostToolUse hook's `echo` is not").exists();
            assertThat(runs).filteredOn(r -> r.result() instanceof HookRun.Result.Failed).singleElement()
                    .satisfies(r -> assertThat(((HookRun.Result.Failed) r.result()).message()).startsWith("not run: a bash deny rule (bash: touch *) refuses it"));
        }
    }

    @Test
    void aStatusLineABashDenyRuleNamesShowsWhyInsteadOfRunning() throws Exception {
        String config = RULES + ", \"statusLine\": {\"type\": \"command\", \"command\": \"touch " + marker("status") + "; echo line\"}";
        try (var h = Harness.withHooks(tmp, config, 10, log)) {
            String shown = h.api.statusLine(h.session().id()).text();

            assertThat(marker("status")).doesNotExist();
            assertThat(shown).startsWith("not run: ").contains("touch");
        }
    }
}
