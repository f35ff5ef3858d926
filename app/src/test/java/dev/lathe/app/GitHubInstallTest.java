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
        // nothing at the top; a job's own permissions are its least, and the job that runs the model can write nothing
        assertThat((Map<String, Object>) workflow.get("permissions")).isEmpty();
        Map<String, Object> jobs = (Map<String, Object>) workflow.get("jobs");
        assertThat(jobs).containsOnlyKeys("gate", "agent", "publish");
        Map<String, Object> gate = (Map<String, Object>) jobs.get("gate");
        Map<String, Object> agent = (Map<String, Object>) jobs.get("agent");
        Map<String, Object> publish = (Map<String, Object>) jobs.get("publish");
        assertThat((String) gate.get("if")).contains("contains(github.event.comment.body, '/lathe')");
        assertThat((Map<String, Object>) gate.get("permissions")).isEqualTo(Map.of("contents", "read", "issues", "write", "pull-requests", "write"));
        assertThat((Map<String, Object>) agent.get("permissions")).isEqualTo(Map.of("contents", "read"));
        assertThat((Map<String, Object>) publish.get("permissions")).isEqualTo(Map.of("contents", "write", "issues", "write", "pull-requests", "write"));
        for (Map<String, Object> job : List.of(gate, agent, publish)) {
            List<Map<String, Object>> steps = (List<Map<String, Object>>) job.get("steps");
            Map<String, Object> checkout = steps.get(0);
            assertThat((String) checkout.get("uses")).startsWith("actions/checkout@");
            assertThat((Map<String, Object>) checkout.get("with")).containsEntry("persist-credentials", false);
            Map<String, Object> java = steps.get(1);
            assertThat((String) java.get("uses")).startsWith("actions/setup-java@");
            assertThat((Map<String, Object>) java.get("with")).containsEntry("java-version", "25");
            assertThat(steps).anySatisfy(s -> assertThat((Map<String, Object>) s.get("env")).containsEntry("LATHE_REF", "v0.1.0"));
        }
        List<Map<String, Object>> agentSteps = (List<Map<String, Object>>) agent.get("steps");
        Map<String, Object> run = agentSteps.stream().filter(s -> String.valueOf(s.get("run")).contains("github run")).findFirst().orElseThrow();
        assertThat(String.valueOf(run.get("run"))).contains("--phase agent").contains("--key-file");
        // the step that runs the model holds neither the token nor the key in its environment
        assertThat(String.valueOf(run.get("env"))).doesNotContain("secrets.").doesNotContain("GITHUB_TOKEN").doesNotContain("github.token");
        assertThat(agentSteps).anySatisfy(s -> assertThat(String.valueOf(s.get("uses"))).startsWith("actions/upload-artifact@"));
        // only the step before it has the key (to write the file), and the steps after it none
        int runAt = agentSteps.indexOf(run);
        for (int i = 0; i < agentSteps.size(); i++) {
            String env = String.valueOf(agentSteps.get(i).get("env")) + agentSteps.get(i).get("with");
            if (i != runAt - 1) assertThat(env).as("step %d", i).doesNotContain("secrets.");
        }
        assertThat(String.valueOf(agentSteps.get(runAt - 1).get("env"))).contains("${{ secrets.ANTHROPIC_API_KEY }}");
        for (Map<String, Object> job : List.of(gate, publish)) {
            List<Map<String, Object>> steps = (List<Map<String, Object>>) job.get("steps");
            Map<String, Object> lathe = steps.getLast();
            assertThat((Map<String, Object>) lathe.get("env")).containsEntry("GITHUB_TOKEN", "${{ secrets.GITHUB_TOKEN }}");
            assertThat(String.valueOf(lathe.get("env"))).doesNotContain("ANTHROPIC_API_KEY");
        }
        assertThat((List<String>) publish.get("needs")).containsExactly("gate", "agent");
        assertThat(String.valueOf(agent.get("needs"))).isEqualTo("gate");

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
        assertThat(r.out()).contains("contains(github.event.comment.body, '/bot')").contains("KEY: ${{ secrets.OPENAI_API_KEY }}")
                .contains("--key-variable OPENAI_API_KEY");
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
