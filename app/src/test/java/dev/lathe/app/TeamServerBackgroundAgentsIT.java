package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.ChildSession;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.PostgresCluster;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lathe agents} on a team server lists the background tasks of the whole cluster (DESIGN §18, §20): two real
 * nodes on one PostgreSQL; a parent's {@code task} call with {@code background: true} starts a child that runs a long
 * {@code sleep} on the node that runs the parent. Both nodes list it, the one that does not run it included: from the
 * route ({@code GET /background-tasks}) and from {@code lathe agents --format json}, with its agent and description.
 */
class TeamServerBackgroundAgentsIT {
    @TempDir Path tmp;

    private static Turn answer(RecordedRequest r) {
        if (r.lastUserText().contains("wait a long time")) {
            return r.toolResult("call_sleep").isEmpty() ? Turn.of(Step.toolCall("call_sleep", "bash", "{\"command\":\"sleep 120.7\"}")) : Turn.of(Step.text("WOKE"));
        }
        if (r.lastUserText().startsWith("<task-result")) return Turn.of(Step.text("NOTED"));
        if (r.toolResult("call_task").isEmpty()) {
            return Turn.of(Step.toolCall("call_task", "task",
                    "{\"description\":\"Wait on the build\",\"prompt\":\"wait a long time\",\"agent\":\"general\",\"background\":true}"));
        }
        return Turn.of(Step.text("PARENT-DONE"));
    }

    @Test
    void everyNodeListsTheBackgroundTasksOfTheCluster() throws Exception {
        var db = PostgresCluster.shared().newDatabase("team_background");
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("notes.txt", "remember the milk\n").initGitRepo();
            String provider = Lathe.providerConfig("anthropic-messages", llm.baseUrl(), "sk-x");
            String config = provider.substring(0, provider.length() - 1) + ", \"permission\": {\"bash\": \"allow\", \"task\": \"allow\"}}";
            llm.respondWith(TeamServerBackgroundAgentsIT::answer);
            List<TeamNode> nodes = TeamNode.startAll(List.of(tmp.resolve("node-a"), tmp.resolve("node-b")), config, db.url());
            try (var a = nodes.get(0); var b = nodes.get(1)) {
                SessionId id;
                try (var onA = a.client(ws.path())) {
                    id = onA.createSession(CreateSessionRequest.in(ws.path().toString())).id();
                    onA.prompt(id, PromptRequest.text("delegate a long wait"));
                }
                TeamNode runner = TeamNode.awaitHolder(db, id, nodes);
                TeamNode other = runner == a ? b : a;
                try (var there = runner.client(ws.path()); var here = other.client(ws.path())) {
                    TeamServerAsksIT.await(() -> !there.backgroundTasks().isEmpty());
                    SessionId child = there.backgroundTasks().getFirst().session().id();
                    try {
                        // the node that does not run the child lists it too, as the running node does
                        TeamServerAsksIT.await(() -> !here.backgroundTasks().isEmpty());
                        ChildSession listed = here.backgroundTasks().getFirst();
                        assertThat(here.backgroundTasks()).hasSize(1);
                        assertThat(listed.session().id()).isEqualTo(child);
                        assertThat(listed.session().parentId()).contains(id);
                        assertThat(listed.status()).isEqualTo("running");
                        assertThat(listed.task()).hasValueSatisfying(t -> {
                            assertThat(t.agent()).isEqualTo("general");
                            assertThat(t.description()).isEqualTo("Wait on the build");
                            assertThat(t.status()).isEqualTo("running");
                        });
                        var command = other.run("agents", "--format", "json");
                        assertThat(command.exit()).as(command.stderr()).isZero();
                        assertThat(command.stdout()).contains(child.value()).contains("Wait on the build").contains("general");
                    } catch (AssertionError e) {
                        System.out.println("--- node logs ---\n" + runner.log() + "\n---\n" + other.log());
                        throw e;
                    } finally {
                        there.abort(child);
                    }
                }
            }
        }
    }
}
