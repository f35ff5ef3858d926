package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.SmallFileSystem;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile storage through the real daemon (issue 25): a database damaged on disk before the server starts, and a disk
 * that fills up during a turn. Each case ends with {@link AlwaysOnChecks}.
 */
class HostileStorageIT {
    @TempDir Path home;

    @Test
    void aDamagedDatabaseIsMovedAsideAtStartAndEveryoneIsToldWhere() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("a.txt", "alpha\n").initGitRepo();
            var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-storage"));
            llm.enqueue(Turn.of(Step.text("an answer worth keeping")));
            var first = lathe.run("run", "--dir", ws.path().toString(), "hello");
            assertThat(first.exit()).as(first.stderr()).isZero();

            // real damage: every page after the first overwritten with garbage (the header still says SQLite)
            Path db = lathe.database();
            assertThat(Files.exists(db.resolveSibling("lathe.db-wal")) && Files.size(db.resolveSibling("lathe.db-wal")) > 0)
                    .as("everything checkpointed into the main file").isFalse();
            long size = Files.size(db);
            try (var raf = new RandomAccessFile(db.toFile(), "rw")) {
                raf.seek(4096);
                byte[] garbage = new byte[(int) (size - 4096)];
                new java.util.Random(25).nextBytes(garbage);
                raf.write(garbage);
            }
            byte[] damaged = Files.readAllBytes(db);

            var serve = ServeProcess.start(lathe);
            try {
                var endpoint = serve.awaitReady(Duration.ofSeconds(60)).endpoint();
                List<Path> aside;
                try (Stream<Path> files = Files.list(db.getParent())) {
                    aside = files.filter(p -> p.getFileName().toString().matches("lathe\\.db\\.corrupt-\\d{8}T\\d{6}Z")).toList();
                }
                assertThat(aside).as("moved aside, not deleted").singleElement()
                        .satisfies(p -> assertThat(Files.readAllBytes(p)).isEqualTo(damaged));
                String moved = aside.getFirst().toString();
                assertThat(serverLogs()).as("the server log names both paths").contains(moved).contains("fresh database was created at " + db);

                // the first client to start says it once, on stderr; the next one does not
                lathe.daemonFirst();
                llm.enqueue(Turn.of(Step.text("fresh start")));
                var run = lathe.run("run", "--dir", ws.path().toString(), "again");
                assertThat(run.exit()).as(run.stderr()).isZero();
                assertThat(run.stdout()).contains("fresh start");
                assertThat(run.stderr()).contains("lathe: warning: the database " + db).contains(moved);
                llm.enqueue(Turn.of(Step.text("and again")));
                var second = lathe.run("run", "--dir", ws.path().toString(), "once more");
                assertThat(second.stderr()).doesNotContain("moved aside");

                var doctor = lathe.run("doctor", "--dir", ws.path().toString());
                assertThat(doctor.stdout()).containsPattern("warn\\s+database\\s+.*moved aside to " + java.util.regex.Pattern.quote(moved));

                AlwaysOnChecks.after("a damaged database at start", endpoint, db).assertClean();
            } finally {
                serve.stop(Duration.ofSeconds(20));
            }
        }
    }

    @Test
    void aDiskThatFillsDuringATurnIsSaidAsSuchNothingStoredIsLostAndTheServerWorksAgainWithSpace() throws Exception {
        Path data = Files.createDirectories(home.resolve("data"));
        Optional<SmallFileSystem> disk = SmallFileSystem.mount(data, "16m");
        assumeTrue(disk.isPresent(), "cannot mount a tmpfs here (not root, or no mount namespace): a real full disk needs one");
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("a.txt", "alpha\n").initGitRepo();
            var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-storage")).daemonFirst();
            var serve = ServeProcess.start(lathe);
            Path filler = data.resolve("filler");
            try {
                var endpoint = serve.awaitReady(Duration.ofSeconds(60)).endpoint();
                llm.enqueue(Turn.of(Step.text("the answer stored before the disk filled")));
                var first = lathe.run("run", "--dir", ws.path().toString(), "hello");
                assertThat(first.exit()).as(first.stderr()).isZero();

                // the disk fills while the answer streams in
                llm.enqueue(Turn.of(Step.text("a long answer ".repeat(400))).delayBetweenEvents(Duration.ofMillis(20)));
                var run = lathe.start(ws.path(), "run", "--continue", "go on");
                assertThat(llm.awaitRequests(2, Duration.ofSeconds(60))).isTrue();
                fill(filler);
                int exit = run.awaitExit();
                String stderr = run.stderr();
                assertThat(exit).as(stderr).isNotZero();
                assertThat(stderr).contains("disk_full").contains("disk holding " + data.resolve("lathe")).contains("is full")
                        .doesNotContain("internal");

                // a request that must write is refused as such: 503 disk_full naming the folder, never 500 internal
                var created = post(endpoint.uri().resolve("/sessions"), endpoint.token(), ws.path().toString(), "{}");
                assertThat(created.statusCode()).as(created.body()).isEqualTo(503);
                assertThat(created.body()).contains("\"disk_full\"").contains(data.resolve("lathe").toString());
                AlwaysOnChecks.after("a full disk", endpoint, lathe.database()).assertClean();

                // nothing stored before is lost; with space back, the same server works again
                Files.delete(filler);
                try (var client = HttpLatheClient.connect(endpoint, Optional.of(ws.path().toString()))) {
                    var session = client.sessions(ws.path().toString()).getFirst();
                    assertThat(client.messages(session.id()).stream().flatMap(m -> m.parts().stream()))
                            .anySatisfy(p -> assertThat(p.toString()).contains("the answer stored before the disk filled"));
                }
                llm.enqueue(Turn.of(Step.text("space is back")));
                var after = lathe.run("run", "--dir", ws.path().toString(), "--continue", "still there?");
                assertThat(after.exit()).as(after.stderr()).isZero();
                assertThat(after.stdout()).contains("space is back");
                AlwaysOnChecks.after("a full disk, space back", endpoint, lathe.database()).assertClean();
            } finally {
                Files.deleteIfExists(filler);
                serve.stop(Duration.ofSeconds(20));
                disk.get().close();
            }
        }
    }

    /**
     * The same fault where no file system can be mounted (CI): the server's file-size limit (RLIMIT_FSIZE, lowered with
     * {@code prlimit} on the running server, as its own user may) stops the database's files from growing, so a write
     * fails with a real {@code EFBIG}, which SQLite reports as a disk I/O error; raising the limit again is the space
     * coming back.
     */
    @Test
    void aWriteTheFileSystemRefusesDuringATurnIsSaidAsSuchAndTheServerWorksAgainAfter() throws Exception {
        assumeTrue(run("prlimit", "--version") == 0, "prlimit (util-linux) is needed to limit the server's file size");
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("a.txt", "alpha\n").initGitRepo();
            var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-storage")).daemonFirst();
            var serve = ServeProcess.start(lathe);
            try {
                var endpoint = serve.awaitReady(Duration.ofSeconds(60)).endpoint();
                llm.enqueue(Turn.of(Step.text("the answer stored before the limit")));
                var first = lathe.run("run", "--dir", ws.path().toString(), "hello");
                assertThat(first.exit()).as(first.stderr()).isZero();

                llm.enqueue(Turn.of(Step.text("a long answer ".repeat(400))).delayBetweenEvents(Duration.ofMillis(20)));
                var run = lathe.start(ws.path(), "run", "--continue", "go on");
                assertThat(llm.awaitRequests(2, Duration.ofSeconds(60))).isTrue();
                // a little above the largest file the server writes (database, WAL, logs): the next growth of the WAL fails
                long limit = largestFile(home) + 16 * 1024;
                assertThat(run("prlimit", "--pid", Long.toString(serve.pid()), "--fsize=" + limit + ":unlimited")).isZero();
                int exit = run.awaitExit();
                String stderr = run.stderr();
                assertThat(exit).as(stderr).isNotZero();
                assertThat(stderr).contains("disk_full").contains("cannot write to " + home.resolve("data/lathe")).doesNotContain("internal");
                AlwaysOnChecks.after("a write the file system refuses", endpoint, lathe.database()).assertClean();

                assertThat(run("prlimit", "--pid", Long.toString(serve.pid()), "--fsize=unlimited:unlimited")).isZero();
                try (var client = HttpLatheClient.connect(endpoint, Optional.of(ws.path().toString()))) {
                    var session = client.sessions(ws.path().toString()).getFirst();
                    assertThat(client.messages(session.id()).stream().flatMap(m -> m.parts().stream()))
                            .anySatisfy(p -> assertThat(p.toString()).contains("the answer stored before the limit"));
                }
                llm.enqueue(Turn.of(Step.text("writing again")));
                var after = lathe.run("run", "--dir", ws.path().toString(), "--continue", "still there?");
                assertThat(after.exit()).as(after.stderr()).isZero();
                assertThat(after.stdout()).contains("writing again");
                AlwaysOnChecks.after("a write the file system refused, limit lifted", endpoint, lathe.database()).assertClean();
            } finally {
                serve.stop(Duration.ofSeconds(20));
            }
        }
    }

    private static int run(String... command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private String serverLogs() throws IOException {
        var out = new StringBuilder();
        for (Path log : List.of(home.resolve("serve.log"), home.resolve("state/lathe/server.log"))) {
            if (Files.exists(log)) out.append(Files.readString(log));
        }
        return out.toString();
    }

    /** Writes {@code filler} until the file system says there is no space left. */
    private static void fill(Path filler) {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) out.write(block);
        } catch (IOException full) {
            // no space left: what the server meets next
        }
    }

    private static HttpResponse<String> post(URI uri, String token, String directory, String body) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).header("X-Lathe-Directory", directory)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The largest regular file under {@code root}; files that vanish during the walk (git's {@code index.lock}) are skipped. */
    private static long largestFile(Path root) throws IOException {
        var visitor = new SimpleFileVisitor<Path>() {
            long max;

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) max = Math.max(max, attrs.size());
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        };
        Files.walkFileTree(root, visitor);
        return visitor.max;
    }
}
