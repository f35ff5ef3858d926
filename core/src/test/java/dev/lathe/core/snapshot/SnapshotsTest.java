package dev.lathe.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real git, real files: snapshots of a project kept outside its own repository. */
class SnapshotsTest {
    @TempDir Path tmp;

    private static void git(Path dir, String... args) throws Exception {
        var command = new java.util.ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@t"));
        command.addAll(List.of(args));
        assertThat(new ProcessBuilder(command).directory(dir.toFile()).inheritIO().start().waitFor()).isZero();
    }

    @Test
    void changedFilesAreListedAndRestoredAndNewOnesDeleted() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("p"));
        Files.writeString(project.resolve("a.txt"), "one\n");
        Files.createDirectories(project.resolve("src"));
        Files.writeString(project.resolve("src/b.txt"), "bee\n");
        var snapshots = new Snapshots(tmp.resolve("data"), project, new dev.lathe.core.config.ServerEnvironment(System.getenv()).gitAttributes());

        String before = snapshots.track().orElseThrow();
        Files.writeString(project.resolve("a.txt"), "two\n");
        Files.writeString(project.resolve("src/new.txt"), "new\n");
        Files.delete(project.resolve("src/b.txt"));
        String after = snapshots.track().orElseThrow();

        assertThat(snapshots.changed(before, after)).containsExactly("a.txt", "src/b.txt", "src/new.txt");
        assertThat(snapshots.changed(after, after)).isEmpty();
        snapshots.restore(before, List.of("a.txt", "src/b.txt", "src/new.txt"));
        assertThat(Files.readString(project.resolve("a.txt"))).isEqualTo("one\n");
        assertThat(Files.readString(project.resolve("src/b.txt"))).isEqualTo("bee\n");
        assertThat(project.resolve("src/new.txt")).doesNotExist();
        assertThat(snapshots.gitDir()).startsWith(tmp.resolve("data"));
    }

    @Test
    void aSnapshotOfJustTheChangedFilesIsTheTreeAFullOneTakes() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("p"));
        Files.writeString(project.resolve(".gitignore"), "*.log\n");
        Files.writeString(project.resolve("a.txt"), "one\n");
        Files.createDirectories(project.resolve("src/deep"));
        Files.writeString(project.resolve("src/b.txt"), "bee\n");
        Files.writeString(project.resolve("src/deep/[c].txt"), "sea\n");
        var snapshots = new Snapshots(tmp.resolve("data"), project, new dev.lathe.core.config.ServerEnvironment(System.getenv()).gitAttributes());
        var full = new Snapshots(tmp.resolve("full"), project, new dev.lathe.core.config.ServerEnvironment(System.getenv()).gitAttributes());
        String before = snapshots.track().orElseThrow();

        // modified, created (a name that is a glob), deleted, and one outside the project, which no snapshot holds
        Files.writeString(project.resolve("a.txt"), "two\n");
        Files.writeString(project.resolve("src/deep/*.txt"), "star\n");
        Files.delete(project.resolve("src/b.txt"));
        Path outside = Files.writeString(tmp.resolve("elsewhere.txt"), "x\n");
        String after = snapshots.trackChanged(List.of(project.resolve("a.txt"), project.resolve("src/deep/*.txt"), project.resolve("src/b.txt"),
                outside)).orElseThrow();
        assertThat(after).isEqualTo(full.track().orElseThrow());
        assertThat(snapshots.changed(before, after)).containsExactly("a.txt", "src/b.txt", "src/deep/*.txt");

        // only the listed files are looked at: a change nobody reported waits for the next full snapshot
        Files.writeString(project.resolve("src/deep/[c].txt"), "unreported\n");
        Files.writeString(project.resolve("a.txt"), "two and a half\n");
        String listed = snapshots.trackChanged(List.of(project.resolve("a.txt"))).orElseThrow();
        assertThat(snapshots.changed(after, listed)).containsExactly("a.txt");
        assertThat(full.changed(after, full.track().orElseThrow())).containsExactly("a.txt", "src/deep/[c].txt");

        // an ignored file, and one that never was indexed and is gone again: git will not take them alone, so the
        // snapshot is a full one (and still leaves the ignored file out)
        Files.writeString(project.resolve("debug.log"), "noise\n");
        Files.writeString(project.resolve("a.txt"), "three\n");
        String ignored = snapshots.trackChanged(List.of(project.resolve("debug.log"), project.resolve("a.txt"))).orElseThrow();
        assertThat(ignored).isEqualTo(full.track().orElseThrow());
        assertThat(snapshots.changed(listed, ignored)).containsExactly("a.txt", "src/deep/[c].txt");
        Files.writeString(project.resolve("a.txt"), "four\n");
        String vanished = snapshots.trackChanged(List.of(project.resolve("never-indexed.txt"), project.resolve("a.txt"))).orElseThrow();
        assertThat(vanished).isEqualTo(full.track().orElseThrow());
    }

    @Test
    void editsOfFilesTheTreeHoldsAreWrittenWithoutGitAsTheTreeGitWouldWrite() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("p"));
        // names whose order in a tree depends on git's rule that a folder sorts as if it ended in "/"
        for (String name : List.of("a", "a-b/x.txt", "a.txt", "b/c/deep.txt", "b/c/alone/only.txt", "b/keep.txt", "ü.txt")) {
            Files.createDirectories(project.resolve(name).getParent());
            Files.writeString(project.resolve(name), name + "\n");
        }
        Path script = Files.writeString(project.resolve("b/run.sh"), "#!/bin/sh\n");
        Files.createSymbolicLink(project.resolve("b/link"), Path.of("keep.txt"));
        var snapshots = new Snapshots(tmp.resolve("data"), project, new dev.lathe.core.config.ServerEnvironment(System.getenv()).gitAttributes());
        String before = snapshots.track().orElseThrow();
        byte[] index = Files.readAllBytes(snapshots.gitDir().resolve("index"));

        Files.writeString(project.resolve("b/c/deep.txt"), "changed\n");
        Files.writeString(project.resolve("ü.txt"), "umlaut\n");
        Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.delete(project.resolve("b/link"));
        Files.createSymbolicLink(project.resolve("b/link"), Path.of("run.sh"));
        Files.delete(project.resolve("b/c/alone/only.txt"));
        Files.delete(project.resolve("b/c/alone"));
        Files.delete(project.resolve("a"));
        List<Path> reported = List.of("b/c/deep.txt", "ü.txt", "b/run.sh", "b/link", "b/c/alone/only.txt", "a", "a.txt").stream()
                .map(project::resolve).toList();
        String after = snapshots.trackChanged(reported).orElseThrow();

        // git did not run: its index is as the full snapshot left it; the tree is the one git writes for these files
        assertThat(Files.readAllBytes(snapshots.gitDir().resolve("index"))).isEqualTo(index);
        assertThat(after).isEqualTo(new Snapshots(tmp.resolve("full"), project, new dev.lathe.core.config.ServerEnvironment(System.getenv()).gitAttributes()).track().orElseThrow());
        // a.txt was reported but not changed
        List<String> listed = List.of("a", "b/c/alone/only.txt", "b/c/deep.txt", "b/link", "b/run.sh", "ü.txt");
        assertThat(snapshots.changed(before, after)).containsExactlyElementsOf(listed);
        assertThat(new Snapshots(tmp.resolve("data"), project, new dev.lathe.core.config.ServerEnvironment(System.getenv()).gitAttributes()).changed(before, after)).containsExactlyElementsOf(listed);

        // undo through git reads the objects written here
        snapshots.restore(before, listed);
        assertThat(Files.readString(project.resolve("b/c/alone/only.txt"))).isEqualTo("b/c/alone/only.txt\n");
        assertThat(Files.readSymbolicLink(project.resolve("b/link"))).isEqualTo(Path.of("keep.txt"));
        assertThat(Files.isExecutable(script)).isFalse();
        assertThat(snapshots.track().orElseThrow()).isEqualTo(before);
    }

    @Test
    void aNewFileAttributesOrAPackedTreeLeaveTheSnapshotToGit() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("p"));
        Files.createDirectories(project.resolve("src"));
        Files.writeString(project.resolve("src/a.txt"), "one\n");
        Files.writeString(project.resolve("b.txt"), "bee\n");
        var snapshots = new Snapshots(tmp.resolve("data"), project, new dev.lathe.core.config.ServerEnvironment(System.getenv()).gitAttributes());
        var full = new Snapshots(tmp.resolve("full"), project, new dev.lathe.core.config.ServerEnvironment(System.getenv()).gitAttributes());
        snapshots.track();

        // written directly; then a new file needs git, and git's index lacks the direct change: a full add takes both
        Files.writeString(project.resolve("src/a.txt"), "two\n");
        String direct = snapshots.trackChanged(List.of(project.resolve("src/a.txt"))).orElseThrow();
        Files.writeString(project.resolve("src/new.txt"), "new\n");
        Files.writeString(project.resolve("b.txt"), "unreported\n");
        String withNew = snapshots.trackChanged(List.of(project.resolve("src/new.txt"))).orElseThrow();
        assertThat(withNew).isEqualTo(full.track().orElseThrow());
        assertThat(snapshots.changed(direct, withNew)).containsExactly("b.txt", "src/new.txt");

        // attributes may make git store other bytes than the file's (here CRLF to LF): git takes the snapshot
        Files.writeString(project.resolve("src/.gitattributes"), "*.txt text\n");
        snapshots.track();
        Path gitIndex = snapshots.gitDir().resolve("index");
        byte[] index = Files.readAllBytes(gitIndex);
        Files.writeString(project.resolve("src/a.txt"), "three\r\n");
        String filtered = snapshots.trackChanged(List.of(project.resolve("src/a.txt"))).orElseThrow();
        assertThat(Files.readAllBytes(gitIndex)).isNotEqualTo(index);
        assertThat(filtered).isEqualTo(full.track().orElseThrow());
        Files.delete(project.resolve("src/.gitattributes"));
        // without the attributes the CRLF file's blob would depend on whether each index still holds a.txt's stat
        // as clean (git's racy-clean check, decided by timing): give it bytes both readings store alike
        Files.writeString(project.resolve("src/a.txt"), "three\n");

        // a quota gc packs the trees: the last one is no longer loose, so git writes the next
        snapshots.track();
        snapshots.gc(0);
        Files.writeString(project.resolve("b.txt"), "after gc\n");
        String packed = snapshots.trackChanged(List.of(project.resolve("b.txt"))).orElseThrow();
        assertThat(packed).isEqualTo(full.track().orElseThrow());
    }

    @Test
    void theUsersRepositoryIsUntouchedAndItsIgnoresAreHonoured() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("repo"));
        git(project, "init", "-q");
        Files.writeString(project.resolve(".gitignore"), "build/\n");
        Files.writeString(project.resolve("a.txt"), "one\n");
        git(project, "add", "-A");
        git(project, "commit", "-qm", "init");
        Files.createDirectories(project.resolve("build"));
        Files.writeString(project.resolve("build/out.bin"), "generated\n");
        Files.writeString(project.resolve("a.txt"), "changed, not staged\n");
        byte[] index = Files.readAllBytes(project.resolve(".git/index"));
        var snapshots = new Snapshots(tmp.resolve("data"), project, new dev.lathe.core.config.ServerEnvironment(System.getenv()).gitAttributes());

        String before = snapshots.track().orElseThrow();
        Files.writeString(project.resolve("build/out.bin"), "regenerated\n");
        String after = snapshots.track().orElseThrow();

        assertThat(snapshots.changed(before, after)).isEmpty();
        assertThat(Files.readAllBytes(project.resolve(".git/index"))).isEqualTo(index);
        var status = new ProcessBuilder("git", "status", "--porcelain").directory(project.toFile()).start();
        assertThat(new String(status.getInputStream().readAllBytes())).contains(" M a.txt").doesNotContain("A ");
    }

    @Test
    void largeFilesAreLeftOutAndKeptTreesAreFoundAgain() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("p"));
        Files.write(project.resolve("big.bin"), new byte[(int) Snapshots.MAX_FILE_BYTES + 1]);
        Files.writeString(project.resolve("small.txt"), "s\n");
        var snapshots = new Snapshots(tmp.resolve("data"), project, new dev.lathe.core.config.ServerEnvironment(System.getenv()).gitAttributes());

        String tree = snapshots.track().orElseThrow();
        Files.writeString(project.resolve("small.txt"), "t\n");
        String next = snapshots.track().orElseThrow();

        assertThat(snapshots.changed(tree, next)).containsExactly("small.txt");
        snapshots.keep("unrevert/x", Optional.of(tree));
        assertThat(snapshots.kept("unrevert/x")).contains(tree);
        snapshots.keep("unrevert/x", Optional.empty());
        assertThat(snapshots.kept("unrevert/x")).isEmpty();
    }

    @Test
    void largeFilesNeverReachTheObjectStoreAndOneThatGrowsPastTheCapIsListedAsChanged() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("p"));
        byte[] noise = new byte[(int) Snapshots.MAX_FILE_BYTES + 1];
        new java.util.Random(1).nextBytes(noise);
        Files.write(project.resolve("big.bin"), noise);
        Files.writeString(project.resolve("grows.txt"), "small\n");
        var snapshots = new Snapshots(tmp.resolve("data"), project, new dev.lathe.core.config.ServerEnvironment(System.getenv()).gitAttributes());

        String before = snapshots.track().orElseThrow();
        Files.write(project.resolve("grows.txt"), noise);
        String after = snapshots.track().orElseThrow();

        // random bytes do not compress: had git hashed either file, the folder would hold over 2 MB
        long stored;
        try (var files = Files.walk(snapshots.gitDir())) {
            stored = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
        assertThat(stored).isLessThan(Snapshots.MAX_FILE_BYTES);
        assertThat(snapshots.changed(before, after)).containsExactly("grows.txt");
        snapshots.restore(before, List.of("grows.txt"));
        assertThat(Files.readString(project.resolve("grows.txt"))).isEqualTo("small\n");
    }

    @Test
    void restoreKeepsTheExecutableBitAndSymlinksAndNeverWritesThroughALink() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("p"));
        Path script = Files.writeString(project.resolve("run.sh"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(project.resolve("link"), Path.of("run.sh"));
        Path outside = Files.writeString(tmp.resolve("outside.txt"), "keep\n");
        var snapshots = new Snapshots(tmp.resolve("data"), project, new dev.lathe.core.config.ServerEnvironment(System.getenv()).gitAttributes());

        String before = snapshots.track().orElseThrow();
        Files.delete(script);
        Files.createSymbolicLink(script, outside);
        Files.delete(project.resolve("link"));
        String after = snapshots.track().orElseThrow();

        assertThat(snapshots.changed(before, after)).containsExactly("link", "run.sh");
        snapshots.restore(before, List.of("link", "run.sh"));
        assertThat(Files.readString(outside)).isEqualTo("keep\n");
        assertThat(Files.isSymbolicLink(script)).isFalse();
        assertThat(Files.isExecutable(script)).isTrue();
        assertThat(Files.readSymbolicLink(project.resolve("link"))).isEqualTo(Path.of("run.sh"));
    }

    @Test
    void theSnapshotFolderIsOneGitReadsAndAHalfMadeOneIsCompleted() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("p"));
        Files.writeString(project.resolve("a.txt"), "one\n");
        var snapshots = new Snapshots(tmp.resolve("data"), project, new dev.lathe.core.config.ServerEnvironment(System.getenv()).gitAttributes());
        String tree = snapshots.track().orElseThrow();
        var fsck = new ProcessBuilder("git", "--git-dir=" + snapshots.gitDir(), "fsck", "--no-dangling").redirectErrorStream(true).start();
        // (notices only: its HEAD names a branch with no commit, as after git init)
        assertThat(new String(fsck.getInputStream().readAllBytes())).doesNotContain("error", "missing", "broken", "bad");
        assertThat(fsck.waitFor()).isZero();
        try (var siblings = Files.list(snapshots.gitDir().getParent())) {
            assertThat(siblings.toList()).containsExactly(snapshots.gitDir()); // no staging folder left
        }

        // a folder a crash left with something in it but no object store: git makes the rest
        var other = new Snapshots(tmp.resolve("data2"), project, new dev.lathe.core.config.ServerEnvironment(System.getenv()).gitAttributes());
        Files.createDirectories(other.gitDir());
        Files.writeString(other.gitDir().resolve("description"), "left over\n");
        assertThat(other.track()).contains(tree);
    }

    @Test
    void aStaleIndexLockLeftByAKilledProcessDoesNotTurnSnapshotsOff() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("p"));
        Files.writeString(project.resolve("a.txt"), "one\n");
        var first = new Snapshots(tmp.resolve("data"), project, new dev.lathe.core.config.ServerEnvironment(System.getenv()).gitAttributes());
        assertThat(first.track()).isPresent();

        Path lock = Files.createFile(first.gitDir().resolve("index.lock"));
        var again = new Snapshots(tmp.resolve("data"), project, new dev.lathe.core.config.ServerEnvironment(System.getenv()).gitAttributes());
        // a fresh lock may belong to a live git: this snapshot is skipped, not every later one
        assertThat(again.track()).isEmpty();
        Files.setLastModifiedTime(lock, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(600)));
        assertThat(again.track()).isPresent();
        assertThat(lock).doesNotExist();
    }

    @Test
    void callersThatAskWhileASnapshotRunsShareTheNextOneAndALaterCallerGetsAFreshOne() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("p"));
        Files.writeString(project.resolve("a.txt"), "one\n");
        var snapshots = new Snapshots(tmp.resolve("data"), project, new dev.lathe.core.config.ServerEnvironment(System.getenv()).gitAttributes());
        snapshots.track();
        long before = snapshots.taken();

        int callers = 8;
        var start = new java.util.concurrent.CountDownLatch(1);
        var trees = java.util.Collections.synchronizedSet(new java.util.HashSet<String>());
        List<Thread> threads = new java.util.ArrayList<>();
        for (int i = 0; i < callers; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                trees.add(snapshots.track().orElseThrow());
            }));
        }
        start.countDown();
        for (Thread t : threads) t.join();
        assertThat(trees).hasSize(1);
        assertThat(snapshots.taken() - before).as("git runs for %d callers at once", callers).isLessThan(callers);

        // nothing runs now: the next caller starts a snapshot of its own, which sees the change
        Files.writeString(project.resolve("a.txt"), "two\n");
        String after = snapshots.track().orElseThrow();
        assertThat(trees).doesNotContain(after);
        assertThat(snapshots.changed(trees.iterator().next(), after)).containsExactly("a.txt");
    }
    @Test
    void aFileAnotherWriterRemovesWhileTheSnapshotWalksDoesNotCostTheSnapshot() throws Exception {
        // another session or a build writing and deleting temporary files in the same folder: git add stops with
        // "unable to stat" (exit 128) when a file it listed is gone before it reads it (one add in six to ten here)
        Path project = Files.createDirectories(tmp.resolve("p"));
        Files.writeString(project.resolve("kept.txt"), "kept\n");
        var snapshots = new Snapshots(tmp.resolve("data"), project, new dev.lathe.core.config.ServerEnvironment(System.getenv()).gitAttributes());
        var stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread churn = Thread.ofPlatform().start(() -> {
            for (int i = 0; !stop.get(); i++) {
                try {
                    Files.writeString(project.resolve("t" + (i % 40) + ".tmp"), "x");
                    Files.deleteIfExists(project.resolve("t" + ((i + 20) % 40) + ".tmp"));
                    Thread.sleep(1);
                } catch (java.io.IOException | InterruptedException e) {
                    // the folder is going away with the test
                }
            }
        });
        try {
            for (int i = 0; i < 40; i++) assertThat(snapshots.track()).as("snapshot %d", i).isPresent();
        } finally {
            stop.set(true);
            churn.join();
        }
    }
}
