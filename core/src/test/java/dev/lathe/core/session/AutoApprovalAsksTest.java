package dev.lathe.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.llm.Protocols;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.api.ProjectStats;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 80's measure: a fixed benign task (read, edit, run the tests, git status and diff, write a note, run the tests
 * again; nothing installed) asks a person at least 80 % less often with auto-approval than without, with the same
 * result; the classifier's requests are in the folder's stats; an identical call within the turn is decided once.
 */
class AutoApprovalAsksTest {
    @TempDir Path tmp;

    private record Run(int asks, String calc, String note, int mainRequests, int judgeRequests, ProjectStats stats) {}

    private static String call(String tool, String args) { return tool + "\u0000" + args; }

    private static final List<String> TASK = List.of(
            call("read", "{\"path\": \"calc.txt\"}"),
            call("edit", "{\"path\": \"calc.txt\", \"oldString\": \"1 + 1 = 3\", \"newString\": \"1 + 1 = 2\"}"),
            call("bash", "{\"command\": \"sh test.sh\", \"description\": \"run the tests\"}"),
            call("bash", "{\"command\": \"git status\", \"description\": \"status\"}"),
            call("bash", "{\"command\": \"git diff\", \"description\": \"diff\"}"),
            call("write", "{\"path\": \"NOTES.md\", \"content\": \"fixed the sum\\n\"}"),
            call("bash", "{\"command\": \"sh test.sh\", \"description\": \"run the tests\"}"));

    private Run run(Path root, boolean auto) throws Exception {
        try (var llm = FakeLlm.start(); var judge = FakeLlm.start()) {
            String config = "{\"model\": \"fake/m\", \"permission\": {\"auto\": {\"model\": \"judge/j\"}}" + (auto ? ", \"defaultMode\": \"auto\"" : "")
                    + ", \"provider\": {\"fake\": {\"protocol\": \"openai-chat\", \"baseUrl\": \"" + llm.baseUrl() + "\", \"models\": {\"m\": {}}},"
                    + " \"judge\": {\"protocol\": \"openai-chat\", \"baseUrl\": \"" + judge.baseUrl() + "\", \"models\": {\"j\": {}}}}}";
            try (var h = new Harness(Files.createDirectories(root), config, 30, Protocols.standard(HttpClient.newHttpClient()))) {
                Files.writeString(h.project.resolve("calc.txt"), "1 + 1 = 3\n");
                Files.writeString(h.project.resolve("test.sh"), "grep -q '1 + 1 = 2' calc.txt && echo PASS || { echo FAIL; exit 1; }\n");
                git(h.project, "init", "-q");
                git(h.project, "add", ".");
                git(h.project, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "start");
                llm.respondWith(r -> {
                    for (int i = 0; i < TASK.size(); i++) {
                        if (r.toolResult("c" + i).isEmpty()) {
                            String[] c = TASK.get(i).split("\u0000");
                            return Turn.of(Step.toolCall("c" + i, c[0], c[1])).finish("tool_calls");
                        }
                    }
                    return Turn.of(Step.text("DONE"));
                });
                judge.respondWith(r -> Turn.of(Step.text("{\"decision\": \"allow\", \"reason\": \"a step of the fix the user asked for\"}")));
                SessionId s = h.session().id();
                // a person answering every ask, allow once, as a user at the terminal would
                var stop = new AtomicBoolean();
                var answerer = Thread.ofVirtual().start(() -> {
                    while (!stop.get()) {
                        h.api.permissions(h.project.toString()).forEach(p -> h.api.replyPermission(p.id(), PermissionReplyRequest.of(PermissionReply.ONCE)));
                        try {
                            Thread.sleep(20);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                h.api.prompt(s, PromptRequest.text("fix the sum in calc.txt and make the tests pass"));
                h.awaitIdle(s);
                stop.set(true);
                answerer.join();
                int asks = (int) h.events.stream().filter(e -> e.event() instanceof Event.PermissionAsked).count();
                return new Run(asks, Files.readString(h.project.resolve("calc.txt")), Files.readString(h.project.resolve("NOTES.md")), llm.requests().size(),
                        judge.requests().size(), h.api.stats(h.project.toString()));
            }
        }
    }

    private static void git(Path dir, String... args) throws Exception {
        var cmd = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
        cmd.addAll(List.of(args));
        assertThat(new ProcessBuilder(cmd).inheritIO().start().waitFor()).isZero();
    }

    @Test
    void aBenignTaskAsksAPersonAtLeastEightyPercentLessOftenWithTheSameResult() throws Exception {
        Run manual = run(tmp.resolve("manual"), false);
        Run auto = run(tmp.resolve("auto"), true);

        assertThat(manual.asks()).isGreaterThanOrEqualTo(3);
        assertThat(auto.asks()).isLessThanOrEqualTo(manual.asks() / 5);
        assertThat(auto.calc()).isEqualTo(manual.calc()).isEqualTo("1 + 1 = 2\n");
        assertThat(auto.note()).isEqualTo(manual.note());
        assertThat(auto.mainRequests()).isEqualTo(manual.mainRequests());
        assertThat(manual.judgeRequests()).isZero();
        // the second `sh test.sh` is the same call in the same turn: decided once
        assertThat(auto.judgeRequests()).isEqualTo(manual.asks() - 1);
        // the classifier's requests are in the folder's stats: 100 input tokens each, as the fake reports
        assertThat(auto.stats().usage().input()).isEqualTo(100L * (auto.mainRequests() + auto.judgeRequests()));
        assertThat(manual.stats().usage().input()).isEqualTo(100L * manual.mainRequests());
    }
}
