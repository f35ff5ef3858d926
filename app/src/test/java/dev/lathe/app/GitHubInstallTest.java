package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/**
 * {@code lathe github install} (DESIGN §18 "GitHub"): the workflow it writes parses as YAML and has the keys a run
 * needs (the events, the least permissions, a checkout without persisted credentials, JDK 25, the run, the artifact);
 * {@code --dry-run} prints it and writes nothing; an existing workflow is never overwritten.
 */
class GitHubInstallTest {
    @TempDir Path dir;

    record Ran(int exit, String out, String err) {}

    private Ran install(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int exit = new CommandLine(new GitHubCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .setExecutionExceptionHandler((e, cl, parsed) -> {
                    if (e instanceof UsageError u) {
                        cl.getErr().println("lathe: " + u.getMessage());
                        return 2;
                    }
                    throw e;
                }).execute(args);
        return new Ran(exit, out.toString(), err.toString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theWorkflowParsesAndHoldsTheEventsTheLeastPermissionsAndTheRun() throws Exception {
        Files.createDirectories(dir.resolve(".git"));
        var r = install("install", "--dir", dir.toString(), "--lathe-repository", "https://example.org/lathe.git", "--lathe-ref", "v0.1.0");

        assertThat(r.exit()).as(r.err()).isZero();
        Path file = dir.resolve(".github/workflows/lathe.yml");
        assertThat(r.out()).contains("wrote " + file).contains("secret   ANTHROPIC_API_KEY").doesNotContain("LATHE_REPOSITORY:");
        Map<String, Object> workflow = new Yaml().load(Files.readString(file));
        // YAML 1.1 reads the key `on` as true
        Map<String, Object> on = (Map<String, Object>) (workflow.containsKey("on") ? workflow.get("on") : workflow.get(true));
        assertThat(on).containsKeys("issue_comment", "pull_request_review_comment", "issues", "pull_request", "workflow_dispatch");
        assertThat((Map<String, Object>) workflow.get("permissions"))
                .isEqualTo(Map.of("contents", "write", "issues", "write", "pull-requests", "write"));
        Map<String, Object> job = (Map<String, Object>) ((Map<String, Object>) workflow.get("jobs")).get("lathe");
        assertThat((String) job.get("if")).contains("contains(github.event.comment.body, '/lathe')");
        List<Map<String, Object>> steps = (List<Map<String, Object>>) job.get("steps");
        Map<String, Object> checkout = steps.get(0);
        assertThat((String) checkout.get("uses")).startsWith("actions/checkout@");
        assertThat((Map<String, Object>) checkout.get("with")).containsEntry("persist-credentials", false).containsEntry("fetch-depth", 0);
        Map<String, Object> java = steps.get(1);
        assertThat((String) java.get("uses")).startsWith("actions/setup-java@");
        assertThat((Map<String, Object>) java.get("with")).containsEntry("java-version", "25");
        assertThat(steps).anySatisfy(s -> assertThat((Map<String, Object>) s.get("env")).containsEntry("LATHE_REF", "v0.1.0"));
        Map<String, Object> run = steps.stream().filter(s -> String.valueOf(s.get("run")).contains("github run")).findFirst().orElseThrow();
        assertThat((Map<String, Object>) run.get("env")).containsEntry("GITHUB_TOKEN", "${{ secrets.GITHUB_TOKEN }}")
                .containsEntry("ANTHROPIC_API_KEY", "${{ secrets.ANTHROPIC_API_KEY }}");
        assertThat(steps).anySatisfy(s -> assertThat(String.valueOf(s.get("uses"))).startsWith("actions/upload-artifact@"));

        // run again: the workflow the user may have edited is kept
        var again = install("install", "--dir", dir.toString());
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err()).contains("exists");
    }

    @Test
    void dryRunPrintsTheWorkflowAloneOnStdoutAndWritesNothing() {
        var r = install("install", "--dir", dir.toString(), "--dry-run", "--trigger", "/bot", "--key-variable", "OPENAI_API_KEY");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(new Yaml().<Map<String, Object>>load(r.out())).containsKeys("name", "permissions", "jobs");
        assertThat(r.out()).contains("contains(github.event.comment.body, '/bot')").contains("OPENAI_API_KEY: ${{ secrets.OPENAI_API_KEY }}");
        assertThat(r.err()).contains("secret   OPENAI_API_KEY").contains("variable LATHE_REPOSITORY").contains("variable LATHE_REF");
        assertThat(dir.resolve(".github")).doesNotExist();
    }

    @Test
    void aTriggerThatWouldBreakOutOfTheExpressionIsRefused() {
        var r = install("install", "--dir", dir.toString(), "--dry-run", "--trigger", "x') || true || ('");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("a trigger is one word");
        assertThat(r.out()).isEmpty();
    }
}
