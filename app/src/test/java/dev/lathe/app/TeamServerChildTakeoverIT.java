package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.PostgresCluster;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Take-over repairs a subagent's child session too (DESIGN §20, issue 45): two real nodes, a 3 s lease. The node
 * running a turn is killed with SIGKILL while the turn's subagent runs a {@code sleep} in its child session. The other
 * node takes the session over and closes what ran in the parent and in the child as interrupted: the child's call reads
 * failed, its answer interrupted, and neither session is left busy on the live node's board.
 */
class TeamServerChildTakeoverIT {
    @TempDir Path tmp;

    @Test
    void aTakeOverClosesWhatRanInTheSubagentsChildSessionAsInterruptedAndLeavesNothingBusy() throws Exception {
        var db = PostgresCluster.shared().newDatabase("team_children");
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("notes.txt", "remember the milk\n").initGitRepo();
            String provider = Lathe.providerConfig("anthropic-messages", llm.baseUrl(), "sk-x");
            String config = provider.substring(0, provider.length() - 1) + ", \"permission\": {\"bash\": \"allow\", \"task\": \"allow\"}}";
            llm.enqueue(Turn.of(Step.toolCall("call_task", "task", "{\"description\":\"Wait\",\"prompt\":\"wait a long time\",\"agent\":\"general\"}")));
            llm.enqueue(Turn.of(Step.toolCall("call_sleep", "bash", "{\"command\":\"sleep 120\"}")));
            try (var a = TeamNode.start(tmp.resolve("node-a"), config, db.url(), "--lease-seconds", "3");
                    var b = TeamNode.start(tmp.resolve("node-b"), config, db.url(), "--lease-seconds", "3")) {
                SessionId id;
                try (var onA = a.client(ws.path())) {
                    id = onA.createSession(CreateSessionRequest.in(ws.path().toString())).id();
                    onA.prompt(id, PromptRequest.text("delegate a long wait"));
                }
                TeamNode runner = TeamNode.awaitHolder(db, id, List.of(a, b));
                TeamNode other = runner == a ? b : a;
                try (var here = other.client(ws.path())) {
                    TeamServerAsksIT.await(() -> !here.children(id).isEmpty() && runningCall(here, here.children(id).getFirst().id()));
                    SessionId child = here.children(id).getFirst().id();
                    // the other node's board shows both running on the runner
                    TeamServerAsksIT.await(() -> here.statuses("").containsKey(id) && here.statuses("").containsKey(child));

                    try {
                        runner.kill();
                        TeamServerAsksIT.await(() -> closed(here.messages(child)) && closed(here.messages(id)));
                        assertThat(toolState(here.messages(child), "bash")).isInstanceOfSatisfying(ToolState.Failed.class,
                                f -> assertThat(f.error()).isEqualTo("interrupted"));
                        assertThat(toolState(here.messages(id), "task")).isInstanceOf(ToolState.Failed.class);
                        for (SessionId s : List.of(id, child)) {
                            var answer = (AssistantMessage) here.messages(s).getLast().info();
                            assertThat(answer.error()).hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo("interrupted"));
                        }
                        TeamServerAsksIT.await(() -> here.statuses("").isEmpty());
                        assertThat(here.status(child)).isInstanceOf(SessionStatus.Idle.class);
                        assertThat(here.status(id)).isInstanceOf(SessionStatus.Idle.class);
                        assertThat(llm.requests()).hasSize(2);  // nothing was run again
                        assertThat(here.children(id)).extracting(Session::id).containsExactly(child);
                    } catch (AssertionError e) {
                        System.out.println("--- node logs ---\n" + runner.log() + "\n---\n" + other.log());
                        throw e;
                    }
                }
            }
        }
    }

    private static boolean runningCall(dev.lathe.client.HttpLatheClient client, SessionId id) {
        return client.messages(id).stream().flatMap(m -> m.parts().stream())
                .anyMatch(p -> p instanceof Part.Tool t && t.state() instanceof ToolState.Running);
    }

    /** Nothing of the session runs or is open: every call ended, every answer completed. */
    private static boolean closed(List<MessageWithParts> history) {
        return history.stream().allMatch(m -> !(m.info() instanceof AssistantMessage a) || a.completedAt().isPresent())
                && history.stream().flatMap(m -> m.parts().stream())
                        .noneMatch(p -> p instanceof Part.Tool t && (t.state() instanceof ToolState.Running || t.state() instanceof ToolState.Pending));
    }

    private static ToolState toolState(List<MessageWithParts> history, String tool) {
        return history.stream().flatMap(m -> m.parts().stream()).filter(p -> p instanceof Part.Tool t && t.tool().equals(tool))
                .map(p -> ((Part.Tool) p).state()).findFirst().orElseThrow();
    }
}
