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
