package dev.lathe.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.llm.Protocols;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Instruction files below the working folder reach the model through {@code read}, once per session: end to end with
 * the fake model over HTTP, the real tools and the SQLite store, across a restart of the core.
 */
class NestedInstructionsTest {
    @TempDir Path tmp;

    private static String config(FakeLlm llm) {
        return "{\"model\": \"fake/m\", \"permission\": {\"external_directory\": \"allow\"}, \"provider\": {\"fake\": {\"protocol\": \"openai-chat\", \"baseUrl\": \"" + llm.baseUrl()
                + "\", \"models\": {\"m\": {\"context\": 100000, \"output\": 4000}}}}}";
    }

    private static Turn read(String id, String path) {
        return Turn.of(Step.toolCall(id, "read", "{\"path\":\"" + path + "\"}"));
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) n++;
        return n;
    }

    @Test
    void aSubfoldersInstructionsFollowTheFirstReadBelowItOnlyEvenAfterARestart() throws Exception {
        try (var llm = FakeLlm.start()) {
            dev.lathe.protocol.SessionId session;
            Path project;
            try (var h = new Harness(tmp, config(llm), 20, Protocols.standard(HttpClient.newHttpClient()))) {
                project = h.project;
                Files.createDirectories(project.resolve(".git"));
                Files.writeString(project.resolve("AGENTS.md"), "Top rules: in block B.\n");
                Files.createDirectories(project.resolve("sub/deeper"));
                Files.writeString(project.resolve("sub/AGENTS.md"), "Sub rules: use tabs.\n");
                Files.writeString(project.resolve("sub/CLAUDE.md"), "Sub CLAUDE.md: after the folder's AGENTS.md.\n");
                Files.writeString(project.resolve("sub/deeper/CLAUDE.md"), "Deeper rules: no wildcard imports.\n");
                for (String f : List.of("top.txt", "sub/a.txt", "sub/b.txt", "sub/deeper/c.txt", "sub/deeper/d.txt")) {
                    Files.writeString(project.resolve(f), "content of " + f + "\n");
                }
                llm.enqueue(read("c1", "top.txt"));
                llm.enqueue(read("c2", "sub/a.txt"));
                llm.enqueue(read("c3", "sub/b.txt"));
                // two reads under one folder in the same response: its instructions come with one of them
                llm.enqueue(Turn.of(Step.toolCall("c4", "read", "{\"path\":\"sub/deeper/c.txt\"}"),
                        Step.toolCall("c5", "read", "{\"path\":\"sub/deeper/d.txt\"}")));
                llm.enqueue(Turn.of(Step.text("Read them.")));
                session = h.session().id();
                h.promptAndWait(session, "read the files");

                List<RecordedRequest> requests = llm.requests();
                assertThat(requests).hasSize(5);
                assertThat(requests.get(0).system()).contains("Top rules").doesNotContain("Sub rules").doesNotContain("Deeper rules");
                assertThat(requests.get(1).toolResult("c1").orElseThrow()).doesNotContain("system-reminder");
                assertThat(requests.get(2).toolResult("c2").orElseThrow()).contains("content of sub/a.txt").contains("<system-reminder>")
                        .contains("Instructions from sub/AGENTS.md:\nSub rules: use tabs.\n</system-reminder>\n\n<system-reminder>\n"
                                + "Instructions from sub/CLAUDE.md:\nSub CLAUDE.md: after the folder's AGENTS.md.\n</system-reminder>")
                        .doesNotContain("Top rules").doesNotContain("Deeper rules");
                assertThat(requests.get(3).toolResult("c3").orElseThrow()).isEqualTo(
                        "     1\tcontent of sub/b.txt\n\n(End of file: 1 lines.)");
                assertThat(count(requests.get(3).body(), "Sub rules")).isEqualTo(1);
                String c4 = requests.get(4).toolResult("c4").orElseThrow();
                String c5 = requests.get(4).toolResult("c5").orElseThrow();
                assertThat(count(c4 + c5, "Deeper rules")).isEqualTo(1);
                assertThat(c4 + c5).doesNotContain("Sub rules");
                assertThat(count(requests.get(4).body(), "Sub rules")).isEqualTo(1);
            }

            // a new core on the same database: what was surfaced is read from the stored history
            llm.forgetRequests();
            try (var h = new Harness(tmp, config(llm), 20, Protocols.standard(HttpClient.newHttpClient()))) {
                llm.enqueue(Turn.of(Step.toolCall("c6", "read", "{\"path\":\"sub/a.txt\"}"), Step.toolCall("c7", "read", "{\"path\":\"sub/deeper/c.txt\"}")));
                llm.enqueue(Turn.of(Step.text("Again.")));
                h.promptAndWait(session, "read them again");
                RecordedRequest last = llm.requests().getLast();
                assertThat(last.toolResult("c6").orElseThrow()).doesNotContain("system-reminder");
                assertThat(last.toolResult("c7").orElseThrow()).doesNotContain("system-reminder");
                assertThat(count(last.body(), "Sub rules")).isEqualTo(1);
                assertThat(count(last.body(), "Deeper rules")).isEqualTo(1);
            }
        }
    }
    @Test
    void readingTheInstructionFileItselfCountsAndFilesOutsideTheRepositorySurfaceNothing() throws Exception {
        try (var llm = FakeLlm.start()) {
            try (var h = new Harness(tmp, config(llm), 20, Protocols.standard(HttpClient.newHttpClient()))) {
                Path project = h.project;
                Files.createDirectories(project.resolve(".git"));
                Files.createDirectories(project.resolve("sub"));
                Files.writeString(project.resolve("sub/AGENTS.md"), "Sub rules: use tabs.\n");
                Files.writeString(project.resolve("sub/a.txt"), "a\n");
                Path outside = Files.createDirectories(tmp.resolve("outside/deep"));
                Files.writeString(tmp.resolve("outside/AGENTS.md"), "Not this project's.\n");
                Files.writeString(outside.resolve("x.txt"), "x\n");
                llm.enqueue(read("c1", "sub/AGENTS.md"));
                llm.enqueue(read("c2", "sub/a.txt"));
                llm.enqueue(read("c3", outside.resolve("x.txt").toString()));
                llm.enqueue(Turn.of(Step.text("Done.")));
                var session = h.session().id();
                h.promptAndWait(session, "read");

                List<RecordedRequest> requests = llm.requests();
                assertThat(requests.get(1).toolResult("c1").orElseThrow()).contains("Sub rules").doesNotContain("system-reminder");
                assertThat(requests.get(2).toolResult("c2").orElseThrow()).doesNotContain("system-reminder");
                assertThat(requests.get(3).toolResult("c3").orElseThrow()).doesNotContain("system-reminder");
                assertThat(count(requests.get(3).body(), "Sub rules")).isEqualTo(1);
                assertThat(requests.get(3).body()).doesNotContain("Not this project's");
            }
        }
    }
    @Test
    void afterACompactionSummarisedTheResultAwayTheInstructionsSurfaceAgain() throws Exception {
        try (var llm = FakeLlm.start(); var h = new Harness(tmp, config(llm), 20, Protocols.standard(HttpClient.newHttpClient()))) {
            Files.createDirectories(h.project.resolve(".git"));
            Files.createDirectories(h.project.resolve("sub"));
            Files.writeString(h.project.resolve("sub/AGENTS.md"), "Sub rules: use tabs.\n");
            Files.writeString(h.project.resolve("sub/a.txt"), "a\n");
            Files.writeString(h.project.resolve("sub/b.txt"), "b\n");
            llm.enqueue(read("c1", "sub/a.txt"));
            llm.enqueue(Turn.of(Step.text("Read it.")));
            llm.enqueue(Turn.of(Step.text("Nothing else.")));
            llm.enqueue(Turn.of(Step.text("## Progress\nRead sub/a.txt.")));
            llm.enqueue(read("c2", "sub/b.txt"));
            llm.enqueue(Turn.of(Step.text("Done.")));
            var session = h.session().id();
            h.promptAndWait(session, "read sub/a.txt");
            h.promptAndWait(session, "anything else?");
            h.api.command(session, dev.lathe.protocol.api.CommandRequest.of("compact"));
            h.awaitEvent(e -> e instanceof dev.lathe.protocol.event.Event.SessionCompacted);
            h.awaitIdle(session);
            h.promptAndWait(session, "now sub/b.txt");

            List<RecordedRequest> requests = llm.requests();
            assertThat(requests).hasSize(6);
            assertThat(requests.get(1).toolResult("c1").orElseThrow()).contains("Sub rules");
            // the summary replaced the first turn, and the instructions with it
            assertThat(requests.get(4).body()).contains("Read sub/a.txt.").doesNotContain("Sub rules");
            assertThat(requests.get(5).toolResult("c2").orElseThrow()).contains("<system-reminder>").contains("Sub rules");
        }
    }
}
