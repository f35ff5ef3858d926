package dev.lathe.tools.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.lathe.tools.PermissionCheck;
import dev.lathe.tools.Permissions;
import dev.lathe.tools.RecordingPermissions;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolExecutor;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolRegistry;
import dev.lathe.tools.ToolResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * File tools under hostile input: files that are not UTF-8, files changed behind the model's back, special files that
 * would block a read, and files too large to hold.
 */
class HostileFilesTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Charset LATIN_1 = StandardCharsets.ISO_8859_1;
    @TempDir Path tmp;
    Path project;
    Permissions permissions = RecordingPermissions.allowing();
    final ToolExecutor executor = new ToolExecutor(ToolRegistry.builtins());

    @BeforeEach
    void setUp() throws Exception {
        project = Files.createDirectories(tmp.resolve("p")).toRealPath();
    }

    private ToolResult run(String tool, String json) {
        var ctx = ToolContext.builder(project, permissions).session("ses_h").call("call_1").output(tmp.resolve("out")).build();
        return executor.execute(tool, json, ctx);
    }

    private ToolResult read(String path) { return run("read", JSON.createObjectNode().put("path", path).toString()); }

    private ToolResult edit(String path, String oldString, String newString) {
        return run("edit", JSON.createObjectNode().put("path", path).put("oldString", oldString).put("newString", newString).toString());
    }

    private ToolResult write(String path, String content) {
        return run("write", JSON.createObjectNode().put("path", path).put("content", content).toString());
    }

    @Test
    void aLatin1FileIsReadAndSaysItIsNotUtf8() throws Exception {
        Files.write(project.resolve("l1.txt"), "caf\u00e9 cr\u00e8me\nna\u00efve\n".getBytes(LATIN_1));
        ToolResult r = read("l1.txt");
        assertThat(r.output()).contains("     1\tcaf\u00e9 cr\u00e8me").contains("     2\tna\u00efve").contains("not valid UTF-8")
                .contains("ISO-8859-1");
        assertThat(r.metadata()).containsEntry("encoding", "ISO-8859-1");
    }

    @Test
    void anEditOfALatin1FileChangesOnlyTheEditedBytes() throws Exception {
        // Latin-1 bytes, mixed line endings, a CR alone, and a trailing line without a newline: all must survive
        byte[] original = "ligne \u00e9t\u00e9\r\nbody: na\u00efve\ncaf\u00e9\rstill\r\nend \u00ff".getBytes(LATIN_1);
        Path f = project.resolve("mixed.txt");
        Files.write(f, original);
        ToolResult r = edit("mixed.txt", "body: na\u00efve", "body: s\u00fbr");
        assertThat(r.output()).contains("kept its ISO-8859-1 encoding");
        byte[] expected = "ligne \u00e9t\u00e9\r\nbody: s\u00fbr\ncaf\u00e9\rstill\r\nend \u00ff".getBytes(LATIN_1);
        assertThat(Files.readAllBytes(f)).isEqualTo(expected);
    }

    @Test
    void aWindows1252FileKeepsItsCurlyQuotesAndEuroSign() throws Exception {
        Charset cp1252 = Charset.forName("windows-1252");
        byte[] original = "price: 5 \u20ac\r\n\u201cquoted\u201d text\r\n".getBytes(cp1252);
        Path f = project.resolve("w.txt");
        Files.write(f, original);
        assertThat(read("w.txt").output()).contains("5 \u20ac").contains("windows-1252");
        edit("w.txt", "price: 5", "price: 7");
        assertThat(Files.readAllBytes(f)).isEqualTo("price: 7 \u20ac\r\n\u201cquoted\u201d text\r\n".getBytes(cp1252));
    }

    @Test
    void aCharacterTheFilesEncodingCannotHoldIsRefusedAndTheFileKept() throws Exception {
        byte[] original = "caf\u00e9\n".getBytes(LATIN_1);
        Path f = project.resolve("l1.txt");
        Files.write(f, original);
        assertThatThrownBy(() -> edit("l1.txt", "caf\u00e9", "\u6f22\u5b57")).isInstanceOf(ToolFailure.class)
                .hasMessageContaining("ISO-8859-1").hasMessageContaining("cannot hold");
        assertThat(Files.readAllBytes(f)).isEqualTo(original);
    }

    @Test
    void mixedLineEndingsAndABomStayAsTheyWereAroundAnEdit() throws Exception {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        Path f = project.resolve("m.txt");
        Files.write(f, concat(bom, "one\r\ntwo\nthree\r\n".getBytes(StandardCharsets.UTF_8)));
        edit("m.txt", "two\nthree", "2\n3");
        // the edited span takes the file's CRLF; the LF before it and everything else keep their bytes
        assertThat(Files.readAllBytes(f)).isEqualTo(concat(bom, "one\r\n2\r\n3\r\n".getBytes(StandardCharsets.UTF_8)));
        edit("m.txt", "one", "uno");
        assertThat(Files.readAllBytes(f)).isEqualTo(concat(bom, "uno\r\n2\r\n3\r\n".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aBinaryFileIsRefusedForReadingAndEditing() throws Exception {
        Path f = project.resolve("blob.bin");
        byte[] bytes = {'a', 0, 1, 2, 'b', 0, '\n'};
        Files.write(f, bytes);
        assertThatThrownBy(() -> read("blob.bin")).isInstanceOf(ToolFailure.class).hasMessageContaining("binary");
        assertThatThrownBy(() -> edit("blob.bin", "a", "c")).isInstanceOf(ToolFailure.class).hasMessageContaining("binary file");
        assertThat(Files.readAllBytes(f)).isEqualTo(bytes);
    }

    @Test
    void anEditOfAFileChangedSinceItWasReadIsRefusedUntilItIsReadAgain() throws Exception {
        Path f = Files.writeString(project.resolve("a.txt"), "alpha\nbeta\n");
        read("a.txt");
        // the user's editor saves a change, keeping the size
        Files.writeString(f, "alpha\nBETA\n");
        assertThatThrownBy(() -> edit("a.txt", "alpha", "omega")).isInstanceOf(ToolFailure.class)
                .hasMessageContaining("has changed on disk since you last read it").hasMessageContaining("Read it again");
        assertThatThrownBy(() -> write("a.txt", "replaced\n")).isInstanceOf(ToolFailure.class).hasMessageContaining("since you last read it");
        assertThat(Files.readString(f)).isEqualTo("alpha\nBETA\n");
        read("a.txt");
        edit("a.txt", "alpha", "omega");
        // the model's own edit counts as seen: a second edit needs no new read
        edit("a.txt", "BETA", "gamma");
        assertThat(Files.readString(f)).isEqualTo("omega\ngamma\n");
    }

    @Test
    void aFileChangedWhileTheEditWaitsForApprovalIsNotOverwritten() throws Exception {
        Path f = Files.writeString(project.resolve("a.txt"), "alpha\n");
        permissions = new Permissions() {
            @Override public void require(PermissionCheck check) {
                try {
                    Files.writeString(f, "typed by the user meanwhile\n");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        assertThatThrownBy(() -> edit("a.txt", "alpha", "omega")).isInstanceOf(ToolFailure.class)
                .hasMessageContaining("changed on disk while this change was waiting");
        assertThat(Files.readString(f)).isEqualTo("typed by the user meanwhile\n");
    }

    @Test
    void aPatchOfAFileChangedSinceItWasReadIsRefused() throws Exception {
        Path f = Files.writeString(project.resolve("p.txt"), "one\n");
        read("p.txt");
        Files.writeString(f, "two\n");
        String patch = "*** Begin Patch\n*** Update File: p.txt\n@@\n-two\n+three\n*** End Patch";
        assertThatThrownBy(() -> run("apply_patch", JSON.createObjectNode().put("patchText", patch).toString()))
                .isInstanceOf(ToolFailure.class).hasMessageContaining("since you last read it");
        assertThat(Files.readString(f)).isEqualTo("two\n");
    }

    @Test
    void aFifoIsRefusedAtOnceInsteadOfBlockingTheRead() throws Exception {
        Path fifo = project.resolve("pipe");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertThatThrownBy(() -> read("pipe")).isInstanceOf(ToolFailure.class).hasMessageContaining("FIFO")
                    .hasMessageContaining("not a regular file");
            assertThatThrownBy(() -> edit("pipe", "a", "b")).isInstanceOf(ToolFailure.class).hasMessageContaining("FIFO");
            assertThatThrownBy(() -> write("pipe", "x")).isInstanceOf(ToolFailure.class).hasMessageContaining("FIFO");
        });
    }

    @Test
    void aSocketIsRefused() throws Exception {
        Path socket = project.resolve("s.sock");
        try (var server = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            server.bind(java.net.UnixDomainSocketAddress.of(socket));
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(() -> read("s.sock"))
                    .isInstanceOf(ToolFailure.class).hasMessageContaining("a socket"));
        }
    }

    @Test
    void aProcFileIsReadToItsEnd() {
        // regular files that report size 0 and are generated as they are read: they end, and the window shows them
        String out = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> read("/proc/self/status").output());
        assertThat(out).contains("Name:").contains("End of file");
    }

    @Test
    void aDeviceIsRefused() {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(() -> read("/dev/zero"))
                .isInstanceOf(ToolFailure.class).hasMessageContaining("character device"));
    }

    @Test
    void aHugeFileIsReadInBoundedMemory() throws Exception {
        // 200 MB of text: one endless line first, then short lines; neither may be held whole
        Path f = project.resolve("huge.log");
        long size = 200L * 1024 * 1024;
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            byte[] block = new byte[1024 * 1024];
            Arrays.fill(block, (byte) 'x');
            for (long written = 0; written < size / 2; written += block.length) ch.write(ByteBuffer.wrap(block));
            ch.write(ByteBuffer.wrap("\n".getBytes(StandardCharsets.US_ASCII)));
            byte[] lines = "a short line of a log\n".repeat(1024 * 1024 / 22).getBytes(StandardCharsets.US_ASCII);
            for (long written = 0; written < size / 2; written += lines.length) ch.write(ByteBuffer.wrap(lines));
        }
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        String first = read("huge.log").output();
        String later = run("read", "{\"path\":\"huge.log\",\"offset\":3,\"limit\":5}").output();
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(first).contains("     1\txxxx").contains("line truncated to 2000 characters").contains("     2\ta short line");
        assertThat(later).startsWith("     3\ta short line").contains("Use offset=8");
        // the file is read through twice (100 MB on one line): what is held must stay far below that
        assertThat(allocated).isLessThan(64L * 1024 * 1024);
        assertThatThrownBy(() -> edit("huge.log", "a short line", "x")).isInstanceOf(ToolFailure.class).hasMessageContaining("too large to edit");
    }

    @Test
    void grepSearchesAHugeFileAsItStreamsByAndRefusesAFifo() throws Exception {
        Path f = project.resolve("big.txt");
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            byte[] block = new byte[1024 * 1024];
            Arrays.fill(block, (byte) 'x');
            for (int i = 0; i < 40; i++) ch.write(ByteBuffer.wrap(block));
            ch.write(ByteBuffer.wrap("\nfind the needle here\nand more\n".getBytes(StandardCharsets.US_ASCII)));
        }
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        var hits = JavaSearch.search(JavaSearch.Lines.compile("needle"), f);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(hits).extracting(Search.Hit::line).containsExactly(2);
        assertThat(allocated).as("bytes allocated searching a 40 MB file").isLessThan(16L * 1024 * 1024);
        Path fifo = project.resolve("pipe");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(() -> run("grep", "{\"pattern\":\"x\",\"path\":\"pipe\"}"))
                .isInstanceOf(ToolFailure.class).hasMessageContaining("FIFO"));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
