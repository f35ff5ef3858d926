package dev.lathe.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FileGateway} on real links, hard links and FIFOs (issue 52): where a file really is, what it is and every name
 * it has decide, not the path it was named by.
 */
class FileGatewayTest {
    static final String SECRET = "gateway-canary-41f9";

    @TempDir Path tmp;
    Path project;
    Path outside;
    /** {@code .env} denied, {@code secrets/**} asked, as a project's read rules. */
    final FileGateway.ReadRules rules = p -> {
        String rel = project.relativize(p).toString();
        if (rel.equals(".env")) return FileGateway.Hold.DENY;
        if (rel.startsWith("secrets/")) return FileGateway.Hold.ASK;
        return FileGateway.Hold.NONE;
    };

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "Linux only");
        project = Files.createDirectories(tmp.resolve("project")).toRealPath();
        outside = Files.createDirectories(tmp.resolve("outside")).toRealPath();
        Files.writeString(outside.resolve("id_rsa"), SECRET);
        Files.writeString(project.resolve(".env"), SECRET);
        Files.writeString(Files.createDirectories(project.resolve("secrets")).resolve("key"), SECRET);
        Files.writeString(project.resolve("plain.txt"), "plain");
    }

    @Test
    void anOrdinaryFileIsReadCopiedAndHashed() throws IOException {
        FileGateway gate = FileGateway.of(project, rules);
        assertThat(gate.readString(project.resolve("plain.txt"))).isEqualTo("plain");
        assertThat(gate.sha256(project.resolve("plain.txt"))).hasSize(64);
        Path to = tmp.resolve("copy/plain.txt");
        gate.copy(project.resolve("plain.txt"), to);
        assertThat(Files.readString(to)).isEqualTo("plain");
    }

    @Test
    void linksLeavingTheProjectAreRefusedWhereverTheLinkIs() throws IOException {
        Files.createSymbolicLink(project.resolve("key.txt"), outside.resolve("id_rsa"));
        Files.createSymbolicLink(project.resolve("up"), outside);
        Files.createSymbolicLink(project.resolve("dots.txt"), Path.of("../outside/id_rsa"));
        FileGateway gate = FileGateway.of(project, rules);
        for (Path p : List.of(project.resolve("key.txt"), project.resolve("up/id_rsa"), project.resolve("dots.txt"),
                project.resolve("secrets/../../outside/id_rsa"), outside.resolve("id_rsa"))) {
            assertThatThrownBy(() -> gate.readString(p)).as(p.toString()).isInstanceOf(FileGateway.Refused.class).hasMessageContaining("outside");
            assertThatThrownBy(() -> gate.copy(p, tmp.resolve("c/x"))).as(p.toString()).isInstanceOf(FileGateway.Refused.class);
        }
        assertThat(tmp.resolve("c/x")).doesNotExist();
    }

    @Test
    void everyNameOfAFileIsJudgedLinksAndHardLinksAlike() throws IOException {
        Files.createSymbolicLink(project.resolve("notes.txt"), Path.of(".env"));
        Files.createLink(project.resolve("hard.txt"), project.resolve(".env"));
        Files.createLink(project.resolve("hard-key.txt"), project.resolve("secrets/key"));
        FileGateway gate = FileGateway.of(project, rules);
        for (String name : List.of(".env", "notes.txt", "hard.txt")) {
            assertThatThrownBy(() -> gate.readString(project.resolve(name))).as(name).isInstanceOf(FileGateway.Refused.class);
        }
        // an ask holds back a read nobody can be asked about, and a copy under a name no rule asks for
        assertThatThrownBy(() -> gate.open(project.resolve("hard-key.txt"), FileGateway.Hold.ASK)).isInstanceOf(FileGateway.Refused.class);
        for (String name : List.of("notes.txt", "hard.txt", "hard-key.txt")) {
            assertThatThrownBy(() -> gate.copy(project.resolve(name), tmp.resolve("c").resolve(name))).as(name).isInstanceOf(FileGateway.Refused.class)
                    .hasMessageContaining("holds back");
        }
        // the file copied under its own name keeps its own rule: allowed
        gate.copy(project.resolve(".env"), tmp.resolve("c/.env"));
        assertThat(Files.readString(tmp.resolve("c/.env"))).isEqualTo(SECRET);
    }

    @Test
    void aCopyIsNeverWrittenThroughALinkedFolderOfTheDestination() throws IOException {
        Path dest = Files.createDirectories(tmp.resolve("dest")).toRealPath();
        Files.createSymbolicLink(dest.resolve("out"), outside);
        assertThatThrownBy(() -> FileGateway.of(project, rules).copy(project.resolve("plain.txt"), dest.resolve("out/plain.txt")))
                .isInstanceOf(FileGateway.Refused.class).hasMessageContaining("reached through a link");
        assertThat(outside.resolve("plain.txt")).doesNotExist();
    }

    @Test
    void aFifoOrADeviceIsRefusedNotWaitedOn() throws Exception {
        Path fifo = project.resolve("pipe");
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo");
        FileGateway gate = FileGateway.of(project, rules);
        assertThatThrownBy(() -> gate.readString(fifo)).isInstanceOf(FileGateway.Refused.class).hasMessageContaining("not a regular file");
        assertThatThrownBy(() -> FileGateway.anywhere().readAllBytes(Path.of("/dev/zero"))).isInstanceOf(FileGateway.Refused.class);
    }

    @Test
    void aCappedReadRefusesAHugeFileByItsSizeBeforeReadingIt() throws IOException {
        Path huge = project.resolve("lathe.json");
        try (var f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(500L << 20); // sparse: 500 MB on paper, nothing on disk
        }
        assertThatThrownBy(() -> FileGateway.of(project, rules).readString(huge, 4 << 20)).isInstanceOf(FileGateway.Refused.class)
                .hasMessageContaining(huge.toString()).hasMessageContaining("500 MiB").hasMessageContaining("4 MiB");
        Files.writeString(project.resolve("small.json"), "{}");
        assertThat(FileGateway.of(project, rules).readString(project.resolve("small.json"), 4 << 20)).isEqualTo("{}");
    }

    @Test
    void aCappedStreamEndsInARefusalOnceTheFileHasGivenMoreThanTheCap() throws IOException {
        Path grows = project.resolve("grows.jsonl");
        Files.writeString(grows, "0123456789");
        try (FileGateway.Opened o = FileGateway.of(project, rules).open(grows, 10)) {
            Files.writeString(grows, "0123456789abcdef"); // grown since it was opened
            byte[] first = o.in().readNBytes(10);
            assertThat(first).hasSize(10);
            assertThatThrownBy(() -> o.in().read()).isInstanceOf(FileGateway.Refused.class).hasMessageContaining("grew past");
        }
    }

    @Test
    void oneNameOnlyRefusesEveryHardLinkWhateverTheRulesAndWhereverTheOtherNameIs() throws IOException {
        Files.createLink(project.resolve("lathe.json"), project.resolve(".env"));
        Path shared = Files.writeString(project.resolve("shared.json"), "{}");
        Files.createLink(tmp.resolve("elsewhere.json"), shared);
        FileGateway gate = FileGateway.of(project, FileGateway.ReadRules.NONE).oneNameOnly();
        for (String name : List.of("lathe.json", "shared.json")) {
            assertThatThrownBy(() -> gate.readString(project.resolve(name), 1 << 20)).as(name).isInstanceOf(FileGateway.Refused.class)
                    .hasMessageContaining("hard links").satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
        }
        assertThat(gate.readString(project.resolve("plain.txt"), 1 << 20)).isEqualTo("plain");
    }

    @Test
    void aRecordIsReadOnlyWhenItIsAFileOfItsOwnFolder() throws Exception {
        Path git = Files.createDirectories(project.resolve("nested"));
        Files.writeString(git.resolve(".git"), "gitdir: ../.git/worktrees/x\n");
        assertThat(FileGateway.readRecord(git.resolve(".git"), FileGateway.RECORD_MAX_BYTES)).startsWith("gitdir:");
        Path linked = Files.createDirectories(project.resolve("linked"));
        Files.createSymbolicLink(linked.resolve(".git"), outside.resolve("id_rsa"));
        assertThatThrownBy(() -> FileGateway.readRecord(linked.resolve(".git"), FileGateway.RECORD_MAX_BYTES)).isInstanceOf(FileGateway.Refused.class);
        Path piped = Files.createDirectories(project.resolve("piped"));
        assumeTrue(new ProcessBuilder("mkfifo", piped.resolve("HEAD").toString()).start().waitFor() == 0, "mkfifo");
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
                () -> assertThatThrownBy(() -> FileGateway.readRecord(piped.resolve("HEAD"), FileGateway.RECORD_MAX_BYTES))
                        .isInstanceOf(FileGateway.Refused.class).hasMessageContaining("not a regular file"));
        Files.writeString(git.resolve("HEAD"), "x".repeat(FileGateway.RECORD_MAX_BYTES + 1));
        assertThatThrownBy(() -> FileGateway.readRecord(git.resolve("HEAD"), FileGateway.RECORD_MAX_BYTES)).isInstanceOf(FileGateway.Refused.class);
    }
}
