package dev.lathe.core.trust;

import dev.lathe.core.auth.PrivateFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The folders the user trusted, and those they chose to keep untrusted when asked, in
 * {@code <data>/trust.json} ({@code {"trusted": [...], "declined": [...], "pins": {FOLDER: [HASH, ...]}}}, canonical
 * paths, 0600), with what the user approved of each trusted folder's definitions that run code ({@link TrustItem}). A folder is trusted
 * when it or a folder above it is listed, so trusting a repository covers its subfolders.
 *
 * <p>{@code lathe trust} writes the file from its own process while a daemon may be serving the folder, so every
 * question reads the file again when it changed (its file key, size and time: one {@code stat} otherwise), and the
 * next prompt sees the change (DESIGN §18). Two writers at the same instant are not expected (a person answering); the
 * last whole write wins.
 */
public final class TrustedFolders {
    private static final System.Logger LOG = System.getLogger(TrustedFolders.class.getName());
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path file;
    private volatile Snapshot snapshot = Snapshot.EMPTY;

    private TrustedFolders(Path file) {
        this.file = file;
    }

    /** The trusted folders recorded in {@code dataFolder}. */
    public static TrustedFolders in(Path dataFolder) {
        return new TrustedFolders(dataFolder.resolve("trust.json"));
    }

    public Path file() { return file; }

    /** Whether {@code directory}'s own definitions take effect: it or a folder above it was trusted. */
    public FolderTrust of(Path directory) {
        return coveringTrust(canonical(directory)).isPresent() ? FolderTrust.TRUSTED : FolderTrust.UNTRUSTED;
    }

    /**
     * Whether the user already answered for {@code directory} (trusted it or a folder above it, or declined it), so a
     * client asks only once.
     */
    public boolean answered(Path directory) {
        Path canonical = canonical(directory);
        return coveringTrust(canonical).isPresent() || current().declined().contains(canonical.toString());
    }

    /**
     * Trusts {@code directory} without approving anything it defines: every item it defines is withheld as changed
     * since trust until {@link #trust(Path, Collection)} pins it. @return its canonical path, as recorded
     */
    public synchronized Path trust(Path directory) {
        Path canonical = canonical(directory);
        return trust(directory, canonical, List.of());
    }

    /**
     * Trusts {@code directory} and pins what its project at {@code root} (the folder its configuration is read at)
     * defines that runs code as the user approved it: the {@link TrustItem#hash}es and {@link TrustItem#identity}s in
     * {@code approved}, replacing those pinned for {@code root} before (an item removed since needs no
     * approval; one added or changed after this is withheld until approved). @return its canonical path, as recorded
     */
    public synchronized Path trust(Path directory, Path root, Collection<String> approved) {
        Path canonical = canonical(directory);
        Snapshot s = current().copy();
        s.trusted().add(canonical.toString());
        s.declined().remove(canonical.toString());
        s.pins().put(canonical(root).toString(), new TreeSet<>(approved));
        write(s);
        return canonical;
    }

    /**
     * The item hashes pinned for a project at {@code root}: those pinned for it and for each folder above it (a
     * project's configuration is read at its root, whichever folder in it was trusted). A folder trusted before pins
     * existed pins nothing (DESIGN §18: everything it defines is new until approved).
     */
    public Set<String> pinsOf(Path root) {
        Snapshot s = current();
        Set<String> out = new HashSet<>();
        for (Path p = canonical(root); p != null; p = p.getParent()) out.addAll(s.pins().getOrDefault(p.toString(), new TreeSet<>()));
        return out;
    }

    /**
     * The gate what the project at {@code root} defines passes for a folder of {@code folderTrust}: in a trusted one,
     * what was pinned for it ({@link #pinsOf}); in an untrusted one, nothing.
     */
    public TrustGate gateOf(FolderTrust folderTrust, Path root) {
        return folderTrust.trusted() ? TrustGate.pinned(root, pinsOf(root)) : TrustGate.untrusted();
    }

    /** Forgets what was approved of the project at {@code root}, so everything it defines is new again. */
    public synchronized void unpin(Path root) {
        Snapshot s = current().copy();
        if (s.pins().remove(canonical(root).toString()) != null) write(s);
    }

    /** Records that the user chose not to trust {@code directory} (it is asked no more); @return its canonical path */
    public synchronized Path decline(Path directory) {
        Path canonical = canonical(directory);
        Snapshot s = current().copy();
        s.trusted().remove(canonical.toString());
        s.declined().add(canonical.toString());
        write(s);
        return canonical;
    }

    /**
     * Takes back the trust of {@code directory} and forgets any answer about it, so it is as it was before it was first
     * opened.
     */
    public synchronized Revoked revoke(Path directory) {
        Path canonical = canonical(directory);
        Snapshot s = current().copy();
        boolean listed = s.trusted().remove(canonical.toString()) | s.declined().remove(canonical.toString());
        s.pins().remove(canonical.toString());
        if (listed) write(s);
        return new Revoked(canonical, listed, coveringTrust(canonical));
    }

    /**
     * What {@link #revoke} did: {@code folder} (canonical) was {@code listed} or not, and is still trusted through
     * {@code stillTrustedBy}, a folder above it, when present.
     */
    public record Revoked(Path folder, boolean listed, Optional<Path> stillTrustedBy) {}

    /** The trusted folders, sorted. */
    public List<Path> list() {
        return current().trusted().stream().map(Path::of).toList();
    }

    private Optional<Path> coveringTrust(Path canonical) {
        var trusted = current().trusted();
        for (Path p = canonical; p != null; p = p.getParent()) if (trusted.contains(p.toString())) return Optional.of(p);
        return Optional.empty();
    }

    /** The folder as the file records it: every link resolved, or normalised when it does not exist. */
    public static Path canonical(Path directory) {
        Path absolute = directory.toAbsolutePath().normalize();
        try {
            return absolute.toRealPath();
        } catch (IOException e) {
            return absolute;
        }
    }

    /** The file's content as of now: read again only when its identity, size or time changed. */
    private Snapshot current() {
        BasicFileAttributes attributes;
        try {
            // looked at on every step: no exception for the usual missing file
            attributes = file.getFileSystem().provider().readAttributesIfExists(file, BasicFileAttributes.class);
            if (attributes == null) return Snapshot.EMPTY;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        Snapshot s = snapshot;
        String stamp = attributes.fileKey() + "/" + attributes.size() + "/" + attributes.lastModifiedTime().toMillis();
        if (!stamp.equals(s.stamp())) {
            s = read(stamp);
            snapshot = s;
        }
        return s;
    }

    private Snapshot read(String stamp) {
        try {
            JsonNode root = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
            var trusted = new TreeSet<String>();
            var declined = new TreeSet<String>();
            root.path("trusted").forEach(n -> trusted.add(n.asString()));
            root.path("declined").forEach(n -> declined.add(n.asString()));
            var pins = new TreeMap<String, TreeSet<String>>();
            for (var e : root.path("pins").properties()) {
                var hashes = new TreeSet<String>();
                e.getValue().forEach(n -> hashes.add(n.asString()));
                pins.put(e.getKey(), hashes);
            }
            return new Snapshot(stamp, trusted, declined, pins);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (JacksonException e) {
            // nothing is trusted rather than everything, and the server keeps answering: the user trusts again
            LOG.log(System.Logger.Level.WARNING, "{0} is not valid JSON; no folder is trusted until it is fixed or lathe trust writes it again", file);
            return new Snapshot(stamp, new TreeSet<>(), new TreeSet<>(), new TreeMap<>());
        }
    }

    private void write(Snapshot s) {
        ObjectNode root = JSON.createObjectNode();
        s.trusted().forEach(root.putArray("trusted")::add);
        s.declined().forEach(root.putArray("declined")::add);
        ObjectNode pins = root.putObject("pins");
        s.pins().forEach((folder, hashes) -> hashes.forEach(pins.putArray(folder)::add));
        try {
            PrivateFile.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The file's lists as last read, with the stamp they were read at; shared, so changed only as a {@link #copy}. */
    private record Snapshot(String stamp, TreeSet<String> trusted, TreeSet<String> declined, TreeMap<String, TreeSet<String>> pins) {
        static final Snapshot EMPTY = new Snapshot("", new TreeSet<>(), new TreeSet<>(), new TreeMap<>());

        Snapshot copy() {
            var p = new TreeMap<String, TreeSet<String>>();
            pins.forEach((k, v) -> p.put(k, new TreeSet<>(v)));
            return new Snapshot(stamp, new TreeSet<>(trusted), new TreeSet<>(declined), p);
        }
    }
}
