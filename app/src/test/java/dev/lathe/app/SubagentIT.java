package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.protocol.SessionId;
import dev.lathe.run.console.ExitCode;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Subagents end to end (issue #8): {@code lathe run} from the packaged jar starts a custom markdown subagent through
 * {@code task}; the child's asks are answered by the run's flags, the run ends at the parent's end, and the child is
 * listed with its {@code parentId} by {@code lathe sessions} and by {@code GET /sessions/{id}/children}.
 */
class SubagentIT {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String REVIEWER = """
            ---
            description: Reviews the working tree and reports problems
            mode: subagent
            ---
            REVIEWER-PROMPT: You review changes. Run the checks you need, then report in one paragraph.
            """;

    @TempDir Path home;

    /** The parent delegates to the reviewer, which runs a command (an ask) and reports; the parent then answers. */
    static void script(FakeLlm llm) {
        llm.respondWith(r -> {
            if (r.system().contains("REVIEWER-PROMPT")) {
                return r.toolResult("c1").isEmpty()
                        ? Turn.of(Step.text("CHILD-INTERMEDIATE"), Step.toolCall("c1", "bash", "{\"command\":\"echo reviewed > mark.txt\"}")).finish("tool_calls")
                        : Turn.of(Step.text("REVIEW-OK: nothing to fix."));
            }
            return r.toolResult("t1").isEmpty()
                    ? Turn.of(Step.toolCall("t1", "task", "{\"description\":\"Review the tree\",\"prompt\":\"Review the working tree\",\"agent\":\"reviewer\"}"))
                            .finish("tool_calls")
                    : Turn.of(Step.text("PARENT-DONE: the reviewer found nothing."));
        });
    }

    static TempWorkspace project() {
        return TempWorkspace.create().write("a.txt", "x\n").write(".lathe/agents/reviewer.md", REVIEWER).initGitRepo();
    }

    @Test
    void runStartsAMarkdownSubagentAnswersItsAsksAndListsTheChild() throws Exception {
        try (var llm = FakeLlm.start(); var ws = project()) {
            script(llm);
            var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-sub"));
            var r = lathe.run("run", "--dir", ws.path().toString(), "--allow-all", "review my tree");

            assertThat(r.exit()).as(r.stderr()).isZero();
            assertThat(r.stdout()).contains("PARENT-DONE").doesNotContain("CHILD-INTERMEDIATE");
            assertThat(ws.read("mark.txt")).isEqualTo("reviewed\n");
            List<RecordedRequest> child = llm.requests().stream().filter(q -> q.system().contains("REVIEWER-PROMPT")).toList();
            assertThat(child).hasSize(2);
            assertThat(child.getFirst().toolNames()).doesNotContain("task");
            String result = llm.requests().getLast().toolResult("t1").orElseThrow();
            assertThat(result).contains("REVIEW-OK: nothing to fix.").doesNotContain("CHILD-INTERMEDIATE").doesNotContain("reviewed");

            var listed = lathe.run("sessions", "--dir", ws.path().toString(), "--format", "json");
            assertThat(listed.exit()).as(listed.stderr()).isZero();
            JsonNode sessions = JSON.readTree(listed.stdout());
            assertThat(sessions).hasSize(2);
            JsonNode parent = sessions.valueStream().filter(s -> s.get("parentId").isNull()).findFirst().orElseThrow();
            JsonNode sub = sessions.valueStream().filter(s -> !s.get("parentId").isNull()).findFirst().orElseThrow();
            assertThat(sub.get("parentId").asString()).isEqualTo(parent.get("id").asString());
            assertThat(sub.get("agent").asString()).isEqualTo("reviewer");
            assertThat(sub.get("status").asString()).isEqualTo("idle");
            assertThat(result).contains("taskId: " + sub.get("id").asString());

            var serve = ServeProcess.start(lathe);
            try (var client = HttpLatheClient.connect(serve.awaitReady(Duration.ofSeconds(60)).endpoint(), Optional.of(ws.path().toString()))) {
                var children = client.children(new SessionId(parent.get("id").asString()));
                assertThat(children).hasSize(1);
                assertThat(children.getFirst().id().value()).isEqualTo(sub.get("id").asString());
                assertThat(children.getFirst().parentId()).contains(new SessionId(parent.get("id").asString()));
            } finally {
                serve.kill();
            }
        }
    }

    @Test
    void withoutAllowAllTheChildsAskIsRejectedAndTheRunSaysSo() throws Exception {
        try (var llm = FakeLlm.start(); var ws = project()) {
            script(llm);
            var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-sub"));
            var r = lathe.run("run", "--dir", ws.path().toString(), "--format", "json", "review my tree");

            assertThat(r.exit()).as(r.stderr()).isEqualTo(ExitCode.PERMISSION_REJECTED);
            assertThat(r.stderr()).contains("permission rejected: bash echo reviewed > mark.txt");
            assertThat(ws.path().resolve("mark.txt")).doesNotExist();
            List<JsonNode> events = r.stdout().lines().map(JSON::readTree).toList();
            String parentId = events.stream().filter(e -> e.path("type").asString().equals("session.status")).findFirst().orElseThrow()
                    .path("sessionId").asString();
            // the child's events are in the stream too, each naming the child
            JsonNode created = events.stream().filter(e -> e.path("type").asString().equals("session.created")).findFirst().orElseThrow();
            assertThat(created.path("session").path("parentId").asString()).isEqualTo(parentId);
            String childId = created.path("session").path("id").asString();
            JsonNode asked = events.stream().filter(e -> e.path("type").asString().equals("permission.asked")).findFirst().orElseThrow();
            assertThat(asked.path("request").path("sessionId").asString()).isEqualTo(childId);
            // the run ended after the parent's end: its last status is the parent's idle
            JsonNode lastStatus = events.stream().filter(e -> e.path("type").asString().equals("session.status")).reduce((a, b) -> b).orElseThrow();
            assertThat(lastStatus.path("sessionId").asString()).isEqualTo(parentId);
            assertThat(lastStatus.path("status").path("type").asString()).isEqualTo("idle");
        }
    }
}
