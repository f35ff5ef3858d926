package dev.lathe.tools.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.tools.RecordingPermissions;
import dev.lathe.tools.Subagents;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolExecutor;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskToolTest {
    @TempDir Path tmp;
    final ToolExecutor executor = new ToolExecutor(ToolRegistry.builtins());
    final List<Subagents.Request> asked = new CopyOnWriteArrayList<>();

    ToolContext ctx(Subagents subagents) {
        return ToolContext.builder(tmp, RecordingPermissions.allowing()).session("ses_parent").call("call_t").output(tmp.resolve("out"))
                .subagents(subagents).build();
    }

    @Test
    void passesTheRequestOnAndReturnsOnlyTheFinalTextWithTheTaskId() {
        Subagents child = r -> {
            asked.add(r);
            return new Subagents.Result("ses_child", r.agent(), "  Found 3 uses in a.java.\n");
        };
        var r = executor.execute("task", "{\"description\":\"Find uses\",\"prompt\":\"Find every use of Widget\",\"agent\":\"explore\"}",
                ctx(child));
        assertThat(asked).containsExactly(new Subagents.Request("Find uses", "Find every use of Widget", "explore", Optional.empty()));
        assertThat(r.output()).startsWith("taskId: ses_child").endsWith("<task_result>\nFound 3 uses in a.java.\n</task_result>");
        assertThat(r.title()).isEqualTo("Find uses");
        assertThat(r.metadata()).isEqualTo(Map.of("sessionId", "ses_child", "agent", "explore"));

        executor.execute("task", "{\"description\":\"More\",\"prompt\":\"And in tests?\",\"agent\":\"explore\",\"taskId\":\" ses_child \"}",
                ctx(child));
        assertThat(asked.getLast().taskId()).contains("ses_child");
    }

    /** A port that starts background tasks and lists them, recording what it was asked. */
    private Subagents starting() {
        return new Subagents() {
            @Override
            public Result run(Request r) { throw new AssertionError("a background task never blocks"); }

            @Override
            public Started start(Request r) {
                asked.add(r);
                return new Started("ses_bg" + asked.size(), r.agent());
            }

            @Override
            public List<Task> tasks() {
                return List.of(new Task("ses_bg1", "explore", "Survey", "running", 1L, java.util.OptionalLong.empty()),
                        new Task("ses_bg2", "general", "Fix", "completed", 1L, java.util.OptionalLong.of(2L)));
            }

            @Override
            public Task cancel(String id) {
                if (!id.equals("ses_bg1")) throw new ToolFailure("No background task " + id + " was started by this session.");
                return tasks().getFirst();
            }
        };
    }

    @Test
    void inTheBackgroundItReturnsAtOnceWithTheTaskIdOnItsFirstLineAndClaudeCodesNameMeansTheSame() {
        Subagents port = starting();
        var r = executor.execute("task", "{\"description\":\"Survey\",\"prompt\":\"Survey the repo\",\"agent\":\"explore\",\"background\":true}", ctx(port));
        assertThat(r.output().lines().findFirst()).contains("started background task ses_bg1 (agent explore)");
        assertThat(r.metadata()).containsEntry("sessionId", "ses_bg1").containsEntry("background", "true");
        var claude = executor.execute("task", "{\"description\":\"Fix\",\"prompt\":\"Fix it\",\"agent\":\"general\",\"run_in_background\":true}", ctx(port));
        assertThat(claude.output()).startsWith("started background task ses_bg2 (agent general)");
        assertThat(asked).hasSize(2);

        assertThat(executor.execute("task_status", "{}", ctx(port)).output()).isEqualTo("ses_bg1 running (agent explore): Survey\n"
                + "ses_bg2 completed (agent general): Fix");
        assertThat(executor.execute("task_status", "{\"id\":\"ses_bg2\"}", ctx(port)).output()).isEqualTo("ses_bg2 completed (agent general): Fix");
        assertThatThrownBy(() -> executor.execute("task_status", "{\"id\":\"ses_nope\"}", ctx(port))).isInstanceOf(ToolFailure.class)
                .hasMessageContaining("No background task ses_nope");
        assertThat(executor.execute("task_cancel", "{\"id\":\"ses_bg1\"}", ctx(port)).output()).startsWith("Cancelling background task ses_bg1");
        assertThatThrownBy(() -> executor.execute("task_cancel", "{\"id\":\"ses_nope\"}", ctx(port))).isInstanceOf(ToolFailure.class);
        // where no session can start them, the model reads why
        assertThatThrownBy(() -> executor.execute("task", "{\"description\":\"x\",\"prompt\":\"y\",\"agent\":\"explore\",\"background\":true}",
                ctx(Subagents.UNAVAILABLE))).isInstanceOf(ToolFailure.class).hasMessageContaining("not available");
    }

    @Test
    void aChildThatKeptAWorktreeOfItsOwnNamesItsBranchForClients() {
        Subagents child = r -> new Subagents.Result("ses_child", r.agent(), "Done.", Optional.of("The agent's changes are in git worktree /r/.lathe/"
                + "worktrees/general-ab12cd on branch lathe/general-ab12cd (1 file changed)"), Optional.of("lathe/general-ab12cd"));
        var r = executor.execute("task", "{\"description\":\"Notes\",\"prompt\":\"Write notes\",\"agent\":\"general\",\"isolation\":\"worktree\"}",
                ctx(child));
        assertThat(r.metadata()).isEqualTo(Map.of("sessionId", "ses_child", "agent", "general", "branch", "lathe/general-ab12cd"));
        assertThat(r.output()).contains("on branch lathe/general-ab12cd");
    }

    @Test
    void missingArgumentsAndNoSubagentsAreErrorsTheModelCanFix() {
        assertThatThrownBy(() -> executor.execute("task", "{\"description\":\"x\",\"prompt\":\" \",\"agent\":\"explore\"}", ctx(Subagents.UNAVAILABLE)))
                .isInstanceOf(ToolFailure.class).hasMessageContaining("prompt");
        assertThatThrownBy(() -> executor.execute("task", "{\"description\":\"x\",\"prompt\":\"go\"}", ctx(Subagents.UNAVAILABLE)))
                .isInstanceOf(ToolFailure.class).hasMessageContaining("agent");
        assertThatThrownBy(() -> executor.execute("task", "{\"description\":\"x\",\"prompt\":\"go\",\"agent\":\"explore\"}",
                ToolContext.builder(tmp, RecordingPermissions.allowing()).session("s").call("c").build()))
                .isInstanceOf(ToolFailure.class).hasMessageContaining("not available");
    }
}
