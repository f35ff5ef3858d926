package dev.lathe.core.snapshot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
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
    private volatile boolean disabled;

    public Snapshots(Path dataDir, Path project) {
        this.workTree = project.toAbsolutePath().normalize();
        this.gitDir = dataDir.resolve("snapshot").resolve(hash(workTree.toString()));
    }

    public Path gitDir() { return gitDir; }

    /** The tree of the project's files as they are now; empty when snapshots are off. */
    public Optional<String> track() {
        if (disabled) return Optional.empty();
        lock.lock();
        try {
            init();
            git("add", "--all", "--", ".");
            for (String big : largeFiles()) git("rm", "--cached", "--quiet", "--", big);
            return Optional.of(git("write-tree").strip());
        } catch (SnapshotException e) {
            disabled = true;
            LOG.log(System.Logger.Level.WARNING, "snapshots are off for " + workTree + ": " + e.getMessage());
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /** Files that differ between two trees, relative to the project, sorted. */
    public List<String> changed(String fromTree, String toTree) {
        if (fromTree.equals(toTree)) return List.of();
        return lines(git("diff-tree", "-r", "--name-only", "--no-renames", fromTree, toTree));
    }

    /** Puts {@code files} back as they are in {@code tree}; a file the tree does not hold is deleted. */
    public void restore(String tree, List<String> files) {
        lock.lock();
        try {
            for (String file : files) {
                Path target = workTree.resolve(file).normalize();
                if (!target.startsWith(workTree)) continue;
                List<String> entry = lines(git("ls-tree", tree, "--", file));
                if (entry.isEmpty()) {
                    Files.deleteIfExists(target);
                } else {
                    String blob = entry.getFirst().split("\\s+")[2];
                    Files.createDirectories(target.getParent());
                    Files.write(target, gitBytes("cat-file", "blob", blob));
                }
            }
        } catch (IOException e) {
            throw new SnapshotException("cannot restore files: " + e.getMessage());
        } finally {
            lock.unlock();
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

    /** Repacks and prunes unreachable trees once the folder is over the quota. */
    public void collectGarbage() {
        if (disabled || !Files.isDirectory(gitDir) || size(gitDir) < QUOTA_BYTES) return;
        lock.lock();
        try {
            git("gc", "--prune=now", "--quiet");
        } catch (SnapshotException e) {
            LOG.log(System.Logger.Level.WARNING, "snapshot gc failed for " + workTree + ": " + e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    private void init() {
        if (Files.isDirectory(gitDir.resolve("objects"))) return;
        try {
            Files.createDirectories(gitDir);
        } catch (IOException e) {
            throw new SnapshotException("cannot create " + gitDir + ": " + e.getMessage());
        }
        git("init", "--quiet");
        try {
            // the user's repository is theirs; snapshots only see the work tree
            Files.createDirectories(gitDir.resolve("info"));
            Files.writeString(gitDir.resolve("info/exclude"), ".git/\n");
        } catch (IOException e) {
            throw new SnapshotException("cannot write the exclude file: " + e.getMessage());
        }
    }

    private List<String> largeFiles() {
        List<String> out = new ArrayList<>();
        for (String line : lines(git("ls-files", "--stage"))) {
            int tab = line.indexOf('\t');
            String path = line.substring(tab + 1);
            try {
                if (Files.size(workTree.resolve(path)) > MAX_FILE_BYTES) out.add(path);
            } catch (IOException e) {
                // gone since it was added: the next snapshot drops it anyway
            }
        }
        return out;
    }

    private String git(String... args) {
        return new String(gitBytes(args), StandardCharsets.UTF_8);
    }

    private byte[] gitBytes(String... args) {
        List<String> command = new ArrayList<>(List.of("git", "--git-dir=" + gitDir, "--work-tree=" + workTree,
                "-c", "core.autocrlf=false", "-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null",
                "-c", "core.quotepath=false", "-c", "gc.auto=0"));
        command.addAll(List.of(args));
        var pb = new ProcessBuilder(command).directory(workTree.toFile());
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        pb.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
        pb.environment().remove("GIT_DIR");
        pb.environment().remove("GIT_WORK_TREE");
        pb.environment().remove("GIT_INDEX_FILE");
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new SnapshotException("git " + args[0] + " timed out");
            }
            if (p.exitValue() != 0) throw new SnapshotException("git " + args[0] + " failed with exit " + p.exitValue());
            return out;
        } catch (IOException e) {
            throw new SnapshotException("cannot run git: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SnapshotException("interrupted");
        }
    }

    private static List<String> lines(String text) {
        return text.lines().filter(l -> !l.isBlank()).toList();
    }

    private static long size(Path dir) {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
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
