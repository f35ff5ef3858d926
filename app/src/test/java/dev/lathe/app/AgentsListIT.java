package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lathe agents} as a user watches background work (issue 71's major): a parent starts a background child that
 * waits, and the text table lists it (exit 0), its cost printed as money: the cost is micro-dollars, a whole number,
 * which a {@code %.2f} format once refused ({@code f != java.lang.Long}).
 */
class AgentsListIT {
    @TempDir Path home;
    @TempDir Path project;

    @Test
    void theTextTableListsARunningBackgroundTaskWithItsCost() throws Exception {
        CountDownLatch childGoes = new CountDownLatch(1);
        try (var llm = FakeLlm.start()) {
            Files.createDirectories(project.resolve(".lathe/agents"));
            Files.writeString(project.resolve(".lathe/agents/worker.md"), "---\ndescription: Works\nmode: subagent\nbackground: true\n---\nWORKER-PROMPT\n");
            llm.respondWith(r -> {
                if (r.system().contains("WORKER-PROMPT")) return AgentBeds.open(childGoes) ? Turn.of(Step.text("REPORT")) : Turn.of(Step.text("late"));
                if (r.lastUserText().startsWith("<task-result")) return Turn.of(Step.text("NOTED"));
                if (r.toolResult("t1").isEmpty()) {
                    return AgentBeds.call("t1", "task", "{\"description\":\"Watch the build\",\"prompt\":\"watch\",\"agent\":\"worker\"}");
                }
                return Turn.of(Step.text("PARENT-WAITING"));
            });
            // the child's first request is answered only when the test lets it go: it runs while the parent is idle
            String config = AgentBeds.config(llm, "sk-agents", "\"permission\": {\"*\": \"allow\"}");
            var lathe = new Lathe(home, config).daemonFirst();
            try {
                var started = lathe.run("web", "--print-url");
                assertThat(lathe.server()).as(started.stderr()).isPresent();
                try (HttpLatheClient api = HttpLatheClient.connect(lathe.server().orElseThrow(), Optional.empty())) {
                    SessionId parent = api.createSession(new CreateSessionRequest(project.toString(), Optional.of("Parent"), Optional.empty(),
                            Optional.empty(), Optional.empty())).id();
                    api.prompt(parent, PromptRequest.text("Start a worker"));
                    AgentBeds.await(() -> api.backgroundTasks().size() == 1 && api.status(parent) instanceof SessionStatus.Idle,
                            () -> "tasks " + api.backgroundTasks());
                    SessionId child = api.backgroundTasks().getFirst().session().id();

                    var listed = lathe.run("agents");
                    assertThat(listed.exit()).as(listed.stderr()).isZero();
                    assertThat(listed.stderr()).isEmpty();
                    List<String> lines = listed.stdout().lines().toList();
                    assertThat(lines).hasSize(2);
                    assertThat(lines.get(0)).matches("ID +PARENT +AGENT +STATUS +COST +ACTIVE +DESCRIPTION");
                    assertThat(lines.get(1)).startsWith(child.value()).contains(parent.value()).contains(" worker ").contains(" running ")
                            .contains(" $0.00 ").endsWith("Watch the build");

                    var json = lathe.run("agents", "--format", "json");
                    assertThat(json.exit()).as(json.stderr()).isZero();
                    assertThat(json.stdout()).contains("\"cost\":0").contains(child.value());
                }
            } finally {
                childGoes.countDown();
                lathe.stopDaemon();
            }
        }
    }
}
