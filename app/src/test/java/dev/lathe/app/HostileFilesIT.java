package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lathe.client.ServerEndpoint;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.SmallFileSystem;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Hostile files and commands through the real daemon and the real tools (issue 25, files part): a model scripted by
 * {@link FakeLlm} calls read, edit, write and bash on a FIFO, a Latin-1 file, a file changed behind its back, a 200 MB
 * file, a fork bomb, an absurd timeout and a file system that fills up mid-write. Each case checks what the model was
 * told and what is on disk, then ends with {@link AlwaysOnChecks}: the daemon answers {@code /health} within a second,
 * its database passes {@code integrity_check}, no process of it is left. One daemon serves every case (as a user's
 * does); each case is a new session except where it continues one on purpose.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileFilesIT {
    /** Unchecked, about 1,000 processes (see BashLimitsTest): bounded, so a broken limit cannot take the machine down. */
    private static final String BOUNDED_BOMB = "b(){ [ $1 -lt 8 ] && { b $(($1+1)) & b $(($1+1)) & }; sleep 41.75; }; b 0";

    private static final java.util.concurrent.atomic.AtomicInteger CALLS = new java.util.concurrent.atomic.AtomicInteger();

    @TempDir static Path home;

    private static String config(String baseUrl) {
        return "{\"model\": \"fake/fake-model\", \"permission\": {\"*\": \"allow\", \"read\": \"allow\", \"edit\": \"allow\", \"bash\": \"allow\","
                + " \"external_directory\": \"allow\"},"
                + " \"sandbox\": {\"maxProcesses\": 40},"
                + " \"provider\": {\"fake\": {\"protocol\": \"openai-chat\", \"baseUrl\": \"" + baseUrl
                + "\", \"apiKey\": \"sk-hostile-files\", \"models\": {\"fake-model\": {\"context\": 100000, \"output\": 4096}}}}}";
    }

    /** One scripted tool call and a closing answer, run through the daemon; returns what the model was told. */
    private static String call(Lathe lathe, FakeLlm llm, TempWorkspace ws, String tool, String argsJson, String... extra) throws Exception {
        // a new id per call: a continued session's history holds the earlier ones
        String id = "c" + CALLS.incrementAndGet();
        llm.forgetRequests();
        llm.enqueue(Turn.of(Step.toolCall(id, tool, argsJson)).finish("tool_calls"));
        llm.enqueue(Turn.of(Step.text("done")));
        List<String> args = new ArrayList<>(List.of("run", "--dir", ws.path().toString(), "--format", "json"));
        args.addAll(Arrays.asList(extra));
        args.add("go");
        var r = lathe.run(args.toArray(String[]::new));
        assertThat(r.exit()).as(r.stderr()).isZero();
        return llm.requests().getLast().toolResult(id).orElseThrow(() -> new AssertionError("no tool result in " + llm.requests().getLast().body()));
    }

    private static String args(String... keyValues) {
        var o = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < keyValues.length; i += 2) o.put(keyValues[i], keyValues[i + 1]);
        return o.toString();
    }

    private static void clean(String name, Lathe lathe) throws InterruptedException {
        ServerEndpoint endpoint = lathe.server().orElseThrow(() -> new AssertionError("no daemon after " + name));
        AlwaysOnChecks.after(name, endpoint, lathe.database()).assertClean();
    }

    private FakeLlm llm;
    private TempWorkspace ws;
    private Lathe lathe;

    @BeforeAll
    void startTheDaemon() throws Exception {
        llm = FakeLlm.start();
        ws = TempWorkspace.create();
        ws.write("a.txt", "alpha\nbeta\n").initGitRepo();
        lathe = new Lathe(home, config(llm.baseUrl())).daemonFirst();
    }

    @AfterAll
    void stopTheDaemon() {
        try {
            if (lathe != null) lathe.stopDaemon();
        } finally {
            ws.close();
            llm.close();
        }
    }

    private String call(String tool, String argsJson, String... extra) throws Exception {
        return call(lathe, llm, ws, tool, argsJson, extra);
    }

    @Test
    void aFifoIsRefusedAtOnceNotReadForever() throws Exception {
        Path fifo = ws.resolve("pipe");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(call("read", args("path", "pipe"))).contains("FIFO").contains("not a regular file");
        clean("read a FIFO", lathe);
    }

    @Test
    void aLatin1FileIsReadWithANoteAndEditedByteForByte() throws Exception {
        byte[] latin1 = "caf\u00e9 cr\u00e8me\r\nna\u00efve\nend \u00ff".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(ws.resolve("l1.txt"), latin1);
        assertThat(call("read", args("path", "l1.txt"))).contains("caf\u00e9 cr\u00e8me").contains("not valid UTF-8");
        clean("read Latin-1", lathe);
        assertThat(call("edit", args("path", "l1.txt", "oldString", "na\u00efve", "newString", "s\u00fbr")))
                .contains("Edited l1.txt").contains("ISO-8859-1");
        assertThat(Files.readAllBytes(ws.resolve("l1.txt")))
                .isEqualTo("caf\u00e9 cr\u00e8me\r\ns\u00fbr\nend \u00ff".getBytes(StandardCharsets.ISO_8859_1));
        clean("edit Latin-1", lathe);
    }

    @Test
    void anEditAfterAnOutsideChangeIsRefusedUntilTheFileIsReadAgain() throws Exception {
        Files.writeString(ws.resolve("b.txt"), "alpha\nbeta\n");
        assertThat(call("read", args("path", "b.txt"))).contains("alpha");
        Files.writeString(ws.resolve("b.txt"), "alpha\nBETA\n");
        // the same session (--continue): it read the file before the change
        assertThat(call("edit", args("path", "b.txt", "oldString", "alpha", "newString", "omega"), "--continue"))
                .contains("changed on disk since you last read it").contains("Read it again");
        assertThat(ws.read("b.txt")).isEqualTo("alpha\nBETA\n");
        clean("edit after an outside change", lathe);
    }

    @Test
    void aHugeFileIsReadAsAWindowWithoutGrowingTheDaemon() throws Exception {
        // 200 MB, its first half one line
        Path huge = ws.resolve("huge.log");
        writeHuge(huge, 200L * 1024 * 1024);
        try {
            call("read", args("path", "a.txt")); // the daemon up and warm before measuring
            long pid = lathe.server().orElseThrow().pid();
            long rssBefore = rssKb(pid);
            String window = call("read", args("path", "huge.log"));
            long grownMb = (rssKb(pid) - rssBefore) / 1024;
            assertThat(window).contains("line truncated").contains("a short line");
            assertThat(grownMb).as("daemon RSS growth in MB reading a 200 MB file").isLessThan(100);
        } finally {
            Files.delete(huge);
        }
        clean("huge file", lathe);
    }

    @Test
    void aForkBombIsStoppedAtTheProcessLimit() throws Exception {
        long start = System.nanoTime();
        String bomb = call("bash", "{\"command\":" + JsonNodeFactory.instance.textNode(BOUNDED_BOMB) + ",\"timeout\":60000}");
        assertThat(bomb).contains("command stopped: it reached the limit of 40 processes");
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(40);
        clean("fork bomb", lathe);
    }

    @Test
    void anAbsurdTimeoutIsClampedAndSaid() throws Exception {
        assertThat(call("bash", "{\"command\":\"echo clamped\",\"timeout\":-1}")).contains("clamped")
                .contains("used the minimum, 1000 ms").contains("exit code: 0");
        assertThat(call("bash", "{\"command\":\"echo clamped\",\"timeout\":1e15}")).contains("used the maximum, 600000 ms");
        assertThat(call("bash", "{\"command\":\"echo clamped\",\"timeout\":\"later\"}")).contains("used the default, 120000 ms");
        clean("absurd timeout", lathe);
    }

    @Test
    void aWriteThatFailsHalfWayOnAFullFileSystemLeavesTheOriginal() throws Exception {
        Path small = Files.createDirectories(ws.resolve("small"));
        Optional<SmallFileSystem> disk = SmallFileSystem.mount(small, "128k");
        assumeTrue(disk.isPresent(), "mounting a small tmpfs needs root in a mount-capable container");
        try (var _ = disk.get()) {
            Files.writeString(small.resolve("keep.txt"), "keep me\n");
            String failed = call("write", args("path", "small/keep.txt", "content", "z".repeat(300 * 1024)));
            assertThat(failed).contains("cannot write").contains("left as it was");
            assertThat(Files.readString(small.resolve("keep.txt"))).isEqualTo("keep me\n");
            try (var names = Files.list(small)) {
                assertThat(names.map(p -> p.getFileName().toString()).toList()).containsExactly("keep.txt");
            }
            clean("write on a full file system", lathe);
        }
    }


    private static void writeHuge(Path f, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            byte[] block = new byte[1024 * 1024];
            Arrays.fill(block, (byte) 'x');
            for (long written = 0; written < size / 2; written += block.length) ch.write(ByteBuffer.wrap(block));
            ch.write(ByteBuffer.wrap(new byte[] {'\n'}));
            byte[] lines = "a short line of a log\n".repeat(1024 * 1024 / 22).getBytes(StandardCharsets.US_ASCII);
            for (long written = 0; written < size / 2; written += lines.length) ch.write(ByteBuffer.wrap(lines));
        }
    }

    private static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        throw new AssertionError("no VmRSS for " + pid);
    }
}
