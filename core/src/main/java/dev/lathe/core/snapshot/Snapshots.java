package dev.lathe.core.snapshot;

import dev.lathe.core.git.HostGit;
import dev.lathe.protocol.api.FileDiff;
import dev.lathe.tools.FileGateway;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The snapshot store of one project folder: a git directory under the data folder whose work tree is the project,
 * so snapshots honour {@code .gitignore} and never touch the user's {@code .git}. A snapshot is a tree object (no
 * commits, no branches); {@code refs/lathe/*} keep the trees still needed by a pending revert alive across gc.
 * Files over {@link #MAX_FILE_BYTES} are left out. When git is missing or fails, snapshots are simply off.
 */
public final class Snapshots {
    public static final long MAX_FILE_BYTES = 2L * 1024 * 1024;
    /** Above this size the snapshot folder is repacked and unreachable objects pruned. */
    public static final long QUOTA_BYTES = 512L * 1024 * 1024;

    private static final System.Logger LOG = System.getLogger(Snapshots.class.getName());

    private final Path gitDir;
    private final Path workTree;
    private final ReentrantLock lock = new ReentrantLock();
    private static final Duration STALE_LOCK = Duration.ofMinutes(2);

    /** Full snapshots, shared by the callers that ask while one is pending (see {@link #track}). */
    private final SharedRun<Optional<String>> full = new SharedRun<>(lock);
    private final java.util.concurrent.atomic.AtomicLong taken = new java.util.concurrent.atomic.AtomicLong();
    /** The last tree taken (under {@link #lock}): what {@link #trackChanged} writes its changes onto; null when unknown. */
    private String lastTree;
    /** Whether a tree was written since git's index last matched the work tree (then git may only take full snapshots). */
    private boolean indexBehind;
    /** The last tree written directly, with the files it changed: {@link #changed} needs no git for it. */
    private volatile Transition lastDirect;
    private volatile boolean disabled;
    private volatile String lastWarning = "";

    private record Transition(String from, String to, List<String> changed) {}

    /** Attributes git reads for every repository (the system's, the user's {@code core.attributesFile}): they may filter content. */
    private final List<Path> globalAttributes;

    /** Snapshots of {@code project} kept under {@code dataDir}; {@code userAttributes} is the user's git attributes file. */
    public Snapshots(Path dataDir, Path project, Path userAttributes) {
        this.globalAttributes = List.of(Path.of("/etc/gitattributes"), userAttributes);
        this.workTree = project.toAbsolutePath().normalize();
        this.gitDir = dataDir.resolve("snapshot").resolve(hash(workTree.toString()));
    }

    public Path gitDir() { return gitDir; }

    /**
     * The tree of the project's files as they are now; empty when snapshots are off. A missing git turns them off for
     * good (logged once); any other failure skips this one snapshot, so a transient error does not end undo for the
     * rest of the process.
     */
    public Optional<String> track() {
        if (disabled) return Optional.empty();
        // callers that arrive while a snapshot runs share the next one, which starts after all of them asked: any
        // tree taken after a caller asked is a right answer for it. Fifty sessions of one folder starting their turns
        // together (or a turn's subagents) run a couple of snapshots instead of fifty in a row (bench ServerBench)
        return full.get(this::trackNow);
    }

    /** Snapshots taken so far (each a git run), shared ones counted once. */
    long taken() { return taken.get(); }

    /**
     * The tree after a change to {@code files} (absolute paths) and nothing else since the last snapshot, as the edit
     * tools report them. Files the last tree already holds are written into the object store directly ({@link
     * TreeEdit}); otherwise only those paths are added, so git neither walks the tree for new files nor checks every
     * indexed one (on a 50,000-file project a full snapshot took ~250 ms of git, two full passes over the tree). A path
     * git will not take alone (ignored, gone without having been indexed, over the size cap) falls back to a full
     * snapshot, as does a store with no index yet; paths outside the project are not part of any snapshot.
     */
    public Optional<String> trackChanged(java.util.Collection<Path> files) {
        if (disabled) return Optional.empty();
        lock.lock();
        try {
            if (!Files.exists(gitDir.resolve("index"))) return trackNow();
            List<Path> inside = new ArrayList<>();
            for (Path file : files) {
                Path absolute = file.toAbsolutePath().normalize();
                if (!absolute.startsWith(workTree) || absolute.equals(workTree)) continue;
                if (oversized(absolute)) return trackNow();
                inside.add(absolute);
            }
            Optional<String> direct = written(inside);
            if (direct.isPresent()) return direct;
            // the index does not hold the trees written directly: only a full add brings it up to date
            if (indexBehind) return trackNow();
            StringBuilder pathspecs = new StringBuilder();
            for (Path file : inside) pathspecs.append(":(literal)").append(relative(file)).append('\0');
            clearStaleLock();
            try {
                if (!pathspecs.isEmpty()) gitWithInput(pathspecs.toString(), "add", "--all", "--pathspec-from-file=-", "--pathspec-file-nul");
            } catch (SnapshotException e) {
                if (e.gitMissing()) throw e;
                return trackNow();
            }
            taken.incrementAndGet();
            return remembered(git("write-tree").strip());
        } catch (SnapshotException e) {
            return skipped(e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The last tree with {@code files} as they are now, written without git; empty when git must decide: no last tree
     * known, a file it does not hold, something other than a file or symlink at a path, or attributes (a {@code
     * .gitattributes} on the way, a user-wide one) that may make git store other bytes than the file's.
     */
    private Optional<String> written(List<Path> files) {
        if (lastTree == null || files.isEmpty() || globalAttributes.stream().anyMatch(Files::exists)) return Optional.empty();
        Map<String, TreeEdit.Change> changes = new TreeMap<>();
        // the project's files through the gateway: a file swapped for a link after the check below is refused (git
        // then decides), never its target's bytes stored and later restored as a plain file
        var gateway = FileGateway.of(workTree, FileGateway.ReadRules.NONE);
        try {
            for (Path file : files) {
                for (Path dir = file.getParent(); dir.startsWith(workTree); dir = dir.getParent()) {
                    if (Files.exists(dir.resolve(".gitattributes"), LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
                }
                TreeEdit.Change change;
                if (Files.isSymbolicLink(file)) {
                    change = new TreeEdit.Change.Written("120000", Files.readSymbolicLink(file).toString().getBytes(StandardCharsets.UTF_8));
                } else if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    // git's rule with core.filemode: executable by its owner or not
                    boolean executable = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS).contains(PosixFilePermission.OWNER_EXECUTE);
                    change = new TreeEdit.Change.Written(executable ? "100755" : "100644", gateway.readAllBytes(file));
                } else if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                    change = new TreeEdit.Change.Removed();
                } else {
                    return Optional.empty();
                }
                changes.put(relative(file), change);
            }
            Optional<TreeEdit.Result> result = TreeEdit.apply(new LooseObjects(gitDir), lastTree, changes);
            if (result.isEmpty()) return Optional.empty();
            taken.incrementAndGet();
            lastDirect = new Transition(lastTree, result.get().tree(), result.get().changed());
            indexBehind = true;
            return remembered(result.get().tree());
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /** Records {@code tree} as the last one taken: the base of the next tree written directly. */
    private Optional<String> remembered(String tree) {
        lastTree = tree;
        return Optional.of(tree);
    }

    private String relative(Path absolute) {
        return workTree.relativize(absolute).toString().replace('\\', '/');
    }

    /** A missing git turns snapshots off for good; any other failure skips this one (logged once either way). */
    private Optional<String> skipped(SnapshotException e) {
        if (e.gitMissing()) disabled = true;
        warnOnce((disabled ? "snapshots are off for " : "snapshot skipped for ") + workTree + ": " + e.getMessage());
        return Optional.empty();
    }

    /** A regular file over {@link #MAX_FILE_BYTES}; false for anything gone or unreadable (git reports those itself). */
    private static boolean oversized(Path file) {
        try {
            return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.size(file) > MAX_FILE_BYTES;
        } catch (IOException e) {
            return false;
        }
    }

    /** One snapshot, under {@link #lock}. */
    private Optional<String> trackNow() {
        taken.incrementAndGet();
        try {
            init();
            clearStaleLock();
            // over-cap files are kept out before add, so git never reads or stores them; those already in the
            // index (they grew past the cap) are dropped from it, so the step that grew them lists them as changed
            List<String> oversized = oversized();
            if (!oversized.isEmpty()) {
                List<String> indexed = lines(git("ls-files", "-z", "--", "."), '\0');
                for (String big : oversized) if (indexed.contains(big)) git("update-index", "--force-remove", "--", big);
            }
            StringBuilder pathspecs = new StringBuilder(".\0");
            for (String big : oversized) pathspecs.append(":(exclude,literal)").append(big).append('\0');
            addAll(pathspecs.toString());
            indexBehind = false;
            return remembered(git("write-tree").strip());
        } catch (SnapshotException e) {
            return skipped(e);
        }
    }

    /**
     * {@code git add --all} of the whole tree. Git stops with "unable to stat" (exit 128) when a file it listed is gone
     * before it reads it: another session, a background agent or a build in the same folder that writes and deletes a
     * temporary file at that moment. The index is left as it was, so the add is tried again, up to {@link
     * #ADD_ATTEMPTS} times, leaving out each file git named as gone (it is being deleted: the snapshot does not need
     * it, and a loaded machine that loses the race once tends to lose it again on the same rotating names), before the
     * step goes on without its undo record (a persistent failure fails each try quickly).
     */
    private void addAll(String pathspecs) {
        StringBuilder specs = new StringBuilder(pathspecs);
        for (int attempt = 1; ; attempt++) {
            try {
                gitWithInput(specs.toString(), "add", "--all", "--pathspec-from-file=-", "--pathspec-file-nul");
                return;
            } catch (SnapshotException e) {
                // only that race is tried again: an unreadable file fails every add, and many full adds a step would
                // cost a large project seconds
                Optional<String> gone = vanished(e);
                if (e.gitMissing() || attempt == ADD_ATTEMPTS || gone.isEmpty()) throw e;
                if (!gone.get().isEmpty()) specs.append(":(exclude,literal)").append(gone.get()).append('\0');
            }
        }
    }

    private static final int ADD_ATTEMPTS = 8;
    private static final java.util.regex.Pattern UNABLE_TO_STAT = java.util.regex.Pattern.compile(
            "unable to stat '([^'\"\\\\\n]+)': No such file or directory");

    /**
     * The file git add said was gone when it read it (its message, C locale: {@link #run}); an empty name when git
     * quoted it (a name with a quote, backslash or control character), which is tried again without leaving it out.
     */
    private static Optional<String> vanished(SnapshotException e) {
        String said = String.valueOf(e.getMessage());
        if (!said.contains("unable to stat") || !said.contains("No such file or directory")) return Optional.empty();
        var named = UNABLE_TO_STAT.matcher(said);
        return Optional.of(named.find() ? named.group(1) : "");
    }

    /** Files that differ between two trees, relative to the project, sorted. */
    public List<String> changed(String fromTree, String toTree) {
        if (fromTree.equals(toTree)) return List.of();
        // the step that wrote a tree directly knows what it changed
        Transition direct = lastDirect;
        if (direct != null && direct.from().equals(fromTree) && direct.to().equals(toTree)) return direct.changed();
        // NUL-separated: git quotes a name holding a control character (a newline, an escape) on a line of its own, and a
        // quoted name is no path (the step's patch part would name a file that is not there, and undo would skip it)
        return lines(git("diff-tree", "-r", "--name-only", "--no-renames", "-z", fromTree, toTree), '\0');
    }

    /**
     * Puts {@code files} back as they are in {@code tree}, with their mode (executable bit, symlink); a file the tree
     * does not hold is deleted. Whatever is at the path is removed first, so a symlink the model left there is
     * replaced, never written through. Answers the files it wrote, by their real paths (those a tool records it
     * read, so a restore can count as what the model saw: {@code FileReads#restored}).
     */
    public List<Path> restore(String tree, List<String> files) {
        List<Path> written = new ArrayList<>();
        lock.lock();
        try {
            // the restored files are no longer what the last tree holds: the next snapshot is a full one
            lastTree = null;
            for (String file : files) {
                Path target = workTree.resolve(file).normalize();
                if (!target.startsWith(workTree) || target.equals(workTree)) continue;
                List<String> entry = lines(git("ls-tree", tree, "--", file));
                // a folder swapped for a symlink must not carry a restore outside the project: not even the delete
                if (!insideProject(target.getParent())) continue;
                Files.deleteIfExists(target);
                if (entry.isEmpty()) continue;
                String[] fields = entry.getFirst().split("\\s+");
                String mode = fields[0];
                byte[] content = gitBytes("cat-file", "blob", fields[2]);
                Files.createDirectories(target.getParent());
                if (!target.getParent().toRealPath().startsWith(workTree.toRealPath())) continue;
                if (mode.equals("120000")) {
                    Files.createSymbolicLink(target, Path.of(new String(content, StandardCharsets.UTF_8)));
                } else {
                    // a new file, never through a link planted since the delete above (a process the agent left running)
                    Files.write(target, content, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
                    if (mode.equals("100755")) executable(target);
                    written.add(target.getParent().toRealPath().resolve(target.getFileName()));
                }
            }
            return written;
        } catch (IOException e) {
            throw new SnapshotException("cannot restore files: " + e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@code dir}, or the nearest folder above it that exists, resolves (links followed) inside the project. */
    private boolean insideProject(Path dir) throws IOException {
        Path existing = dir;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) existing = existing.getParent();
        if (existing == null) return false;
        try {
            return existing.toRealPath().startsWith(workTree.toRealPath());
        } catch (NoSuchFileException dangling) {
            return false;
        }
    }

    /**
     * What changed in {@code paths} (relative to the project) from {@code fromTree} to {@code toTree}: one entry per
     * file that differs, as a unified diff with added/deleted line counts; a binary file has an empty patch and no
     * counts. Paths that did not change are left out.
     */
    public List<FileDiff> diff(String fromTree, String toTree, List<String> paths) {
        return new TreeDiff(this).between(fromTree, toTree, paths);
    }

    /** Whether {@code tree} is still stored: a quota gc prunes the trees no ref keeps. */
    public boolean has(String tree) {
        try {
            git("cat-file", "-e", tree + "^{tree}");
            return true;
        } catch (SnapshotException e) {
            return false;
        }
    }

    /** Keeps {@code tree} alive under {@code refs/lathe/<name>} (or drops the ref when empty). */
    public void keep(String name, Optional<String> tree) {
        if (tree.isPresent()) git("update-ref", "refs/lathe/" + name, tree.get());
        else git("update-ref", "-d", "refs/lathe/" + name);
    }

    public Optional<String> kept(String name) {
        try {
            return Optional.of(git("rev-parse", "--verify", "--quiet", "refs/lathe/" + name).strip()).filter(s -> !s.isEmpty());
        } catch (SnapshotException e) {
            return Optional.empty();
        }
    }

    /** {@link #gc(long)} under the default {@link #QUOTA_BYTES}; run between turns. */
    public void collectGarbage() {
        gc(QUOTA_BYTES);
    }

    /**
     * Repacks and prunes unreachable trees once the folder is over {@code quotaBytes}. Trees of patch parts are not
     * referenced, so old ones go; a pending revert's tree is kept by its {@code refs/lathe} ref. Undo of a turn whose
     * trees were pruned fails rather than restoring the wrong content.
     */
    public void gc(long quotaBytes) {
        if (disabled || !Files.isDirectory(gitDir) || size(gitDir) < quotaBytes) return;
        lock.lock();
        try {
            git("gc", "--prune=now", "--quiet");
        } catch (SnapshotException e) {
            LOG.log(System.Logger.Level.WARNING, "snapshot gc failed for " + workTree + ": " + e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Creates the snapshot folder, as {@code git init} would but without its process (~20 ms of the first snapshot on a
     * busy machine, most of it copying sample hooks): the layout is built beside and moved into place, so a crash
     * never leaves a folder that looks made but is not. Where the file system may need {@code git init}'s probes
     * (file modes, case, Unicode forms: not Linux), git makes it.
     */
    private void init() {
        if (Files.isDirectory(gitDir.resolve("objects"))) return;
        try {
            Files.createDirectories(gitDir.getParent());
            if (System.getProperty("os.name").equals("Linux")) {
                Path staging = Files.createTempDirectory(gitDir.getParent(), gitDir.getFileName() + ".new-");
                for (String dir : List.of("objects/info", "objects/pack", "refs/heads", "refs/tags")) Files.createDirectories(staging.resolve(dir));
                Files.writeString(staging.resolve("HEAD"), "ref: refs/heads/main\n");
                Files.writeString(staging.resolve("config"), "[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n");
                // a case-insensitive file system (a casefolded folder) is one git init marks
                if (Files.exists(staging.resolve("CONFIG"))) Files.writeString(staging.resolve("config"), "\tignorecase = true\n", StandardOpenOption.APPEND);
                writeExclude(staging);
                try {
                    Files.move(staging, gitDir, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    // made meanwhile, or half made by a crash of an older version (the folder, then git init): git
                    // completes that below, or says what is wrong
                    deleteTree(staging);
                }
            }
            if (Files.isDirectory(gitDir.resolve("objects"))) return;
            Files.createDirectories(gitDir);
            git("init", "--quiet");
            writeExclude(gitDir);
        } catch (IOException e) {
            throw new SnapshotException("cannot create " + gitDir + ": " + e.getMessage());
        }
    }

    /** The user's repository is theirs: snapshots see only the work tree. */
    private static void writeExclude(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("info"));
        Files.writeString(dir.resolve("info/exclude"), ".git/\n");
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** New or modified files (not ignored) over the size cap, and indexed files that grew past it. */
    private List<String> oversized() {
        List<String> out = new ArrayList<>();
        for (String path : lines(git("ls-files", "-z", "--others", "--modified", "--exclude-standard", "--", "."), '\0')) {
            // a deletion (ls-files lists those as modified) or a file gone meanwhile is not oversized: add handles it
            if (oversized(workTree.resolve(path)) && !out.contains(path)) out.add(path);
        }
        return out;
    }

    /**
     * A Lathe killed in the middle of {@code git add} leaves {@code index.lock} behind, and every later add would
     * fail. Git's own commands here time out after a minute, so an older lock has no live owner.
     */
    private void clearStaleLock() {
        Path lockFile = gitDir.resolve("index.lock");
        try {
            if (Files.exists(lockFile) && Files.getLastModifiedTime(lockFile).toInstant().isBefore(Instant.now().minus(STALE_LOCK))) {
                Files.deleteIfExists(lockFile);
                LOG.log(System.Logger.Level.INFO, "removed a stale " + lockFile);
            }
        } catch (IOException e) {
            // add reports the lock if it is still there
        }
    }

    private void warnOnce(String message) {
        if (message.equals(lastWarning)) return;
        lastWarning = message;
        LOG.log(System.Logger.Level.WARNING, message);
    }

    private static void executable(Path file) throws IOException {
        try {
            var perms = new java.util.HashSet<>(Files.getPosixFilePermissions(file));
            perms.addAll(List.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE));
            Files.setPosixFilePermissions(file, perms);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: there is no executable bit to keep
        }
    }

    String git(String... args) {
        return new String(gitBytes(args), StandardCharsets.UTF_8);
    }

    private void gitWithInput(String input, String... args) {
        run(input.getBytes(StandardCharsets.UTF_8), args);
    }

    private byte[] gitBytes(String... args) {
        return run(new byte[0], args);
    }

    private byte[] run(byte[] input, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "--git-dir=" + gitDir, "--work-tree=" + workTree));
        // a repository a command made inside the project is a submodule to this store: never entered (HostGit)
        command.addAll(HostGit.options());
        // but add always asks each submodule whether it is dirty (git status there, under its own configuration): the
        // programs the nested repositories' configurations name are made inert for that git too
        if (args.length > 0 && args[0].equals("add")) command.addAll(nestedRepositoryOptions());
        command.addAll(List.of("-c", "core.autocrlf=false", "-c", "core.quotepath=false", "-c", "gc.auto=0"));
        command.addAll(List.of(args));
        var pb = new ProcessBuilder(command).directory(workTree.toFile());
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        pb.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
        pb.environment().remove("GIT_DIR");
        pb.environment().remove("GIT_WORK_TREE");
        pb.environment().remove("GIT_INDEX_FILE");
        // add prints nothing on success: its messages join its output, which a failure reports (addAll reads it), in
        // the C locale where git's messages are not translated; every other command's are discarded
        boolean add = args.length > 0 && args[0].equals("add");
        if (add) {
            pb.environment().put("LC_ALL", "C");
            pb.redirectErrorStream(true);
        } else {
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new SnapshotException("cannot run git: " + e.getMessage(), true);
        }
        try {
            try (var stdin = p.getOutputStream()) {
                stdin.write(input);
            }
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new SnapshotException("git " + args[0] + " timed out");
            }
            if (p.exitValue() != 0) {
                // git's fatal message is its last line (warnings may come before it)
                String said = add ? ": " + new String(out, StandardCharsets.UTF_8).strip().lines().reduce((a, b) -> b).orElse("") : "";
                throw new SnapshotException("git " + args[0] + " failed with exit " + p.exitValue() + said);
            }
            return out;
        } catch (IOException e) {
            p.destroyForcibly();
            throw new SnapshotException("git " + args[0] + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SnapshotException("interrupted");
        }
    }

    /** The program keys of every repository nested in the project that the store's index holds as a submodule, made inert. */
    private List<String> nestedRepositoryOptions() {
        // a store with no index holds no submodule: the first snapshot of a project starts one git run fewer
        if (!Files.exists(gitDir.resolve("index"))) return List.of();
        List<Path> nested = new ArrayList<>();
        for (String entry : lines(git("ls-files", "-z", "--stage"), '\0')) {
            // MODE OBJECT STAGE<TAB>PATH; 160000 is a submodule
            int tab = entry.indexOf('\t');
            if (entry.startsWith("160000 ") && tab > 0) nested.add(workTree.resolve(entry.substring(tab + 1)));
        }
        return HostGit.inertProgramsOf(nested);
    }

    private static List<String> lines(String text) {
        return text.lines().filter(l -> !l.isBlank()).toList();
    }

    private static List<String> lines(String text, char separator) {
        return java.util.Arrays.stream(text.split(String.valueOf(separator))).filter(l -> !l.isEmpty()).toList();
    }

    private static long size(Path dir) {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            // a file git removes while we walk (its index.lock) ends the walk: measured again between the next turns
            return 0;
        }
    }

    private static String hash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
