package dev.lathe.tools;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one way Lathe itself reads, copies or hashes a file that comes from a project, a worktree, an import or a path
 * a configuration names (DESIGN §24, issue 52). Every such file passes the same three checks, made here and nowhere
 * else:
 * <ol>
 *   <li><b>Where it really is.</b> The path is resolved to its real path by the gateway; a real path outside the
 *       allowed roots (a link, or a link in a parent folder, leading out of the project) is refused.</li>
 *   <li><b>What it is.</b> The real path is opened without following links ({@link OpenedFile}: the kernel's name of the
 *       opened file must be the path checked), and the checks below are made on the file the handle holds, so a file
 *       swapped in between a check and the read is never the one read.</li>
 *   <li><b>Who it is.</b> The project's {@code read} rules apply to every name of that file: the path as found, its real
 *       path, and, for a file with several hard links, each other name in the project (same device and inode). A link
 *       or a hard link to a denied {@code .env} is that {@code .env}.</li>
 * </ol>
 * What comes out is an open handle ({@link Opened}), never a path to open again. A copy is made from that handle and
 * must not lose a rule: a file is copied only under a name the rules hold back at least as strictly as every name the
 * file has (a copy of {@code .env} as {@code .env} keeps its rule; a link {@code notes -> .env} copied as a plain
 * {@code notes} would not, so it is refused).
 *
 * <p>A rule test ({@code ProjectFileReadsTest} in app) fails when main code reads or copies a file with
 * {@code Files.copy}, {@code Files.read*}, {@code Files.newInputStream} and the like anywhere but here or in the short
 * list of classes that read Lathe's own files. An instance is cheap; its index of hard links is built at the first
 * file with more than one link and kept, so make one per operation (one worktree, one prompt), not one per server.
 */
public final class FileGateway {
    /** How strictly a {@code read} rule holds a name back, stricter last. */
    public enum Hold { NONE, ASK, DENY }

    /** The project's {@code read} rules as the gateway applies them: how strictly they hold back {@code path} (absolute). */
    @FunctionalInterface
    public interface ReadRules {
        Hold hold(Path path);

        /** No rules: only where a file really is, and what it is, are checked. */
        ReadRules NONE = _ -> Hold.NONE;
    }

    /** A file the gateway will not hand out, with the reason in words (for a log line or a note to the user). */
    public static final class Refused extends IOException {
        Refused(Path file, String reason) {
            super(file + ": " + reason);
        }
    }

    /** An open file: its real path, and a stream of exactly the file that was checked. Close it. */
    public record Opened(Path real, InputStream in) implements Closeable {
        public byte[] readAllBytes() throws IOException {
            return in.readAllBytes();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** The most of a git pointer file, a {@code HEAD} or another git record read ({@link #readRecord}): they are a line or two. */
    public static final int RECORD_MAX_BYTES = 64 * 1024;

    /** How many project entries the hard-link index visits before it stops; a file with several links is then refused. */
    static final int MAX_WALK = 200_000;

    private final Path project;
    private final List<Path> roots;
    private final ReadRules rules;
    private final Names names;
    private Map<Object, List<Path>> namesByKey;
    private boolean walkCut;

    /** Whether a file with several names (hard links) may be read: by its rules, or not at all. */
    private enum Names { JUDGED, ONE_ONLY }

    private FileGateway(Path project, List<Path> roots, ReadRules rules) {
        this(project, roots, rules, Names.JUDGED);
    }

    private FileGateway(Path project, List<Path> roots, ReadRules rules, Names names) {
        this.project = project;
        this.roots = List.copyOf(roots);
        this.rules = rules;
        this.names = names;
    }

    /**
     * The gateway for the files of {@code project}: real paths must stay inside it, and {@code rules} apply to every
     * name of a file, the other names looked up inside it.
     */
    public static FileGateway of(Path project, ReadRules rules) {
        Path real = real(project.toAbsolutePath().normalize());
        return new FileGateway(real, List.of(real), rules);
    }

    /**
     * A gateway with no project and no rules: a regular file anywhere, reached through whatever links (what the shell
     * or the class loader would reach), still opened as one no-follow handle on its real path, never a FIFO or a
     * device. For what trust hashes and pins ({@code ReferencedFiles}, plugin jars, script tools, language servers):
     * a hash tells nothing of the content, and the bytes hashed must be those used.
     */
    public static FileGateway anywhere() {
        Path root = Path.of("/").toAbsolutePath();
        return new FileGateway(root, List.of(root), ReadRules.NONE);
    }

    /** This gateway, letting real paths lie below {@code root} too (a folder the user trusted links into, their own folders). */
    public FileGateway alsoWithin(Path root) {
        List<Path> more = new ArrayList<>(roots);
        more.add(real(root.toAbsolutePath().normalize()));
        var wider = new FileGateway(project, more, rules, names);
        wider.namesByKey = namesByKey;
        wider.walkCut = walkCut;
        return wider;
    }

    /**
     * This gateway, refusing every file that has more than one name (a hard link): for the files read before the
     * {@code read} rules that would judge those names are known — the configuration that states them, a project's
     * {@code lathe.json} — where a hard link of a denied {@code .env}, or of a file outside the project, would otherwise
     * be read as if it were the project's own. Git never checks out a file with two names.
     */
    public FileGateway oneNameOnly() {
        return new FileGateway(project, roots, rules, Names.ONE_ONLY);
    }

    /**
     * A small record Lathe parses and never hands out (a {@code .git} pointer file, a worktree's {@code HEAD}, a git
     * admin record), read only when it is a regular file really inside its own folder — not a link, a FIFO or a device —
     * and at most {@code maxBytes} long. Git's admin records of a worktree are writable from its sandbox (issue 52), so
     * they are untrusted input like any project file.
     */
    public static String readRecord(Path file, int maxBytes) throws IOException {
        Path absolute = file.toAbsolutePath().normalize();
        Path folder = absolute.getParent();
        if (folder == null) throw new Refused(absolute, "it is not a file in a folder");
        return of(folder, ReadRules.NONE).oneNameOnly().readString(absolute, maxBytes);
    }

    /** The folder whose names the rules judge and whose hard links are looked up, real. */
    public Path project() {
        return project;
    }

    /**
     * {@code file} opened for reading, when its real path is inside the roots and no rule denies any of its names.
     *
     * @throws Refused when it leads out of the roots, is a link swapped in, is not a regular file, or a name is denied
     * @throws IOException when it does not exist or cannot be read
     */
    public Opened open(Path file) throws IOException {
        return open(file, Hold.DENY);
    }

    /**
     * As {@link #open(Path)}, refusing a file when any of its names is held back at {@code refusedFrom} or stricter:
     * {@link Hold#ASK} for a read nobody can be asked about (a prompt being built), {@link Hold#DENY} otherwise.
     */
    public Opened open(Path file, Hold refusedFrom) throws IOException {
        Path found = file.toAbsolutePath().normalize();
        OpenedFile.Handle h = handle(found);
        try {
            for (Path name : names(found, h)) {
                Hold hold = rules.hold(name);
                if (hold.compareTo(refusedFrom) >= 0 && hold != Hold.NONE) {
                    throw new Refused(found, "a read rule holds back (" + hold.name().toLowerCase(java.util.Locale.ROOT) + ") " + shown(name)
                            + (name.equals(found) ? "" : ", another name of this file"));
                }
            }
            return new Opened(h.real(), h.in());
        } catch (IOException | RuntimeException e) {
            h.in().close();
            throw e;
        }
    }

    /**
     * As {@link #open(Path)}, refused when the file holds more than {@code maxBytes}: by its size when opened (a 2 GB
     * file is refused before a byte is read), and by what its stream yields (a file growing while it is read ends in a
     * {@link Refused} past the cap), so nothing a project names can make Lathe hold more than the cap.
     */
    public Opened open(Path file, long maxBytes) throws IOException {
        Opened o = open(file);
        try {
            long size = Files.size(o.real());
            if (size > maxBytes) throw new Refused(o.real(), tooLarge(size, maxBytes));
            return new Opened(o.real(), new Capped(o.in(), o.real(), maxBytes));
        } catch (IOException | RuntimeException e) {
            o.close();
            throw e;
        }
    }

    /** The text of {@code file} as UTF-8, through {@link #open(Path, long)}: refused when longer than {@code maxBytes}. */
    public String readString(Path file, long maxBytes) throws IOException {
        try (Opened o = open(file, maxBytes)) {
            return new String(o.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The bytes of {@code file}, through {@link #open}. */
    public byte[] readAllBytes(Path file) throws IOException {
        try (Opened o = open(file)) {
            return o.readAllBytes();
        }
    }

    /** The text of {@code file} as UTF-8, through {@link #open}. */
    public String readString(Path file) throws IOException {
        return new String(readAllBytes(file), StandardCharsets.UTF_8);
    }

    /** The SHA-256 of {@code file}'s bytes (lowercase hex), read through {@link #open}. */
    public String sha256(Path file) throws IOException {
        try (Opened o = open(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = o.in().read(buffer)) > 0; ) digest.update(buffer, 0, n);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Copies {@code from} to {@code to} (a new file, its permissions and time kept), where {@code to} carries
     * {@code from}'s name relative to this gateway's project (a worktree's copy of a main checkout's file): the rules
     * that hold back {@code from} by its own name hold back the copy. So the copy is refused when any other name of
     * the file — its real path behind a link, another hard link — is held back more strictly than that name. The
     * destination's folder must be its own real path (no link on the way), and the copy is created new.
     *
     * @throws Refused as {@link #open}, or when the copy would lose a rule
     */
    public void copy(Path from, Path to) throws IOException {
        Path found = from.toAbsolutePath().normalize();
        OpenedFile.Handle h = handle(found);
        try (InputStream in = h.in()) {
            Hold own = rules.hold(found);
            for (Path name : names(found, h)) {
                Hold hold = rules.hold(name);
                if (hold.compareTo(own) > 0) {
                    throw new Refused(found, "it is " + (name.equals(h.real()) ? "a link to " : "another name (a hard link) of ") + shown(name)
                            + ", which a read rule holds back (" + hold.name().toLowerCase(java.util.Locale.ROOT) + "); a copy under this name would not be");
                }
            }
            Path folder = Files.createDirectories(to.toAbsolutePath().normalize().getParent());
            // a folder of the destination that is a link (a worktree's checkout may track one where the main checkout
            // has a folder) would carry the copy out of it
            if (!folder.toRealPath().equals(folder)) throw new Refused(to, "its folder " + folder + " is reached through a link");
            Files.deleteIfExists(to);
            Files.copy(in, to); // a new file: a link swapped in at this name fails the create, it is not followed
            var attrs = Files.readAttributes(h.real(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            try {
                Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(h.real(), LinkOption.NOFOLLOW_LINKS));
            } catch (UnsupportedOperationException e) {
                // no POSIX permissions here: the copy has the default ones
            }
            Files.setLastModifiedTime(to, attrs.lastModifiedTime());
        }
    }

    /** The file's real path checked against the roots, then opened without following links. */
    private OpenedFile.Handle handle(Path found) throws IOException {
        Path real = found.toRealPath();
        if (roots.stream().noneMatch(real::startsWith)) {
            throw new Refused(found, "it leads to " + real + ", outside " + (roots.size() == 1 ? roots.getFirst() : roots));
        }
        try {
            return OpenedFile.handle(real);
        } catch (IOException e) {
            throw new Refused(found, e.getMessage());
        }
    }

    /** Every name of the file {@code h} holds that the rules judge: as found, its real path, its other hard links in the project. */
    private List<Path> names(Path found, OpenedFile.Handle h) throws Refused {
        List<Path> out = new ArrayList<>(List.of(found));
        if (!h.real().equals(found)) out.add(h.real());
        if (names == Names.ONE_ONLY && h.links() > 1) {
            throw new Refused(found, "it has " + h.links() + " names (hard links), and another name may be a file a read rule holds back or one outside "
                    + project + "; copy it to a file of its own");
        }
        // the file system's root is no project: a file's other names are looked up in a project only
        // with no rules no name can be held back: no look-up (nor its walk)
        if (h.links() < 2 || h.fileKey() == null || project.getParent() == null || rules == ReadRules.NONE) return out;
        Map<Object, List<Path>> index = index();
        if (walkCut) throw new Refused(found, "it has " + h.links() + " hard links and the project is too large (over " + MAX_WALK
                + " entries) to find its other names");
        for (Path other : index.getOrDefault(h.fileKey(), List.of())) if (!out.contains(other)) out.add(other);
        return out;
    }

    /** The names of every regular file in the project by identity, built once (links not followed). */
    private synchronized Map<Object, List<Path>> index() {
        if (namesByKey != null) return namesByKey;
        Map<Object, List<Path>> byKey = new HashMap<>();
        int[] seen = {0};
        try {
            Files.walkFileTree(project, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return stop() ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                    if (stop()) return FileVisitResult.TERMINATE;
                    if (attrs.isRegularFile() && attrs.fileKey() != null) byKey.computeIfAbsent(attrs.fileKey(), _ -> new ArrayList<>(1)).add(f);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path f, IOException e) {
                    return FileVisitResult.CONTINUE;
                }

                private boolean stop() {
                    if (++seen[0] <= MAX_WALK) return false;
                    walkCut = true;
                    return true;
                }
            });
        } catch (IOException e) {
            walkCut = true; // an unreadable project: its other names are unknown, so multi-link files are refused
        }
        byKey.values().removeIf(names -> names.size() < 2);
        namesByKey = byKey;
        return byKey;
    }

    /** The other names of the file at {@code file} (real, regular) inside the project; empty for a file with one link. */
    public List<Path> otherNames(Path file) {
        try {
            int links = ((Number) Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).intValue();
            Object key = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            if (links < 2 || key == null || project.getParent() == null) return List.of();
            return index().getOrDefault(key, List.of()).stream().filter(p -> !Objects.equals(p, file)).toList();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return List.of();
        }
    }

    private static String tooLarge(long size, long maxBytes) {
        return "it holds " + bytes(size) + ", more than the " + bytes(maxBytes) + " read from such a file";
    }

    /** A size as people read it: "8 MiB", "1.9 GiB", "512 bytes". */
    static String bytes(long n) {
        if (n >= 1L << 30) return String.format(java.util.Locale.ROOT, "%.1f GiB", n / (double) (1L << 30));
        if (n >= 1L << 20) return n % (1L << 20) == 0 ? (n >> 20) + " MiB" : String.format(java.util.Locale.ROOT, "%.1f MiB", n / (double) (1L << 20));
        if (n >= 1L << 10) return n % (1L << 10) == 0 ? (n >> 10) + " KiB" : String.format(java.util.Locale.ROOT, "%.1f KiB", n / (double) (1L << 10));
        return n + " bytes";
    }

    /** A stream that ends in {@link Refused} once more than {@code cap} bytes have come: a file grown since it was opened. */
    private static final class Capped extends java.io.FilterInputStream {
        private final Path file;
        private final long cap;
        private long read;

        Capped(InputStream in, Path file, long cap) {
            super(in);
            this.file = file;
            this.cap = cap;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count(1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            // never more than one byte past the cap is asked for, so a file that grows without end is not held
            int n = super.read(b, off, (int) Math.min(len, cap + 1 - read));
            if (n > 0) count(n);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(Math.min(n, cap + 1 - read));
            if (skipped > 0) count(skipped);
            return skipped;
        }

        private void count(long n) throws Refused {
            read += n;
            if (read > cap) throw new Refused(file, "it grew past the " + bytes(cap) + " read from such a file while it was read");
        }
    }

    private String shown(Path p) {
        return p.startsWith(project) ? project.relativize(p).toString().replace('\\', '/') : p.toString();
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p;
        }
    }
}
