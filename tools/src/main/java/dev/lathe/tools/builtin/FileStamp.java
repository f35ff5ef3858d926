package dev.lathe.tools.builtin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * What identifies one version of a file: size, modification time, and a checksum of the content when the file is
 * small enough to edit ({@link TextFile#MAX_BYTES}; 0 above). The checksum catches a change that keeps the size and
 * lands within the file system's time granularity; the time catches everything else cheaply.
 */
record FileStamp(long size, long modifiedNanos, long checksum) {
    /** The file's stamp now; empty when it does not exist or cannot be read. */
    static Optional<FileStamp> of(Path file) {
        try {
            var a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile()) return Optional.empty();
            long nanos = a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS);
            if (a.size() > TextFile.MAX_BYTES) return Optional.of(new FileStamp(a.size(), nanos, 0));
            var crc = new CRC32C();
            long read = 0;
            try (InputStream in = TextFile.open(file)) {
                byte[] buf = new byte[64 * 1024];
                int n;
                while ((n = in.read(buf)) > 0 && read <= TextFile.MAX_BYTES) {
                    crc.update(buf, 0, n);
                    read += n;
                }
            }
            return Optional.of(new FileStamp(read, nanos, crc.getValue()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
