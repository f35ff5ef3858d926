package dev.lathe.server.http;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where the web logins outlive the server: one line per login, {@code SHA-256-of-cookie-and-key last-use-millis [user]}
 * (the user only for a team server's account, DESIGN §20), in a file
 * only the user can read ({@code $XDG_STATE_HOME/lathe/web-logins}). Only hashes are kept, so the file cannot be
 * replayed as a cookie. Deleting it logs every browser out at the next server start. Without a file (an in-process
 * server) logins last as long as the process.
 */
final class WebLoginStore {
    private static final System.Logger LOG = System.getLogger(WebLoginStore.class.getName());

    private final Optional<Path> file;

    WebLoginStore(Optional<Path> file) {
        this.file = file;
    }

    static WebLoginStore inMemory() { return new WebLoginStore(Optional.empty()); }

    /** A saved login: when it was last used and whose it is ({@code ""}: the local admin's). */
    record Saved(long lastUse, String user) {}

    /** The logins saved earlier, oldest first; none when the file is missing or unreadable (the user logs in again). */
    Map<String, Saved> load() {
        var out = new LinkedHashMap<String, Saved>();
        if (file.isEmpty() || !Files.isRegularFile(file.get())) return out;
        try {
            for (String line : Files.readAllLines(file.get())) {
                String[] f = line.strip().split(" ");
                if ((f.length == 2 || f.length == 3) && f[0].matches("[0-9a-f]{64}") && f[1].matches("[0-9]{1,19}")) {
                    out.put(f[0], new Saved(Long.parseLong(f[1]), f.length == 3 ? f[2] : ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            LOG.log(Level.WARNING, "cannot read the web logins in " + file.get() + " (browsers log in again): " + e.getMessage());
        }
        return out;
    }

    /** Replaces the saved logins; a failure only means browsers log in again after a restart. */
    void save(Map<String, Saved> logins) {
        if (file.isEmpty()) return;
        Path target = file.get();
        var text = new StringBuilder();
        logins.forEach((hash, saved) -> text.append(hash).append(' ').append(saved.lastUse())
                .append(saved.user().isEmpty() ? "" : " " + saved.user()).append('\n'));
        Path tmp = null;
        try {
            Files.createDirectories(target.getParent());
            tmp = Files.createTempFile(target.getParent(), ".web-logins", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, text);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
        } catch (IOException | UnsupportedOperationException e) {
            LOG.log(Level.WARNING, "cannot save the web logins to " + target + " (browsers log in again after a restart): " + e.getMessage());
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    LOG.log(Level.DEBUG, "cannot remove " + tmp + ": " + e.getMessage());
                }
            }
        }
    }
}
