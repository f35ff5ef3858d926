package dev.lathe.core.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Another harness's session file is read through the gateway with the file bounded (issue 52): a 2 GB file, a FIFO, a
 * device are reported by file and skipped at once, never read into memory nor waited on, and a file that grows past
 * the bound while it is read is cut there and reported.
 */
class HostileSessionFilesTest {
    @TempDir Path tmp;

    @Test
    void aTwoGigabyteSessionFileIsSkippedByItsSizeWithTheFileNamed() throws Exception {
        Path huge = tmp.resolve("11111111-2222-4333-8444-555555555555.jsonl");
        try (var f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(2L << 30); // sparse: nothing on disk, 2 GiB to a reader
        }
        List<String> problems = new ArrayList<>();
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            Transcript t = ClaudeCodeHistory.read(huge, problems);
            assertThat(t.messages()).isEmpty();
        });
        assertThat(problems).singleElement().asString().contains(huge.toString()).contains("2.0 GiB").contains("512 MiB").contains("skipped");
    }

    @Test
    void aFifoOrADeviceNamedAsASessionFileIsSkippedNotWaitedOn() throws Exception {
        Path fifo = tmp.resolve("fifo.jsonl");
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo");
        List<String> problems = new ArrayList<>();
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            JsonLines.read(fifo, problems, (n, r) -> { });
            JsonLines.read(Path.of("/dev/zero"), problems, (n, r) -> { });
        });
        assertThat(problems).hasSize(2);
        assertThat(problems.getFirst()).contains(fifo.toString()).contains("not a regular file");
    }

    @Test
    void aFileGrowingPastTheBoundWhileItIsReadIsCutThereAndReported() throws Exception {
        Path file = tmp.resolve("grows.jsonl");
        Files.writeString(file, "{\"n\":1}\n".repeat(10));
        List<String> problems = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        JsonLines.read(file, BoundedLines.MAX_RECORD_BYTES, 100, problems, _ -> false, (n, r) -> {
            lines.add(n);
            if (n == 1) {
                try {
                    Files.writeString(file, "{\"n\":2}\n".repeat(100), java.nio.file.StandardOpenOption.APPEND);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
        assertThat(lines).hasSizeLessThanOrEqualTo(13);
        assertThat(problems).singleElement().asString().contains(file.toString()).contains("grew past");
    }
}
