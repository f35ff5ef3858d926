package dev.lathe.tools.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lathe.tools.RecordingPermissions;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolExecutor;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolRegistry;
import dev.lathe.testkit.SmallFileSystem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/** Writes replace a file whole or not at all: failures half-way, a full disk, permissions, links. */
class AtomicWriteTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    @TempDir Path tmp;
    Path project;
    final ToolExecutor executor = new ToolExecutor(ToolRegistry.builtins());

    @BeforeEach
    void setUp() throws Exception {
        project = Files.createDirectories(tmp.resolve("p")).toRealPath();
    }

    private String write(String path, String content) {
        var ctx = ToolContext.builder(project, RecordingPermissions.allowing()).session("ses_w").call("call_1").output(tmp.resolve("out")).build();
        return executor.execute("write", JSON.createObjectNode().put("path", path).put("content", content).toString(), ctx).output();
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aWriteThatFailsHalfWayLeavesTheOriginalAndNoTemporaryFile() throws Exception {
        Path f = Files.writeString(project.resolve("a.txt"), "the original\n");
        // a real channel on the real file system, failing after half the bytes as a full disk would
        var failing = new AtomicWrite((channel, bytes) -> {
            ByteBuffer half = bytes.slice(0, bytes.remaining() / 2);
            while (half.hasRemaining()) channel.write(half);
            throw new IOException("No space left on device");
        });
        TextFile next = TextFile.read(f).withText("x".repeat(100_000));
        assertThatThrownBy(() -> next.write(f, project, failing)).isInstanceOf(ToolFailure.class)
                .hasMessageContaining("No space left on device").hasMessageContaining("left as it was");
        assertThat(Files.readString(f)).isEqualTo("the original\n");
        assertThat(names(project)).containsExactly("a.txt");
    }

    @Test
    void aWriterKilledMidWriteLeavesTheOriginalAndTheNextWriteClearsItsLeftover() throws Exception {
        Path f = Files.writeString(project.resolve("a.txt"), "the original\n");
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), CrashingWrite.class.getName(), f.toString())
                .redirectErrorStream(true).start();
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), out::readLine))
                    .isEqualTo("half written");
        } finally {
            child.destroyForcibly();  // SIGKILL: no finally block, no shutdown hook of the writer runs
            child.waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(Files.readString(f)).isEqualTo("the original\n");
        List<String> left = names(project);
        assertThat(left).hasSize(2).contains("a.txt");
        Path leftover = project.resolve(left.stream().filter(n -> !n.equals("a.txt")).findFirst().orElseThrow());
        assertThat(leftover.getFileName().toString()).startsWith(".a.txt.lathe-").endsWith(".tmp");
        assertThat(Files.size(leftover)).isEqualTo(1 << 19);
        // a minute later, the next write of the file removes what the crash left
        Files.setLastModifiedTime(leftover, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 120_000));
        write("a.txt", "next\n");
        assertThat(names(project)).containsExactly("a.txt");
        assertThat(Files.readString(f)).isEqualTo("next\n");
    }

    @Test
    void aFullFileSystemLeavesTheOriginalIntact() throws Exception {
        Path small = Files.createDirectories(project.resolve("small"));
        Optional<SmallFileSystem> disk = SmallFileSystem.mount(small, "128k");
        assumeTrue(disk.isPresent(), "mounting a small tmpfs needs root in a mount-capable container");
        try (var _ = disk.get()) {
            Path f = Files.writeString(small.resolve("notes.txt"), "keep me\n");
            String big = "y".repeat(400 * 1024);
            assertThatThrownBy(() -> write("small/notes.txt", big)).isInstanceOf(ToolFailure.class)
                    .hasMessageContaining("cannot write").hasMessageContaining("left as it was");
            assertThat(Files.readString(f)).isEqualTo("keep me\n");
            assertThat(names(small)).containsExactly("notes.txt");
        }
    }

    @Test
    void aPatchOfSeveralFilesThatMeetsAFullDiskChangesNone() throws Exception {
        Path small = Files.createDirectories(project.resolve("small"));
        Optional<SmallFileSystem> disk = SmallFileSystem.mount(small, "128k");
        assumeTrue(disk.isPresent(), "mounting a small tmpfs needs root in a mount-capable container");
        try (var _ = disk.get()) {
            Path first = Files.writeString(project.resolve("first.txt"), "one\n");
            Path second = Files.writeString(small.resolve("second.txt"), "two\n");
            String big = "+" + "w".repeat(300 * 1024) + "\n";
            String patch = "*** Begin Patch\n*** Update File: first.txt\n@@\n-one\n+ONE\n*** Update File: small/second.txt\n@@\n-two\n" + big
                    + "*** End Patch";
            var ctx = ToolContext.builder(project, RecordingPermissions.allowing()).session("ses_w").call("call_p").output(tmp.resolve("out"))
                    .build();
            assertThatThrownBy(() -> executor.execute("apply_patch", JSON.createObjectNode().put("patchText", patch).toString(), ctx))
                    .isInstanceOf(ToolFailure.class).hasMessageContaining("nothing was changed");
            assertThat(Files.readString(first)).isEqualTo("one\n");
            assertThat(Files.readString(second)).isEqualTo("two\n");
            assertThat(names(project)).containsExactly("first.txt", "small");
            assertThat(names(small)).containsExactly("second.txt");
        }
    }


    @Test
    void theNewContentArrivesByRenameWithTheOriginalsPermissions() throws Exception {
        Path f = Files.writeString(project.resolve("run.sh"), "echo one\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-x---"));
        Object inode = Files.getAttribute(f, "unix:ino");
        write("run.sh", "echo two\n");
        assertThat(Files.readString(f)).isEqualTo("echo two\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rwxr-x---");
        assertThat(Files.getAttribute(f, "unix:ino")).isNotEqualTo(inode);
        assertThat(names(project)).containsExactly("run.sh");
    }

    @Test
    void aHardLinkedFileIsWrittenInPlaceSoEveryNameSeesTheChange() throws Exception {
        Path f = Files.writeString(project.resolve("a.txt"), "old\n");
        Path other = Files.createLink(project.resolve("b.txt"), f);
        write("a.txt", "new\n");
        assertThat(Files.readString(other)).isEqualTo("new\n");
        assertThat(Files.isSameFile(f, other)).isTrue();
    }

    @Test
    void writingThroughALinkReplacesItsTargetAndKeepsTheLink() throws Exception {
        Path real = Files.writeString(project.resolve("real.txt"), "old\n");
        Path link = Files.createSymbolicLink(project.resolve("link.txt"), real.getFileName());
        write("link.txt", "new\n");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(real)).isEqualTo("new\n");
    }

    @Test
    void aFileThatIsNotWritableIsRefusedNotReplaced() throws Exception {
        assumeTrue(!"root".equals(System.getProperty("user.name")), "root may write any file, as open(2) lets it");
        Path f = Files.writeString(project.resolve("ro.txt"), "fixed\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("r--r--r--"));
        assertThatThrownBy(() -> write("ro.txt", "changed\n")).isInstanceOf(ToolFailure.class).hasMessageContaining("read-only");
        assertThat(Files.readString(f)).isEqualTo("fixed\n");
    }

    @Test
    void aFolderThatCannotTakeATemporaryFileIsWrittenInPlace() throws Exception {
        assumeTrue(!"root".equals(System.getProperty("user.name")), "root may create files in any folder");
        Path dir = Files.createDirectories(project.resolve("locked"));
        Path f = Files.writeString(dir.resolve("a.txt"), "old\n");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            write("locked/a.txt", "new\n");
            assertThat(Files.readString(f, StandardCharsets.UTF_8)).isEqualTo("new\n");
        } finally {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void aNewFileIsCreatedWithoutLeftovers() throws Exception {
        write("sub/new.txt", "hello\n");
        assertThat(Files.readString(project.resolve("sub/new.txt"))).isEqualTo("hello\n");
        assertThat(names(project.resolve("sub"))).containsExactly("new.txt");
        assertThat(Files.isRegularFile(project.resolve("sub/new.txt"), LinkOption.NOFOLLOW_LINKS)).isTrue();
    }
}
