package dev.lathe.server.daemon;

import dev.lathe.protocol.wire.WireJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A written {@code server.json}, deleted again by {@link #close}. The token is secret, so the file is created
 * with mode 0600 from its first byte (a temporary file with those permissions, then an atomic rename, so a reader
 * never sees a partial file) inside a folder created with mode 0700.
 *
 * <p>{@link #close} deletes the file only if it still holds this server's info, so a newer server's file survives
 * an older server's shutdown.
 */
public final class ServerInfoFile implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ServerInfoFile.class.getName());

    private final Path path;
    private final ServerInfo info;

    private ServerInfoFile(Path path, ServerInfo info) {
        this.path = path;
        this.info = info;
    }

    /** @throws UncheckedIOException when the folder or file cannot be written */
    public static ServerInfoFile write(Path path, ServerInfo info) {
        Path file = path.toAbsolutePath();
        Path dir = file.getParent();
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        try {
            if (!Files.isDirectory(dir)) {
                if (posix) Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                else Files.createDirectories(dir);
            }
            FileAttribute<?>[] attrs = posix
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                    : new FileAttribute<?>[0];
            Path tmp = Files.createTempFile(dir, ".server-", ".json.tmp", attrs);
            try {
                Files.writeString(tmp, WireJson.write(info), StandardCharsets.UTF_8);
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return new ServerInfoFile(file, info);
    }

    public Path path() { return path; }

    public ServerInfo info() { return info; }

    /** Deletes the file if it still describes this server; never throws. */
    @Override
    public void close() {
        try {
            if (!Files.exists(path)) return;
            ServerInfo current = ServerInfo.read(path);
            if (current.pid() == info.pid() && current.url().equals(info.url())) Files.deleteIfExists(path);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "could not remove " + path + ": " + e.getMessage());
        }
    }
}
