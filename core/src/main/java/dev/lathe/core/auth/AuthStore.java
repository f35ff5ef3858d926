package dev.lathe.core.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What {@code lathe auth login} saved: {@code <data>/auth.json}, one entry per provider, either a key
 * {@code {"type": "api", "key": "..."}} or a subscription's sign-in {@code {"type": "oauth", "access": "...",
 * "refresh": "...", "expires": EPOCH_MS, "accountId"?: "...", "endpoint"?: "..."}}; readable by its owner only. Writes
 * go through {@link PrivateFile}, so a crash never leaves a half-written or world-readable file. Every change reads,
 * changes and writes the whole file under the file's locks (one per file in this process, {@code auth.json.lock}
 * across processes), so a {@code lathe auth login} for one provider never drops what a renewal of another wrote at the
 * same moment; {@link #whileLocked} holds them over a longer change (a renewal's HTTP call). Keys and tokens are never
 * logged; {@link #toString} shows the file, the records show no secret.
 */
public final class AuthStore {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ConcurrentHashMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

    /** A change made under the file's locks. */
    @FunctionalInterface
    public interface Change<T, E extends Exception> {
        T run() throws E, InterruptedException;
    }

    /** One saved entry. */
    public sealed interface Credential {}

    /** An API key. */
    public record Key(String key) implements Credential {
        @Override public String toString() { return "Key[redacted]"; }
    }

    /**
     * A subscription's sign-in: the short-lived {@code access} token, the {@code refresh} token that renews it (for
     * GitHub Copilot: the GitHub token that is exchanged for Copilot tokens), when the access token expires (epoch ms;
     * 0: unknown, renew before use), the ChatGPT account it acts for, and the API endpoint the plan named (Copilot's
     * token answers its own).
     */
    public record OAuth(String access, String refresh, long expires, Optional<String> accountId, Optional<String> endpoint)
            implements Credential {
        @Override public String toString() {
            return "OAuth[redacted, expires=" + expires + ", accountId=" + accountId.isPresent() + ", endpoint=" + endpoint + "]";
        }
    }

    private final Path file;

    public AuthStore(Path file) {
        this.file = file;
    }

    public Path file() { return file; }

    /** The saved API key; empty for none or for a subscription's sign-in. */
    public Optional<String> key(String provider) {
        return credential(provider).flatMap(c -> c instanceof Key k ? Optional.of(k.key()) : Optional.empty());
    }

    /** The saved sign-in of a subscription; empty for none or for a key. */
    public Optional<OAuth> oauth(String provider) {
        return credential(provider).flatMap(c -> c instanceof OAuth o ? Optional.of(o) : Optional.empty());
    }

    public Optional<Credential> credential(String provider) { return Optional.ofNullable(read().get(provider)); }

    /** Provider ids with a saved key or sign-in, sorted. */
    public java.util.Set<String> providers() { return read().keySet(); }

    public void save(String provider, String key) { save(provider, new Key(key)); }

    /** Replaces whatever {@code provider} had: a key replaces a sign-in and the other way round. */
    public void save(String provider, Credential credential) {
        change(() -> {
            Map<String, Credential> all = read();
            all.put(provider, credential);
            write(all);
            return null;
        });
    }

    /** @return whether a key was saved for that provider */
    public boolean remove(String provider) {
        return change(() -> {
            Map<String, Credential> all = read();
            if (all.remove(provider) == null) return false;
            write(all);
            return true;
        });
    }

    /**
     * Runs {@code change} holding the file's locks, which {@link #save} and {@link #remove} take too (the same thread may
     * call them inside): whatever it reads stays what is stored until it returns, in this process and in any other Lathe.
     */
    public <T, E extends Exception> T whileLocked(Change<T, E> change) throws E, InterruptedException {
        ReentrantLock lock = lock();
        lock.lockInterruptibly();
        return holding(lock, change);
    }

    private ReentrantLock lock() {
        return LOCKS.computeIfAbsent(file.toAbsolutePath().normalize(), f -> new ReentrantLock());
    }

    /** Runs {@code change} with {@code lock} held (and releases it), taking the file lock when this is the outermost hold. */
    private <T, E extends Exception> T holding(ReentrantLock lock, Change<T, E> change) throws E, InterruptedException {
        try (AcrossProcesses _ = lock.getHoldCount() == 1 ? acrossProcesses() : AcrossProcesses.NONE) {
            return change.run();
        } finally {
            lock.unlock();
        }
    }

    /** A read-modify-write of the file under its locks; waits for them uninterruptibly (a write is short). */
    private <T> T change(java.util.function.Supplier<T> change) {
        ReentrantLock lock = lock();
        lock.lock();
        try {
            return holding(lock, change::get);
        } catch (InterruptedException cannot) {
            throw new IllegalStateException(cannot); // a Supplier declares none
        }
    }

    /** The exclusive lock on {@code auth.json.lock}; none when the folder cannot hold one (this process still serialises). */
    private interface AcrossProcesses extends AutoCloseable {
        AcrossProcesses NONE = () -> { };

        @Override void close();
    }

    private AcrossProcesses acrossProcesses() {
        Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
        FileChannel channel = null;
        try {
            Files.createDirectories(lockFile.getParent());
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock held = channel.lock();
            FileChannel open = channel;
            return () -> {
                try {
                    held.release();
                    open.close();
                } catch (IOException ignored) {
                    // closing the channel releases the lock anyway
                }
            };
        } catch (IOException | OverlappingFileLockException e) {
            // an unwritable folder, or an interrupt while waiting: another process may at worst interleave a change
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // nothing held
                }
            }
            return AcrossProcesses.NONE;
        }
    }

    private Map<String, Credential> read() {
        Map<String, Credential> out = new TreeMap<>();
        if (!Files.exists(file)) return out;
        try {
            JsonNode root = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
            for (Map.Entry<String, JsonNode> e : root.properties()) {
                JsonNode v = e.getValue();
                if (v.path("type").asString("").equals("oauth")) {
                    String access = v.path("access").asString("");
                    String refresh = v.path("refresh").asString("");
                    if (!refresh.isEmpty() || !access.isEmpty()) {
                        out.put(e.getKey(), new OAuth(access, refresh, v.path("expires").asLong(0), text(v, "accountId"), text(v, "endpoint")));
                    }
                    continue;
                }
                String key = v.isString() ? v.asString() : v.path("key").asString("");
                if (!key.isEmpty()) out.put(e.getKey(), new Key(key));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (JacksonException e) {
            throw new IllegalStateException(file + " is not valid JSON; fix or delete it and log in again");
        }
        return out;
    }

    private static Optional<String> text(JsonNode node, String field) {
        String s = node.path(field).asString("");
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    private void write(Map<String, Credential> all) {
        var root = JSON.createObjectNode();
        all.forEach((provider, credential) -> {
            ObjectNode entry = root.putObject(provider);
            switch (credential) {
                case Key k -> entry.put("type", "api").put("key", k.key());
                case OAuth o -> {
                    entry.put("type", "oauth").put("access", o.access()).put("refresh", o.refresh()).put("expires", o.expires());
                    o.accountId().ifPresent(a -> entry.put("accountId", a));
                    o.endpoint().ifPresent(a -> entry.put("endpoint", a));
                }
            }
        });
        try {
            PrivateFile.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    @Override public String toString() { return "AuthStore[" + file + "]"; }
}
