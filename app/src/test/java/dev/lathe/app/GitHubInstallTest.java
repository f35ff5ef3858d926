package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.run.github.WorkflowFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code lathe github install} (DESIGN §18 "GitHub", §25): the workflow it writes parses as YAML and has the keys a run
 * needs (the events, the least permissions, a checkout without persisted credentials, Lathe's Action with each job's
 * phase, the artifact) and nothing that builds Lathe; {@code --dry-run} prints it and writes nothing; an existing
 * workflow is never overwritten; a development build names no release by itself.
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
        var r = install("install", "--dir", dir.toString(), "--lathe-version", "v1.2.3");

        assertThat(r.exit()).as(r.err()).isZero();
        Path file = dir.resolve(".github/workflows/lathe.yml");
        assertThat(r.out()).contains("wrote " + file).contains("secret   ANTHROPIC_API_KEY").doesNotContain("LATHE_");
        Map<String, Object> workflow = WorkflowLint.parse(Files.readString(file));
        Map<String, Object> on = (Map<String, Object>) workflow.get("on");
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
        assertThat((Map<String, Object>) gate.get("outputs")).containsEntry("handoff", "${{ steps.gate.outputs.handoff }}");
        for (Map<String, Object> job : List.of(gate, agent, publish)) {
            List<Map<String, Object>> steps = (List<Map<String, Object>>) job.get("steps");
            Map<String, Object> checkout = steps.get(0);
            assertThat((String) checkout.get("uses")).startsWith("actions/checkout@");
            assertThat((Map<String, Object>) checkout.get("with")).containsEntry("persist-credentials", false);
        }
        List<Map<String, Object>> agentSteps = (List<Map<String, Object>>) agent.get("steps");
        Map<String, Object> run = lathe(agentSteps);
        assertThat((Map<String, Object>) run.get("with")).containsEntry("phase", "agent").containsEntry("key-file", "${{ runner.temp }}/lathe-key")
                .containsEntry("key-variable", "ANTHROPIC_API_KEY");
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
            assertThat(lathe).isSameAs(lathe(steps));
            assertThat((Map<String, Object>) lathe.get("env")).containsEntry("GITHUB_TOKEN", "${{ secrets.GITHUB_TOKEN }}");
            assertThat(String.valueOf(lathe.get("env"))).doesNotContain("ANTHROPIC_API_KEY");
        }
        assertThat((List<String>) publish.get("needs")).containsExactly("gate", "agent");
        assertThat(String.valueOf(agent.get("needs"))).isEqualTo("gate");

        // run again: the workflow the user may have edited is kept
        var again = install("install", "--dir", dir.toString(), "--lathe-version", "1.2.4");
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err()).contains("exists");
    }

    /** The one step of a job that uses Lathe's Action. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> lathe(List<Map<String, Object>> steps) {
        var uses = steps.stream().filter(s -> String.valueOf(s.get("uses")).startsWith(WorkflowFile.ACTION + "@")).toList();
        assertThat(uses).hasSize(1);
        return uses.getFirst();
    }

    @Test
    @SuppressWarnings("unchecked")
    void eachJobInstallsTheReleaseWithTheActionAndBuildsNothing() {
        var r = install("install", "--dir", dir.toString(), "--dry-run", "--lathe-version", "2.0.1");

        assertThat(r.exit()).as(r.err()).isZero();
        String text = r.out();
        // no JDK, no clone of Lathe, no Maven: the release is installed by the Action
        assertThat(text).doesNotContain("setup-java").doesNotContain("mvnw").doesNotContain("mvn ").doesNotContain("git clone")
                .doesNotContain("lathe-src").doesNotContain("LATHE_REPOSITORY");
        Map<String, Object> jobs = (Map<String, Object>) WorkflowLint.parse(text).get("jobs");
        for (String phase : List.of("gate", "agent", "publish")) {
            List<Map<String, Object>> steps = (List<Map<String, Object>>) ((Map<String, Object>) jobs.get(phase)).get("steps");
            Map<String, Object> lathe = lathe(steps);
            assertThat((String) lathe.get("uses")).isEqualTo("lathe-agent/lathe@v2.0.1");
            assertThat((Map<String, Object>) lathe.get("with")).containsEntry("phase", phase).containsEntry("version", "2.0.1");
            assertThat(steps).noneSatisfy(s -> assertThat(String.valueOf(s.get("run"))).contains("lathe "));
        }
        // what a linter checks: every other action pinned to a full commit, each job its permissions, nothing spliced into run:
        assertThat(WorkflowLint.workflow(text, uses -> uses.equals("lathe-agent/lathe@v2.0.1"))).isEmpty();
    }

    @Test
    void aDevelopmentBuildNeedsAReleaseNamedAndAVersionThatIsNoneIsRefused() {
        // the build under test is 0.1.0-SNAPSHOT (or "dev" without its properties): no release of it exists
        var r = install("install", "--dir", dir.toString(), "--dry-run");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("is a development build with no release to install").contains("--lathe-version");
        assertThat(r.out()).isEmpty();

        var snapshot = install("install", "--dir", dir.toString(), "--dry-run", "--lathe-version", "1.0.0-SNAPSHOT");
        assertThat(snapshot.exit()).isEqualTo(2);
        assertThat(snapshot.err()).contains("needs a released Lathe version like 1.2.3, not 1.0.0-SNAPSHOT");

        var injected = install("install", "--dir", dir.toString(), "--dry-run", "--lathe-version", "1.2.3\n    run: curl evil");
        assertThat(injected.exit()).isEqualTo(2);
        assertThat(injected.out()).isEmpty();
    }

    @Test
    void dryRunPrintsTheWorkflowAloneOnStdoutAndWritesNothing() {
        var r = install("install", "--dir", dir.toString(), "--dry-run", "--trigger", "/bot", "--key-variable", "OPENAI_API_KEY",
                "--lathe-version", "1.2.3");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(WorkflowLint.parse(r.out())).containsKeys("name", "permissions", "jobs");
        assertThat(r.out()).contains("contains(github.event.comment.body, '/bot')").contains("KEY: ${{ secrets.OPENAI_API_KEY }}")
                .contains("key-variable: OPENAI_API_KEY");
        assertThat(r.err()).contains("secret   OPENAI_API_KEY").contains("Workflow permissions");
        assertThat(dir.resolve(".github")).doesNotExist();
    }

    @Test
    void aTriggerThatWouldBreakOutOfTheExpressionIsRefused() {
        var r = install("install", "--dir", dir.toString(), "--dry-run", "--trigger", "x') || true || ('", "--lathe-version", "1.2.3");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("a trigger is one word");
        assertThat(r.out()).isEmpty();
    }
}
