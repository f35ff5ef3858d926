package dev.lathe.tui.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.tui.text.Snapshots;
import dev.lathe.tui.text.Theme;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;

class ToolViewTest {
    static Part.Tool tool(String name, ToolState state) {
        return new Part.Tool(new PartId("prt_1"), new SessionId("ses_1"), new MessageId("msg_1"), "c1", name, state, Map.of());
    }

    static final String DIFF = """
            --- a/src/Greeter.java
            +++ b/src/Greeter.java
            @@ -1,4 +1,4 @@
             class Greeter {
            -    String greet() { return "hi"; }
            +    String greet() { return "hello"; }
             }
            """;

    final ToolView view = new ToolView(Theme.standard());

    @Test
    void aRunningCallAnAskHoldsSaysItWaitsForApprovalInsteadOfSpinning() {
        var asks = new AskPanel();
        var held = new ToolView(Theme.standard(), ToolView.DETAIL_LINES, asks::waitingOn, AutoVerdicts.NONE);
        var bash = tool("bash", new ToolState.Running(new RawJson("{\"command\":\"rm -rf build\"}"), "bash", 1000, ""));
        assertThat(held.render(bash, 80, false, 0).getFirst().toString()).doesNotContain("waiting").doesNotStartWith("?");
        asks.add(new AskPanel.Ask.Permission(new dev.lathe.protocol.event.PermissionRequest(new dev.lathe.protocol.PermissionId("prm_1"),
                new SessionId("ses_1"), new MessageId("msg_1"), "c1", "bash", List.of("rm -rf build"), List.of("rm *"), "rm -rf build", Map.of(), 1), false));
        assertThat(held.render(bash, 80, false, 0).getFirst().toString()).startsWith("? bash").endsWith("· waiting for approval");
        asks.remove("prm_1");
        assertThat(held.render(bash, 80, false, 0).getFirst().toString()).doesNotContain("waiting");
    }

    @Test
    void aRunningCallShowsTheProgressItsToolReports() {
        var mcp = tool("ev_trigger-long-running-operation", new ToolState.Running(new RawJson("{}"), "ev_trigger-long-running-operation", 1000, "",
                Optional.empty(), Optional.of(new dev.lathe.protocol.session.CallProgress(3, Optional.of(8.0), Optional.of("indexing")))));
        assertThat(view.render(mcp, 100, false, 0).getFirst().toString()).endsWith("· 3/8 · indexing");
    }

    @Test
    void anEditShowsItsDiff() {
        var edit = tool("edit", new ToolState.Completed(new RawJson("{\"filePath\":\"src/Greeter.java\"}"), "Edited src/Greeter.java",
                "src/Greeter.java", Map.of("diff", DIFF), 1000, 1200, List.of(), Optional.of(new ToolDisplay.FileChange(List.of("src/Greeter.java"), DIFF))));
        List<AttributedString> lines = view.render(edit, 60, false, 0);
        Snapshots.assertMatches("tool-edit-60", lines);
        assertThat(lines.getFirst().toString()).startsWith("✓ edit src/Greeter.java");
        assertThat(lines.stream().map(AttributedString::toString)).anySatisfy(l -> assertThat(l).contains("+").contains("\"hello\""));
    }

    @Test
    void anEditsDiagnosticsShowAsErrorLinesUnderItNotAsTags() {
        String output = "Edited src/app.py\n\n<diagnostics file=\"src/app.py\">\nERROR [3:7] \"undefined_name\" is not defined\n"
                + "ERROR [9:1] Import \"missing\" could not be resolved\n</diagnostics>\n\n<diagnostics file=\"src/other.ts\">\n"
                + "ERROR [1:10] Module \"./app\" has no exported member \"gone\".\n</diagnostics>";
        var edit = tool("edit", new ToolState.Completed(new RawJson("{\"filePath\":\"src/app.py\"}"), output, "src/app.py", Map.of("diff", DIFF),
                1000, 1200, List.of(), Optional.of(new ToolDisplay.FileChange(List.of("src/app.py"), DIFF))));
        List<String> lines = view.render(edit, 80, false, 0).stream().map(AttributedString::toString).toList();
        assertThat(lines).noneMatch(l -> l.contains("diagnostics"));
        assertThat(lines).containsSubsequence("  ✗ src/app.py:3:7 \"undefined_name\" is not defined",
                "  ✗ src/app.py:9:1 Import \"missing\" could not be resolved", "  ✗ src/other.ts:1:10 Module \"./app\" has no exported member \"gone\".");
        // the error lines come after the diff, and with details on the raw output shows no tags either
        assertThat(lines.indexOf("  ✗ src/app.py:3:7 \"undefined_name\" is not defined")).isGreaterThan(lines.indexOf(lines.stream()
                .filter(l -> l.contains("\"hello\"")).findFirst().orElseThrow()));
        var write = tool("write", new ToolState.Completed(new RawJson("{}"), output, "src/app.py", Map.of(), 1, 2, List.of(), Optional.empty()));
        List<String> detailed = view.render(write, 80, true, 0).stream().map(AttributedString::toString).toList();
        assertThat(detailed).noneMatch(l -> l.contains("diagnostics"));
        assertThat(detailed).contains("  Edited src/app.py", "  ✗ src/other.ts:1:10 Module \"./app\" has no exported member \"gone\".");
    }

    @Test
    void aLongReportIsCutWhileDetailsAreOff() {
        String problems = IntStream.rangeClosed(1, 9).mapToObj(i -> "ERROR [" + i + ":1] bad " + i).collect(Collectors.joining("\n"));
        String output = "Wrote a.py\n\n<diagnostics file=\"a.py\">\n" + problems + "\n</diagnostics>";
        var write = tool("write", new ToolState.Completed(new RawJson("{}"), output, "a.py", Map.of(), 1, 2, List.of(), Optional.empty()));
        List<String> lines = view.render(write, 80, false, 0).stream().map(AttributedString::toString).toList();
        assertThat(lines.stream().filter(l -> l.startsWith("  ✗ a.py:"))).hasSize(DiagnosticsView.SHOWN);
        assertThat(lines.getLast()).contains("+4 lines");
        assertThat(view.render(write, 80, true, 0).stream().map(AttributedString::toString).filter(l -> l.startsWith("  ✗ a.py:"))).hasSize(9);
    }

    @Test
    void aCommandThatExitedNonZeroIsAFailureWithItsExitCode() {
        var failed = tool("bash", new ToolState.Completed(new RawJson("{\"command\":\"false\"}"), "boom", "false", Map.of(), 1, 2, List.of(),
                Optional.of(ToolDisplay.CommandRun.exited("false", 2))));
        String head = view.render(failed, 60, false, 0).getFirst().toString();
        assertThat(head).startsWith("✗ bash").contains("exit 2");
        var passed = tool("bash", new ToolState.Completed(new RawJson("{\"command\":\"true\"}"), "", "true", Map.of(), 1, 2, List.of(),
                Optional.of(ToolDisplay.CommandRun.exited("true", 0))));
        assertThat(view.render(passed, 60, false, 0).getFirst().toString()).startsWith("✓ bash").doesNotContain("exit");
        var timedOut = tool("bash", new ToolState.Completed(new RawJson("{\"command\":\"sleep 9\"}"), "", "sleep", Map.of(), 1, 2, List.of(),
                Optional.of(new ToolDisplay.CommandRun("sleep 9", ToolDisplay.CommandRun.Ending.TIMED_OUT, Optional.empty()))));
        assertThat(view.render(timedOut, 60, false, 0).getFirst().toString()).startsWith("✗ bash").contains("timed out");
    }

    @Test
    void aRunningCommandShowsTheTailOfItsOutputAndDetailsShowAll() {
        String output = IntStream.rangeClosed(1, 12).mapToObj(i -> "test " + i + " passed").collect(Collectors.joining("\n"));
        var bash = tool("bash", new ToolState.Running(new RawJson("{\"command\":\"mvn test\"}"), "", 1, output,
                Optional.of(ToolDisplay.CommandRun.running("mvn test"))));
        List<AttributedString> lines = view.render(bash, 50, false, 3);
        Snapshots.assertMatches("tool-bash-running-50", lines);
        assertThat(lines).hasSize(1 + 1 + ToolView.LIVE_LINES);
        assertThat(lines.getLast().toString()).contains("test 12 passed");
        assertThat(view.render(bash, 50, true, 3)).hasSize(1 + 12);
    }

    @Test
    void aFailedCallShowsItsErrorAndAQuietToolStaysOneLine() {
        var failed = tool("bash", new ToolState.Failed(new RawJson("{\"command\":\"rm -rf /\"}"), "rejected by the user: keep it", 1, 2));
        var read = tool("read", new ToolState.Completed(new RawJson("{\"filePath\":\"a.txt\"}"), "1: x\n2: y", "a.txt", Map.of(), 1, 2, List.of(),
                Optional.of(new ToolDisplay.FileRead("a.txt"))));
        var all = new ArrayList<AttributedString>(view.render(failed, 60, false, 0));
        all.addAll(view.render(read, 60, false, 0));
        Snapshots.assertMatches("tool-failed-and-read-60", all);
        assertThat(all.getFirst().toString()).startsWith("✗ bash rm -rf /");
        assertThat(all.get(1).toString()).contains("rejected by the user");
        assertThat(view.render(read, 60, true, 0)).hasSize(3);
    }

    /** A read says how many of the file's lines it showed (not its footer), and its numbered lines keep their columns. */
    @Test
    void aReadCountsTheFilesLinesAndItsDetailsKeepTheirColumns() {
        String output = "     1\tint a;\n     2\t\tb();\n     3\t  \tc();\n\n(End of file: 3 lines.)";
        var read = tool("read", new ToolState.Completed(new RawJson("{\"filePath\":\"a.c\"}"), output, "a.c", Map.of("path", "a.c", "lines", "3"), 1, 2,
                List.of(), Optional.of(new ToolDisplay.FileRead("a.c"))));
        assertThat(view.render(read, 60, false, 0).get(1).toString()).isEqualTo("  3 lines (ctrl+o for details)");
        List<String> details = view.render(read, 60, true, 0).stream().map(AttributedString::toString).toList();
        // the number ends at column 6 and its tab reaches the stop at 8; a tab after two spaces reaches the next stop too
        assertThat(details.get(1)).isEqualTo("       1  int a;");
        assertThat(details.get(2)).isEqualTo("       2      b();");
        assertThat(details.get(3)).isEqualTo("       3      c();");
        assertThat(ToolView.tabs("a\tb\r")).isEqualTo("a   b");
    }

    /** DESIGN §26: a denied call is labelled denied, with the rule and its file, never "rejected by you" nor an error. */
    @Test
    void aDeniedCallSaysByWhichRuleOrThatNobodyCouldAnswer() {
        var byRule = tool("bash", new ToolState.Failed(new RawJson("{\"command\":\"curl http://x\"}"), "Denied by bash: curl * (/repo/lathe.json): …", 1, 2,
                Optional.empty(), Optional.of(dev.lathe.protocol.session.ToolRejection.byRule("bash: curl *", "/repo/lathe.json"))));
        List<AttributedString> lines = view.render(byRule, 80, false, 0);
        assertThat(lines.getFirst().toString()).startsWith("⊘ bash curl http://x");
        assertThat(lines.get(1).toString()).contains("Denied by bash: curl * (/repo/lathe.json)").doesNotContain("Rejected by you");
        var nobody = tool("bash", new ToolState.Failed(new RawJson("{\"command\":\"ls\"}"), "Denied: no one can answer …", 1, 2,
                Optional.empty(), Optional.of(dev.lathe.protocol.session.ToolRejection.unattended())));
        assertThat(view.render(nobody, 80, false, 0).get(1).toString()).contains("Denied: nobody could answer its ask (permission.unattended)");
    }

    @Test
    void aTaskIsOneLineWithItsSubagentAndDescriptionAndShowsOnlyTheReport() {
        String input = "{\"description\":\"Review the tree\",\"prompt\":\"Review the working tree and report\",\"agent\":\"reviewer\"}";
        var started = new ToolDisplay.SubagentRun("reviewer", "Review the tree", ToolDisplay.SubagentRun.Continuation.NEW_TASK, "");
        var running = tool("task", new ToolState.Running(new RawJson(input), "Review the tree", 1, "", Optional.of(started)));
        var done = tool("task", new ToolState.Completed(new RawJson(input), "taskId: ses_child (to continue this task later, pass it as taskId)\n\n"
                + "<task_result>\nREVIEW-OK: nothing to fix.\n</task_result>", "Review the tree", Map.of("sessionId", "ses_child", "agent", "reviewer"),
                1000, 3500, List.of(), Optional.of(new ToolDisplay.SubagentRun("reviewer", "Review the tree",
                        ToolDisplay.SubagentRun.Continuation.NEW_TASK, "REVIEW-OK: nothing to fix."))));
        var failed = tool("task", new ToolState.Failed(new RawJson(input.replace("}", ",\"taskId\":\"ses_child\"}")),
                "The task was aborted with this turn before the reviewer agent finished (taskId: ses_child).", 1, 2,
                Optional.of(new ToolDisplay.SubagentRun("reviewer", "Review the tree", ToolDisplay.SubagentRun.Continuation.CONTINUED, ""))));
        var all = new ArrayList<AttributedString>(view.render(running, 60, false, 2));
        all.addAll(view.render(done, 60, false, 0));
        all.addAll(view.render(failed, 60, false, 0));
        Snapshots.assertMatches("tool-task-60", all);
        assertThat(all.getFirst().toString()).endsWith("task @reviewer Review the tree");
        assertThat(all.get(1).toString()).isEqualTo("✓ task @reviewer Review the tree · 2.5s");
        assertThat(all.get(2).toString()).isEqualTo("  REVIEW-OK: nothing to fix.");
        assertThat(all.get(3).toString()).isEqualTo("✗ task @reviewer Review the tree (continued)");
        assertThat(all.get(4).toString()).contains("aborted");
    }

    /** A subagent that kept a worktree of its own: its line names the branch, as a session's line names its worktree. */
    @Test
    void aTaskThatKeptAWorktreeOfItsOwnNamesItsBranch() {
        String input = "{\"description\":\"Write the changelog\",\"prompt\":\"Write CHANGES.md\",\"agent\":\"general\",\"isolation\":\"worktree\"}";
        var done = tool("task", new ToolState.Completed(new RawJson(input), "taskId: ses_child\n\n<task_result>\nDone.\n</task_result>", "Write the changelog",
                Map.of("sessionId", "ses_child", "agent", "general", "branch", "lathe/general-ab12cd"), 1000, 3500, List.of(),
                Optional.of(new ToolDisplay.SubagentRun("general", "Write the changelog", ToolDisplay.SubagentRun.Continuation.NEW_TASK, "Done."))));

        assertThat(view.render(done, 80, false, 0).getFirst().toString())
                .isEqualTo("✓ task @general Write the changelog · on branch lathe/general-ab12cd · 2.5s");
    }

    @Test
    void aToolTheClientDoesNotKnowIsShownFromItsDisplayAsABuiltInIs() {
        var change = Optional.<ToolDisplay>of(new ToolDisplay.FileChange(List.of("src/Greeter.java"), DIFF));
        var stamp = tool("stamp", new ToolState.Completed(new RawJson("{\"target\":\"src/Greeter.java\"}"), "Stamped src/Greeter.java",
                "src/Greeter.java", Map.of(), 1000, 1200, List.of(), change));
        var edit = tool("edit", new ToolState.Completed(new RawJson("{\"path\":\"src/Greeter.java\"}"), "Edited src/Greeter.java",
                "src/Greeter.java", Map.of(), 1000, 1200, List.of(), change));
        List<String> stampLines = view.render(stamp, 60, false, 0).stream().map(AttributedString::toString).toList();
        List<String> editLines = view.render(edit, 60, false, 0).stream().map(AttributedString::toString).toList();
        assertThat(stampLines.getFirst()).isEqualTo("✓ stamp src/Greeter.java");
        assertThat(stampLines.subList(1, stampLines.size())).isEqualTo(editLines.subList(1, editLines.size()))
                .anySatisfy(l -> assertThat(l).contains("+").contains("\"hello\""));
        // without a display record it would be a line count, not a diff
        var bare = tool("stamp", new ToolState.Completed(stamp.state().input(), "Stamped", "src/Greeter.java", Map.of(), 1, 2));
        assertThat(view.render(bare, 60, false, 0).get(1).toString()).contains("1 line (ctrl+o for details)");
    }

    @Test
    void neverWiderThanTheWidth() {
        var edit = tool("edit", new ToolState.Completed(new RawJson("{\"filePath\":\"" + "very/long/path/".repeat(10) + "X.java\"}"), "ok",
                "very/long/path/".repeat(10) + "X.java", Map.of("diff", DIFF), 1, 2, List.of(),
                Optional.of(new ToolDisplay.FileChange(List.of("very/long/path/".repeat(10) + "X.java"), DIFF))));
        for (int w : new int[] {20, 33, 80}) {
            assertThat(view.render(edit, w, true, 0)).allSatisfy(l -> assertThat(l.columnLength()).isLessThanOrEqualTo(w));
        }
    }
}
