package dev.lathe.core.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * One project's audit file, appended to only, one writer at a time (this object's lock; one object per file in a
 * process, and the server is the only process that writes). On first use it reads the file's end to continue the
 * chain; a torn last line (a crash mid-write) is sealed by a {@code torn} entry and logged, never dropped. A write is
 * one {@code write} of the whole line to a file opened for append, not forced to disk: a turn waits for the kernel,
 * not the disk; a power cut can tear the last line, which {@link AuditChain#verify} then reports.
 */
final class AuditFile {
    private static final System.Logger LOG = System.getLogger(AuditFile.class.getName());

    private final Path file;
    private FileChannel channel;
    private String prev;
    private long seq;

    AuditFile(Path file) {
        this.file = file;
    }

    synchronized void append(AuditEntry entry) throws IOException {
        if (channel == null) open();
        String line = AuditChain.line(seq + 1, prev, entry);
        write(line + "\n");
        seq++;
        prev = AuditChain.hashOf(line).orElseThrow();
    }

    private void open() throws IOException {
        Files.createDirectories(file.getParent());
        String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        prev = AuditChain.GENESIS;
        seq = 0;
        String[] lines = text.split("\n", -1);
        for (int i = lines.length - 2; i >= 0; i--) {
            var node = AuditChain.read(lines[i]);
            if (node.isPresent()) {
                prev = AuditChain.hashOf(lines[i]).orElseThrow();
                seq = node.get().path("seq").asLong(0);
                break;
            }
        }
        String tail = lines[lines.length - 1];
        if (!tail.isEmpty()) {
            int number = lines.length;
            LOG.log(System.Logger.Level.WARNING, "audit log {0}: line {1} was torn by an interrupted write; sealed by a torn entry", file, number);
            write("\n");
            String sealing = AuditChain.line(seq + 1, AuditChain.sha256(tail), new AuditEntry(AuditEntry.Kind.TORN, System.currentTimeMillis(), "",
                    "", Map.of("tornLine", (long) number)));
            write(sealing + "\n");
            seq++;
            prev = AuditChain.hashOf(sealing).orElseThrow();
        }
    }

    private void write(String text) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) channel.write(bytes);
    }

    synchronized void close() {
        if (channel == null) return;
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing audit log " + file, e);
        }
        channel = null;
    }
}
