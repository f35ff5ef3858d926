package dev.lathe.tui;

import dev.lathe.protocol.SessionId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The session a terminal UI last showed in each folder, which a bare {@code lathe} opens again (issue 71): a session
 * of {@code lathe run}, a review or a schedule's run is the server's like any other, and only the UI itself knows which
 * one the user was working in. One small file per folder in the state folder (its name a hash of the folder's path,
 * its content the session id), written whole and replaced at once, readable by the user only. A file that cannot be
 * read or written is no session remembered, never an error: the UI then starts a new one.
 */
final class LastShown {
    private static final Pattern ID = Pattern.compile("ses_[A-Za-z0-9]{1,64}");

    private final Path folder;

    LastShown(Path folder) {
        this.folder = folder;
    }

    /** The session last shown in {@code directory}, if one is remembered. */
    Optional<SessionId> of(String directory) {
        Path file = folder.resolve(name(directory));
        try {
            // a link planted there is not followed, and a big file is not read: an id is short
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) > 200) return Optional.empty();
            String id = Files.readString(file, StandardCharsets.UTF_8).strip();
            return ID.matcher(id).matches() ? Optional.of(new SessionId(id)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Remembers {@code session} as the one last shown in {@code directory}. */
    void remember(String directory, SessionId session) {
        try {
            Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path temp = Files.createTempFile(folder, "last", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.writeString(temp, session.value() + "\n", StandardCharsets.UTF_8);
                Files.move(temp, folder.resolve(name(directory)), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // only a convenience: the session itself is kept by the server, and /sessions lists it
        }
    }

    private static String name(String directory) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(directory.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
