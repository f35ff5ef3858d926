package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon serves the configuration on disk now, and each shell's own config and keys: edits between two
 * {@code lathe run}s and during one apply with the daemon left running, a broken edit is refused with its file and
 * line while the running turn finishes, and two shells with different inline config and keys each use their own,
 * none of it kept in the database, the logs or an export.
 */
class LiveConfigIT {
    @TempDir Path home;

    private static String provider(String baseUrl, String apiKey, String extra) {
        return "{\"provider\": {\"fake\": {\"protocol\": \"openai-chat\", \"baseUrl\": \"" + baseUrl + "\", \"apiKey\": \"" + apiKey + "\""
                + extra + ", \"models\": {\"m1\": {\"context\": 100000, \"output\": 4096}, \"m2\": {\"context\": 100000, \"output\": 4096}}}}}";
    }

    @Test
    void editsApplyBetweenRunsAndMidTurnWithTheDaemonLeftRunning() throws Exception {
        try (var llm1 = FakeLlm.start(); var llm2 = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("README.md", "hi\n").initGitRepo();
            Path global = Files.createDirectories(home.resolve("config/lathe")).resolve("lathe.json");
            Path project = ws.resolve("lathe.json");
            Files.writeString(global, provider(llm1.baseUrl(), "k", "").replaceFirst("\\{", "{\"model\": \"fake/m1\", "));
            Files.writeString(project, "{\"permission\": {\"edit\": \"allow\"}}");
            // no inline config in this shell: the files are all there is
            var lathe = new Lathe(home, "");
            // the project's allow rule applies once its folder is trusted (DESIGN §24)
            org.assertj.core.api.Assertions.assertThat(lathe.run("trust", "--dir", ws.path().toString()).exit()).isZero();
            var serve = ServeProcess.start(lathe);
            try {
                var ready = serve.awaitReady(Duration.ofSeconds(60));

                llm1.enqueue(Turn.of(Step.toolCall("w1", "write", "{\"path\":\"a.txt\",\"content\":\"one\\n\"}")).finish("tool_calls"));
                llm1.enqueue(Turn.of(Step.text("wrote a")));
                var first = lathe.run("run", "--dir", ws.path().toString(), "write a");
                assertThat(first.exit()).as(first.stderr()).isZero();
                assertThat(ws.read("a.txt")).isEqualTo("one\n");
                assertThat(llm1.requests().getFirst().model()).isEqualTo("m1");

                // between the runs: a deny, another model, another base URL
                Files.writeString(project, "{\"model\": \"fake/m2\", \"permission\": {\"edit\": \"deny\", \"onDeny\": \"stop\"}}");
                Files.writeString(global, provider(llm2.baseUrl(), "k", ""));
                llm2.enqueue(Turn.of(Step.toolCall("w2", "write", "{\"path\":\"b.txt\",\"content\":\"two\\n\"}")).finish("tool_calls"));
                llm2.enqueue(Turn.of(Step.text("could not write b")));
                var second = lathe.run("run", "--dir", ws.path().toString(), "write b");
                // under "onDeny": "stop" a denied call ends the turn as rejected (exit 3, DESIGN §3) without asking the model again
                assertThat(second.exit()).as(second.stderr()).isEqualTo(3);
                assertThat(llm1.requests()).as("the old base URL is not used any more").hasSize(2);
                assertThat(llm2.requests()).hasSize(1);
                assertThat(llm2.requests().getFirst().model()).isEqualTo("m2");
                assertThat(ws.resolve("b.txt")).as("the deny applies").doesNotExist();

                // during a turn: the deny comes back between its two tool calls (the fake edits the file as the second
                // step is asked for, so the edit lands after the first call and before the second)
                Files.writeString(project, "{\"model\": \"fake/m2\", \"permission\": {\"edit\": \"allow\"}}");
                var asked = new AtomicInteger();
                llm2.forgetRequests();
                llm2.respondWith(request -> switch (asked.incrementAndGet()) {
                    case 1 -> Turn.of(Step.toolCall("c1", "write", "{\"path\":\"c.txt\",\"content\":\"three\\n\"}")).finish("tool_calls");
                    case 2 -> {
                        write(project, "{\"model\": \"fake/m2\", \"permission\": {\"edit\": \"deny\", \"onDeny\": \"stop\"}}");
                        yield Turn.of(Step.toolCall("d1", "write", "{\"path\":\"d.txt\",\"content\":\"four\\n\"}")).finish("tool_calls");
                    }
                    case 3 -> {
                        // a turn of the next run: the file breaks while it runs; it finishes on the last good config
                        write(project, "{\n  \"model\": \"fake/m2\", \"permision\": {}\n}");
                        yield Turn.of(Step.toolCall("r1", "read", "{\"path\":\"README.md\"}")).finish("tool_calls");
                    }
                    case 4 -> Turn.of(Step.text("finished on the last good config"));
                    default -> Turn.of(Step.text("unexpected"));
                });
                var third = lathe.run("run", "--dir", ws.path().toString(), "write c then d");
                assertThat(third.exit()).as(third.stderr()).isEqualTo(3);
                assertThat(ws.read("c.txt")).isEqualTo("three\n");
                assertThat(ws.resolve("d.txt")).as("a deny added mid-turn stops its next tool call").doesNotExist();
                assertThat(asked.get()).isEqualTo(2);

                Files.writeString(project, "{\"model\": \"fake/m2\", \"permission\": {\"edit\": \"allow\"}}");
                var fourth = lathe.run("run", "--dir", ws.path().toString(), "read the readme");
                assertThat(fourth.exit()).as(fourth.stderr()).isZero();
                assertThat(fourth.stdout()).contains("finished on the last good config");
                assertThat(fourth.stderr()).as("the running client hears of the error").contains("permision");
                assertThat(llm2.requests().get(3).toolResult("r1")).hasValueSatisfying(r -> assertThat(r).contains("hi"));

                // the broken file refuses new prompts, naming file, line and key
                var refused = lathe.run("run", "--dir", ws.path().toString(), "anything");
                assertThat(refused.exit()).isEqualTo(2);
                assertThat(refused.stderr()).contains(project.toRealPath() + ":2").contains("permision");
                assertThat(asked.get()).isEqualTo(4);

                assertThat(serve.isAlive()).isTrue();
                assertThat(lathe.server()).hasValueSatisfying(e -> assertThat(e.pid()).isEqualTo(ready.endpoint().pid()));
                try (var client = HttpLatheClient.connect(ready.endpoint(), Optional.empty())) {
                    assertThat(client.sessions(ws.path().toRealPath().toString())).as("every run was served by the daemon").hasSize(4);
                }
            } finally {
                serve.stop(Duration.ofSeconds(15));
            }
        }
    }

    @Test
    void twoShellsUseTheirOwnConfigAndKeysAgainstOneDaemonAndNoneOfItIsKept() throws Exception {
        String keyA = "sk-shell-a-6f1c2e90", keyB = "sk-shell-b-0d7e41aa", keyDaemon = "sk-daemon-93b1d7e2";
        String markerA = "cfg-marker-a-5521", markerB = "cfg-marker-b-8830";
        try (var llmA = FakeLlm.start(); var llmB = FakeLlm.start(); var llmD = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("README.md", "hi\n").initGitRepo();
            String configA = provider(llmA.baseUrl(), "{env:FAKE_API_KEY}", ", \"headers\": {\"X-Marker\": \"" + markerA + "\"}")
                    .replaceFirst("\\{", "{\"model\": \"fake/m1\", ");
            String configB = provider(llmB.baseUrl(), "{env:FAKE_API_KEY}", ", \"headers\": {\"X-Marker\": \"" + markerB + "\"}")
                    .replaceFirst("\\{", "{\"model\": \"fake/m2\", ");
            var daemon = new Lathe(home, provider(llmD.baseUrl(), "{env:FAKE_API_KEY}", "").replaceFirst("\\{", "{\"model\": \"fake/m1\", "))
                    .withEnv("FAKE_API_KEY", keyDaemon);
            var shellA = new Lathe(home, configA).withEnv("FAKE_API_KEY", keyA);
            var shellB = new Lathe(home, configB).withEnv("FAKE_API_KEY", keyB);
            var serve = ServeProcess.start(daemon);
            try {
                var ready = serve.awaitReady(Duration.ofSeconds(60));
                llmA.enqueue(Turn.of(Step.text("answered for A")));
                llmB.enqueue(Turn.of(Step.text("answered for B")));
                var a = shellA.run("run", "--dir", ws.path().toString(), "hello from A");
                var b = shellB.run("run", "--dir", ws.path().toString(), "hello from B");
                assertThat(a.exit()).as(a.stderr()).isZero();
                assertThat(b.exit()).as(b.stderr()).isZero();
                assertThat(a.stdout()).contains("answered for A");
                assertThat(b.stdout()).contains("answered for B");
                assertThat(llmD.requests()).as("the daemon's own config and key are not the shells'").isEmpty();
                assertThat(llmA.requests().getFirst().headers()).containsEntry("authorization", "Bearer " + keyA).containsEntry("x-marker", markerA);
                assertThat(llmB.requests().getFirst().headers()).containsEntry("authorization", "Bearer " + keyB).containsEntry("x-marker", markerB);
                assertThat(llmB.requests().getFirst().model()).isEqualTo("m2");

                List<String> exports = new java.util.ArrayList<>();
                try (var client = HttpLatheClient.connect(ready.endpoint(), Optional.empty())) {
                    for (var s : client.sessions(ws.path().toRealPath().toString())) {
                        var exported = shellA.run("export", s.id().value());
                        assertThat(exported.exit()).as(exported.stderr()).isZero();
                        exports.add(exported.stdout());
                    }
                }
                assertThat(exports).hasSize(2);
                String dump = sqliteDump(daemon.database());
                assertThat(dump).contains("answered for A");
                String log = Files.exists(daemon.serverLog()) ? Files.readString(daemon.serverLog()) : "";
                for (String secret : List.of(keyA, keyB, markerA, markerB)) {
                    assertThat(dump).as("database").doesNotContain(secret);
                    assertThat(log).as("server.log").doesNotContain(secret);
                    assertThat(String.join("\n", exports)).as("lathe export").doesNotContain(secret);
                    assertThat(a.stdout() + a.stderr() + b.stdout() + b.stderr()).doesNotContain(secret);
                }
                try (var files = Files.walk(home)) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) {
                        String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                        for (String secret : List.of(keyA, keyB, markerA, markerB)) assertThat(bytes).as(f.toString()).doesNotContain(secret);
                    }
                }
            } finally {
                serve.stop(Duration.ofSeconds(15));
            }
        }
    }

    /** As a user would look: {@code sqlite3 lathe.db .dump}, the WAL included (sqlite3 reads it). */
    private static String sqliteDump(Path db) throws Exception {
        Process p = new ProcessBuilder("sqlite3", db.toString(), ".dump").redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(out, StandardCharsets.UTF_8)).isZero();
        return new String(out, StandardCharsets.UTF_8);
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
