package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Agents from the command line, on the packaged jar: {@code lathe run --agent}, and the rules {@code lathe debug permission} shows. */
class AgentsIT {
    @TempDir Path home;

    @Test
    void runWithThePlanAgentLooksButChangesNothingAndContinuingWithBuildSwitchesBack() throws Exception {
        try (var llm = FakeLlm.start(); var ws = RunIT.project()) {
            llm.enqueue(Turn.of(Step.toolCall("call_ls", "bash", "{\"command\":\"ls\"}")));
            llm.enqueue(Turn.of(Step.toolCall("call_edit", "edit", "{\"path\":\"greet.py\",\"oldString\":\"\\\"Hello, \\\"\",\"newString\":\"\\\"Hi, \\\"\"}")));
            llm.enqueue(Turn.of(Step.text("The plan: say Hi in greet.py.")));
            llm.enqueue(Turn.of(Step.text("Switched back.")));
            var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), RunIT.KEY));
            String original = ws.read("greet.py");

            // no --allow-all: ls runs because plan allows it, not because an ask was answered
            var plan = lathe.run("run", "--dir", ws.path().toString(), "--agent", "plan", "Plan how to say Hi instead");

            // plan's rules deny edits outright: the file tools are not offered (issue 82, as OpenCode hides them); a model that
            // calls one anyway reads that it has no such tool and finishes its plan
            assertThat(plan.exit()).as(plan.stderr()).isZero();
            assertThat(plan.stdout()).contains("The plan: say Hi in greet.py.");
            assertThat(llm.requests().getFirst().toolNames()).contains("read", "bash").doesNotContain("edit", "write", "apply_patch");
            assertThat(ws.read("greet.py")).isEqualTo(original);
            assertThat(llm.requests()).hasSize(3);
            assertThat(llm.requests().get(2).toolResult("call_edit")).hasValueSatisfying(t -> assertThat(t).contains("Unknown tool 'edit'"));
            assertThat(llm.requests().getFirst().system()).contains("You are Lathe in plan mode");
            assertThat(llm.requests().get(1).toolResult("call_ls")).hasValueSatisfying(t -> assertThat(t).contains("greet.py"));

            var build = lathe.run("run", "--dir", ws.path().toString(), "--continue", "--agent", "build", "--allow-all", "thanks");
            assertThat(build.exit()).as(build.stderr()).isZero();
            assertThat(llm.requests().getLast().system()).doesNotContain("plan mode");
            var sessions = lathe.run("sessions", "--dir", ws.path().toString(), "--format", "json");
            JsonNode listed = RunIT.JSON.readTree(sessions.stdout());
            assertThat(listed.size()).isEqualTo(1);
            assertThat(listed.path(0).path("agent").asString()).isEqualTo("build");

            var subagent = lathe.run("run", "--dir", ws.path().toString(), "--agent", "explore", "look");
            assertThat(subagent.exit()).isEqualTo(2);
            assertThat(subagent.stderr()).contains("subagent").contains("build, plan");
            assertThat(llm.requests()).hasSize(4);
        }
    }

    @Test
    void debugPermissionShowsTheRulesOfAnAgentFromAFile() throws Exception {
        Path project = Files.createDirectories(home.resolve("project"));
        Files.createDirectories(project.resolve(".claude/agents"));
        Files.writeString(project.resolve(".claude/agents/planner.md"), """
                ---
                name: planner
                description: Plans changes
                tools: Read, Grep, Glob, Bash
                permissionMode: plan
                ---
                You plan.
                """);
        var lathe = new Lathe(home, "{\"permission\": {\"bash\": {\"rm *\": \"allow\"}, \"edit\": \"allow\"}}");
        String input = "{\"tool\":\"bash\",\"command\":\"git log -3\"}\n{\"tool\":\"bash\",\"command\":\"rm -rf build\"}\n"
                + "{\"tool\":\"edit\",\"path\":\"src/A.java\"}\n";

        var planner = lathe.runWithInput(input, "debug", "permission", "--dir", project.toString(), "--agent", "planner");
        assertThat(planner.exit()).as(planner.stderr()).isZero();
        List<JsonNode> out = planner.stdout().lines().map(RunIT.JSON::readTree).toList();
        assertThat(out).extracting(n -> n.path("decision").asString() + " " + n.path("rule").asString())
                .containsExactly("allow bash: git log *", "deny bash: *", "deny edit: *");

        var build = lathe.runWithInput(input, "debug", "permission", "--dir", project.toString());
        assertThat(build.stdout().lines().map(RunIT.JSON::readTree).toList()).extracting(n -> n.path("decision").asString())
                .containsExactly("ask", "allow", "allow");

        var unknown = lathe.runWithInput("", "debug", "permission", "--dir", project.toString(), "--agent", "nope");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.stderr()).contains("unknown agent 'nope'").contains("planner");
    }
}
