package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lathe import FILE} never holds more of what it is named than one export's cap (issue 52): a 2 GB file is
 * refused by its size before a byte is read, an endless FIFO or standard input once it has given more than the cap;
 * each with an error naming the file and the cap, never an out-of-memory error or a hang on a writer that never stops.
 */
class ImportFileBoundsTest {
    @TempDir Path tmp;

    @Test
    void aTwoGigabyteFileIsRefusedByItsSize() throws Exception {
        Path huge = tmp.resolve("export.json");
        try (var f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(2L << 30); // sparse: nothing on disk, 2 GiB to a reader
        }
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(() -> ImportCommand.exportText(huge.toString(), InputStream.nullInputStream()))
                .isInstanceOf(UsageError.class).hasMessage(huge + " holds more than 64 MiB, more than lathe import reads from one export"));
    }

    @Test
    void anEndlessFifoIsCutAtTheCap() throws Exception {
        Path fifo = tmp.resolve("endless.json");
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo");
        Thread writer = Thread.ofVirtual().start(() -> {
            try (OutputStream out = Files.newOutputStream(fifo)) {
                byte[] block = "{\"x\":1}\n".repeat(8192).getBytes();
                while (true) out.write(block);
            } catch (Exception e) {
                // the reader closed the FIFO: done
            }
        });
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertThatThrownBy(() -> ImportCommand.exportText(fifo.toString(), InputStream.nullInputStream()))
                .isInstanceOf(UsageError.class).hasMessageContaining(fifo.toString()).hasMessageContaining("64 MiB"));
        writer.join(Duration.ofSeconds(10));
        assertThat(writer.isAlive()).isFalse();
    }

    @Test
    void endlessStandardInputIsCutAtTheCapAndAnExportWithinItIsRead() {
        InputStream endless = new InputStream() {
            @Override
            public int read() { return ' '; }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) ' ');
                return len;
            }
        };
        assertThatThrownBy(() -> ImportCommand.exportText("-", endless)).isInstanceOf(UsageError.class).hasMessageContaining("64 MiB");
        assertThat(ImportCommand.exportText("-", new java.io.ByteArrayInputStream("{}".getBytes()))).isEqualTo("{}");
    }
}
