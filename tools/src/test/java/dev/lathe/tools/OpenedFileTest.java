package dev.lathe.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The open itself holds a check made on a real path (issue 40): whatever the path has become after the check — a
 * parent folder swapped for a link to a folder with a file of the same name, the file swapped for a link or a FIFO —
 * {@link OpenedFile#stream} gives the checked file or fails; it never gives another file's bytes and never blocks.
 */
class OpenedFileTest {
    static final String SECRET = "secret-contents-77c1";

    @TempDir Path tmp;
    Path project;
    Path outside;

    @BeforeEach
    void setUp() throws IOException {
        // Linux with native access (the suite's and bin/lathe's flags): elsewhere callers open the portable way
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "Linux only");
        project = Files.createDirectories(tmp.resolve("project")).toRealPath();
        outside = Files.createDirectories(tmp.resolve("outside")).toRealPath();
        Files.writeString(outside.resolve("a.txt"), SECRET + "\n");
    }

    @Test
    void theFileCheckedIsReadFromItsOwnHandle() throws IOException {
        Path file = Files.writeString(Files.createDirectories(project.resolve("sub")).resolve("a.txt"), "plain\n");
        try (var in = OpenedFile.stream(file).orElseThrow()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("plain\n");
        }
    }

    @Test
    void aParentFolderSwappedForALinkAfterTheCheckIsRefusedByTheOpen() throws IOException {
        Path sub = Files.createDirectories(project.resolve("sub"));
        Path checked = Files.writeString(sub.resolve("a.txt"), "plain\n").toRealPath();
        // after the check: the folder is moved away and a link to the outside folder takes its name
        Files.move(sub, project.resolve("sub-moved"));
        Files.createSymbolicLink(sub, outside);
        assertThatThrownBy(() -> OpenedFile.stream(checked)).isInstanceOf(IOException.class)
                .hasMessageContaining("swapped in since it was checked").hasMessageNotContaining(SECRET);
    }

    @Test
    void aLinkOrAFifoInTheFilesPlaceIsRefusedAtOnce() throws Exception {
        Path file = project.resolve("a.txt");
        Files.createSymbolicLink(file, outside.resolve("a.txt"));
        assertThatThrownBy(() -> OpenedFile.stream(file)).isInstanceOf(IOException.class).hasMessageContaining("without following links");
        Files.delete(file);
        assertThat(new ProcessBuilder("mkfifo", file.toString()).start().waitFor()).isZero();
        long started = System.nanoTime();
        assertThatThrownBy(() -> OpenedFile.stream(file)).isInstanceOf(IOException.class).hasMessageContaining("not a regular file");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("a FIFO with no writer does not block the open").isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void aFifoSwappedInAfterTheCheckTimesOutInsteadOfBlockingThePortableOpen() throws Exception {
        Path fifo = project.resolve("swapped");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        // past the type check (as when the file was swapped after it): the open itself must not hang
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThatThrownBy(() -> OpenedFile.openWithin(fifo, Duration.ofMillis(300)))
                        .isInstanceOf(IOException.class).hasMessageContaining("did not open within"));
    }
}
