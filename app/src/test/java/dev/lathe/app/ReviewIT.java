package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code lathe review} on real git repositories with the fake model (DESIGN §18 "Review"): the diff the model is sent,
 * the report printed as JSON or text, the read-only agent, the project's prompt, and what it refuses.
 */
class ReviewIT {
    @TempDir Path home;

    private static final String REPORT = """
            {"findings":[\
            {"priority":2,"file":"greet.py","line":2,"title":"Greeting changed","body":"Callers expect Hello."},\
            {"priority":0,"file":"extra.py","line":1,"endLine":2,"title":"Crash on import","body":"x is undefined."}],\
            "summary":"Changes the greeting and adds extra.py."}""";

    /** The project of RunIT with greet.py changed and extra.py new, neither committed. */
    private static TempWorkspace changed() {
        var ws = RunIT.project();
        ws.write("greet.py", "def greet(name):\n    return \"Hi, \" + name + \"!\"\n");
        ws.write("extra.py", "print(x)\n");
        return ws;
    }

    /** One review's model: a report_findings call, then the short answer that ends the turn. */
    private static void reports(FakeLlm llm, String report) {
        llm.enqueue(Turn.of(Step.toolCall("call_report", "report_findings", report)));
        llm.enqueue(Turn.of(Step.text("Reported.")));
    }

    private Lathe lathe(FakeLlm llm) {
        return new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), RunIT.KEY));
    }

    @Test
    void reportFindingsGivesOneWellFormedJsonObjectAndTheModelSawTheUncommittedDiff() throws Exception {
        try (var llm = FakeLlm.start(); var ws = changed()) {
            llm.enqueue(Turn.of(Step.toolCall("call_read", "read", "{\"path\":\"greet.py\"}")));
            llm.enqueue(Turn.of(Step.toolCall("call_report", "report_findings", REPORT)));
            llm.enqueue(Turn.of(Step.text("Reported two findings.")));
            String status = ws.git("status", "--porcelain");

            var r = lathe(llm).run("review", "--dir", ws.path().toString(), "--format", "json");

            assertThat(r.exit()).as(r.stderr()).isZero();
            JsonNode report = RunIT.JSON.readTree(r.stdout());
            assertThat(r.stdout().strip().lines()).hasSize(1);
            assertThat(report.path("summary").asString()).isEqualTo("Changes the greeting and adds extra.py.");
            assertThat(report.path("findings")).hasSize(2);
            JsonNode first = report.path("findings").path(0);
            assertThat(first.path("priority").asInt()).isZero();
            assertThat(first.path("file").asString()).isEqualTo("extra.py");
            assertThat(first.path("line").asInt()).isEqualTo(1);
            assertThat(first.path("endLine").asInt()).isEqualTo(2);
            assertThat(first.path("title").asString()).isEqualTo("Crash on import");
            assertThat(first.path("body").asString()).isEqualTo("x is undefined.");
            assertThat(report.path("findings").path(1).path("endLine").asInt()).isEqualTo(2);
            // the cost line of any run, on stderr
            assertThat(r.stderr()).contains("tokens").contains("session ses_");

            var asked = llm.requests().getFirst();
            assertThat(asked.system()).contains("review mode");
            assertThat(asked.toolNames()).contains("report_findings", "read", "bash").doesNotContain("write", "edit", "apply_patch", "task");
            assertThat(asked.lastUserText()).contains("-    return \"Hello, \" + name + \"!\"").contains("+    return \"Hi, \" + name + \"!\"")
                    .contains("+print(x)").contains("extra.py (untracked)").contains("careful senior engineer");
            assertThat(ws.git("status", "--porcelain")).isEqualTo(status);

            // listed like any session, as a session of the review agent
            JsonNode sessions = RunIT.JSON.readTree(lathe(llm).run("sessions", "--dir", ws.path().toString(), "--format", "json").stdout());
            assertThat(sessions).hasSize(1);
            assertThat(sessions.path(0).path("agent").asString()).isEqualTo("review");
        }
    }

    @Test
    void aFinalAnswerThatIsTheJsonObjectIsTheReportAndTextFormatReadsWell() throws Exception {
        try (var llm = FakeLlm.start(); var ws = changed()) {
            llm.enqueue(Turn.of(Step.text("```json\n" + REPORT + "\n```")));

            var r = lathe(llm).run("review", "--dir", ws.path().toString(), "--focus", "error handling");

            assertThat(r.exit()).as(r.stderr()).isZero();
            assertThat(r.stdout()).contains("[P0] Crash on import\n    extra.py:1-2\n    x is undefined.")
                    .contains("[P2] Greeting changed\n    greet.py:2\n").contains("Changes the greeting and adds extra.py.")
                    .contains("2 findings (1 P0, 1 P2).");
            assertThat(r.stdout().indexOf("[P0]")).isLessThan(r.stdout().indexOf("[P2]"));
            assertThat(llm.requests().getFirst().lastUserText()).contains("focus on: error handling");
        }
    }

    @Test
    void writesAndRmAreRefusedAndTheTreeStaysAsItWas() throws Exception {
        try (var llm = FakeLlm.start(); var ws = changed()) {
            String status = ws.git("status", "--porcelain");
            String greet = ws.read("greet.py");
            // write is not offered at all: the call fails, the model goes on and reports
            llm.enqueue(Turn.of(Step.toolCall("call_write", "write", "{\"path\":\"pwned.txt\",\"content\":\"x\"}")));
            reports(llm, REPORT);
            var write = lathe(llm).run("review", "--dir", ws.path().toString(), "--format", "json");
            // bash is, under plan's rules: a command that changes files is denied; the model reads the denial and goes on to
            // report (DESIGN §26), and the run names the denied call
            llm.enqueue(Turn.of(Step.toolCall("call_rm", "bash", "{\"command\":\"rm greet.py\"}")));
            reports(llm, REPORT);
            var rm = lathe(llm).run("review", "--dir", ws.path().toString(), "--format", "json");
            llm.enqueue(Turn.of(Step.toolCall("call_redirect", "bash", "{\"command\":\"cat greet.py > copy.py\"}")));
            reports(llm, REPORT);
            var redirect = lathe(llm).run("review", "--dir", ws.path().toString());

            assertThat(write.exit()).as(write.stderr()).isZero();
            assertThat(RunIT.JSON.readTree(write.stdout()).path("findings")).hasSize(2);
            assertThat(llm.requests().get(1).toolResult("call_write")).hasValueSatisfying(t -> assertThat(t).contains("Unknown tool"));
            for (var r : java.util.List.of(rm, redirect)) {
                assertThat(r.exit()).as(r.stderr()).isZero();
                assertThat(r.stderr()).contains("lathe: denied: bash ").doesNotContain("Exception");
            }
            assertThat(rm.stderr()).contains("lathe: denied: bash rm greet.py by bash: ");
            assertThat(RunIT.JSON.readTree(rm.stdout()).path("findings")).hasSize(2);
            assertThat(llm.requests().get(4).toolResult("call_rm")).hasValueSatisfying(t -> assertThat(t).startsWith("Error: Denied by bash: "));
            assertThat(Files.exists(ws.resolve("pwned.txt"))).isFalse();
            assertThat(Files.exists(ws.resolve("copy.py"))).isFalse();
            assertThat(ws.read("greet.py")).isEqualTo(greet);
            assertThat(ws.git("status", "--porcelain")).isEqualTo(status);
        }
    }

    @Test
    void baseAndCommitPickTheirDiffAndABadRefIsAClearError() throws Exception {
        try (var llm = FakeLlm.start(); var ws = RunIT.project()) {
            ws.git("checkout", "-q", "-b", "feature");
            ws.write("feature.py", "FEATURE_LINE = 1\n");
            ws.git("add", "-A");
            ws.git("commit", "-q", "-m", "add the feature");
            ws.write("later.py", "LATER_LINE = 2\n");
            ws.git("add", "-A");
            ws.git("commit", "-q", "-m", "a later commit");
            ws.git("checkout", "-q", "main");
            ws.write("main_only.py", "MAIN_ONLY_LINE = 3\n");
            ws.git("add", "-A");
            ws.git("commit", "-q", "-m", "main moves on");
            ws.git("checkout", "-q", "feature");
            for (int i = 0; i < 2; i++) reports(llm, "{\"findings\":[],\"summary\":\"fine\"}");

            var base = lathe(llm).run("review", "--dir", ws.path().toString(), "--base", "main");
            var commit = lathe(llm).run("review", "--dir", ws.path().toString(), "--commit", "HEAD~1");

            assertThat(base.exit()).as(base.stderr()).isZero();
            assertThat(base.stdout()).contains("fine").contains("No findings.");
            assertThat(llm.requests().getFirst().lastUserText()).contains("+FEATURE_LINE = 1").contains("+LATER_LINE = 2").doesNotContain("MAIN_ONLY_LINE");
            assertThat(commit.exit()).as(commit.stderr()).isZero();
            String sent = llm.requests().get(2).lastUserText();
            assertThat(sent).contains("+FEATURE_LINE = 1").contains("add the feature").doesNotContain("LATER_LINE").doesNotContain("MAIN_ONLY_LINE");

            int before = llm.requests().size();
            var bad = lathe(llm).run("review", "--dir", ws.path().toString(), "--base", "no-such-branch");
            assertThat(bad.exit()).isEqualTo(2);
            assertThat(bad.stderr()).contains("unknown revision 'no-such-branch'").doesNotContain("Exception").doesNotContain("\tat ");
            var option = lathe(llm).run("review", "--dir", ws.path().toString(), "--commit", "--output=/tmp/x");
            assertThat(option.exit()).isEqualTo(2);
            assertThat(llm.requests()).hasSize(before);
            // refused before the model was asked: no empty review session is left listed
            JsonNode sessions = RunIT.JSON.readTree(lathe(llm).run("sessions", "--dir", ws.path().toString(), "--format", "json").stdout());
            assertThat(sessions).hasSize(2);
        }
    }

    @Test
    void notARepositoryAndNothingToReviewAreClearErrors() throws Exception {
        try (var llm = FakeLlm.start(); var plain = TempWorkspace.create(); var clean = RunIT.project()) {
            plain.write("a.txt", "a\n");
            var notRepo = lathe(llm).run("review", "--dir", plain.path().toString());
            assertThat(notRepo.exit()).isEqualTo(2);
            assertThat(notRepo.stderr()).contains("not a git repository").doesNotContain("Exception");
            var nothing = lathe(llm).run("review", "--dir", clean.path().toString());
            assertThat(nothing.exit()).isEqualTo(2);
            assertThat(nothing.stderr()).contains("nothing to review");
            assertThat(llm.requests()).isEmpty();
        }
    }

    @Test
    void theProjectsReviewPromptReplacesTheBuiltInOneButNotThroughALinkOutOfTheProject() throws Exception {
        try (var llm = FakeLlm.start(); var ws = changed(); var outside = TempWorkspace.create()) {
            ws.write(".lathe/review.md", "Only look for TODO comments. CUSTOM-REVIEW-MARKER\n");
            reports(llm, "{\"findings\":[],\"summary\":\"fine\"}");

            var own = lathe(llm).run("review", "--dir", ws.path().toString());

            assertThat(own.exit()).as(own.stderr()).isZero();
            assertThat(llm.requests().getFirst().lastUserText()).contains("CUSTOM-REVIEW-MARKER").doesNotContain("careful senior engineer");

            outside.write("secret.md", "OUTSIDE-SECRET\n");
            Files.delete(ws.resolve(".lathe/review.md"));
            Files.createSymbolicLink(ws.resolve(".lathe/review.md"), outside.resolve("secret.md"));
            var linked = lathe(llm).run("review", "--dir", ws.path().toString());
            assertThat(linked.exit()).isEqualTo(2);
            assertThat(linked.stderr()).contains(".lathe/review.md cannot be used").doesNotContain("OUTSIDE-SECRET");
            assertThat(llm.requests()).hasSize(2);
        }
    }

    @Test
    void escapeSequencesInFindingsNeverReachTheTerminalAndPathsOutsideTheRepositoryAreDropped() throws Exception {
        try (var llm = FakeLlm.start(); var ws = changed()) {
            ws.write("evil.py", "# \u001b]0;owned\u0007 \u001b[2J\n");
            String hostile = """
                    {"findings":[\
                    {"priority":1,"file":"/etc/passwd","line":1,"title":"Title \\u001b]0;owned\\u0007","body":"Body \\u001b[2J\\u009b31m"},\
                    {"priority":3,"file":"../../outside.py","line":4,"title":"Up","body":"b"},\
                    {"priority":2,"file":"%s","line":3,"title":"Absolute inside","body":"b"}],\
                    "summary":"\\u001b]52;c;Zm9v\\u0007 summary"}""".formatted(ws.resolve("greet.py").toString());
            reports(llm, hostile);
            reports(llm, hostile);

            var text = lathe(llm).run("review", "--dir", ws.path().toString());
            var json = lathe(llm).run("review", "--dir", ws.path().toString(), "--format", "json");

            assertThat(text.exit()).as(text.stderr()).isZero();
            assertThat(text.stdout() + text.stderr()).doesNotContain("\u001b").doesNotContain("\u009b").doesNotContain("\u0007");
            assertThat(text.stdout()).contains("Title ").contains("greet.py:3").doesNotContain("/etc/passwd:");
            assertThat(json.stdout()).doesNotContain("\u001b").doesNotContain("\u0007");
            JsonNode findings = RunIT.JSON.readTree(json.stdout()).path("findings");
            assertThat(findings.path(0).path("file").asString()).isEmpty();
            assertThat(findings.path(0).path("line").isNull()).isTrue();
            assertThat(findings.path(0).path("title").asString()).contains("\u001b]0;owned");
            assertThat(findings.path(0).path("body").asString()).contains("outside the repository: /etc/passwd");
            assertThat(findings.path(1).path("file").asString()).isEqualTo("greet.py");
            assertThat(findings.path(2).path("file").asString()).isEmpty();
        }
    }
}
