package dev.lathe.core.network;

import dev.lathe.protocol.wire.WireJson;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every outbound connection local-only mode refused, server-wide, each once: an attempt is the same as an earlier one
 * when its folder, host and purpose are (a model retried ten times, a page fetched twice, is one entry). Bounded: the
 * oldest of more than {@link #MAX} go. Each new entry goes to {@code listener} (the server publishes it as
 * {@code network.blocked}) and, when a file is given, the whole list is written to it, which {@code lathe doctor} reads
 * in its own process ({@link #read}).
 */
public final class BlockedConnections {
    private static final System.Logger LOG = System.getLogger(BlockedConnections.class.getName());
    static final int MAX = 200;

    /**
     * One refused attempt: {@code folder} the project whose session made it (empty for the server's own, the catalog
     * refresh), {@code host} what would have been contacted, {@code by} who ({@link Purpose#label}).
     */
    public record Blocked(String folder, String host, String by, long at) {
        String key() { return folder + "\n" + host + "\n" + by; }
    }

    /** Who hears of each new entry, once (the server publishes it as {@code network.blocked}; decision 536). */
    @FunctionalInterface
    public interface Listener {
        void blocked(Blocked first);
    }

    private final Optional<Path> file;
    private final Listener listener;
    private final Map<String, Blocked> entries = new LinkedHashMap<>();

    public BlockedConnections(Optional<Path> file, Listener listener) {
        this.file = file;
        this.listener = listener;
    }

    /** The file a server keeps its record in, under Lathe's state folder ({@code LathePaths.state()}). */
    public static Path fileIn(Path stateFolder) { return stateFolder.resolve("network-blocked.jsonl"); }

    /** A record kept in memory only, telling nobody (tests, and tools that make no connection). */
    public static BlockedConnections inMemory() { return new BlockedConnections(Optional.empty(), _ -> { }); }

    /** Records that {@code purpose} was refused {@code target} for the project at {@code folder}; true the first time. */
    public boolean record(String folder, Purpose purpose, URI target) {
        var blocked = new Blocked(folder, NetworkPolicy.host(target), purpose.label(), System.currentTimeMillis());
        synchronized (entries) {
            if (entries.containsKey(blocked.key())) return false;
            entries.put(blocked.key(), blocked);
            while (entries.size() > MAX) entries.remove(entries.keySet().iterator().next());
            // written under the same lock the list is changed under: an older list can never replace a newer one in the
            // file (two refusals at once, each written by its own thread, finished in either order)
            file.ifPresent(f -> write(f, List.copyOf(entries.values())));
        }
        LOG.log(System.Logger.Level.INFO, "local-only mode blocked {0} to {1} ({2})", blocked.by(), blocked.host(),
                folder.isEmpty() ? "server" : folder);
        listener.blocked(blocked);
        return true;
    }

    /** Everything recorded, oldest first. */
    public List<Blocked> all() {
        synchronized (entries) {
            return List.copyOf(entries.values());
        }
    }

    /** What concerns the project at {@code folder}: its own entries and the server's (folder empty), oldest first. */
    public List<Blocked> concerning(String folder) {
        return all().stream().filter(b -> b.folder().isEmpty() || b.folder().equals(folder)).toList();
    }

    /** What the last server to run recorded in {@code file}; empty when it has none or it does not parse. */
    public static List<Blocked> read(Path file) {
        if (!Files.isRegularFile(file)) return List.of();
        try {
            List<Blocked> out = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) out.add(WireJson.mapper().readValue(line, Blocked.class));
            }
            return List.copyOf(out);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "ignoring {0}: {1}", file, e.getMessage());
            return List.of();
        }
    }

    private static void write(Path file, List<Blocked> all) {
        try {
            Files.createDirectories(file.getParent());
            var text = new StringBuilder();
            for (Blocked b : all) text.append(WireJson.write(b)).append('\n');
            Path tmp = Files.createTempFile(file.getParent(), "blocked", ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not write {0}: {1}", file, e.getMessage());
        }
    }
}
