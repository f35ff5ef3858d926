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
}
