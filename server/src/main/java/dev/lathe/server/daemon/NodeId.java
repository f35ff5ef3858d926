package dev.lathe.server.daemon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * This server's node id (DESIGN §20): {@code node_} and 12 random hex digits, made once and kept in the state folder
 * ({@code node-id}), so a node restarted on the same folders is the same node and two nodes with folders of their own
 * differ. {@code GET /health} reports it.
 */
public final class NodeId {
    static final String FILE = "node-id";

    private NodeId() {}

    /** The node id kept in {@code stateDir}, without making one: for {@code lathe doctor}, which changes nothing. */
    public static java.util.Optional<String> kept(Path stateDir) {
        try {
            String kept = Files.readString(stateDir.resolve(FILE)).strip();
            return kept.matches("node_[0-9a-f]{12}") ? java.util.Optional.of(kept) : java.util.Optional.empty();
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    public static String in(Path stateDir) {
        Path file = stateDir.resolve(FILE);
        try {
            if (Files.isRegularFile(file)) {
                String kept = Files.readString(file).strip();
                if (kept.matches("node_[0-9a-f]{12}")) return kept;
            }
            byte[] random = new byte[6];
            new SecureRandom().nextBytes(random);
            String made = "node_" + HexFormat.of().formatHex(random);
            Files.createDirectories(stateDir);
            Path tmp = Files.createTempFile(stateDir, FILE, ".tmp");
            Files.writeString(tmp, made + "\n", StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return made;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the node id in " + file, e);
        }
    }
}
