package dev.lathe.core.worktree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.trust.FolderTrust;
import dev.lathe.core.trust.TrustedFolders;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.WorktreeEnd;
import dev.lathe.protocol.api.WorktreeInfo;
import dev.lathe.testkit.TempWorkspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Worktrees} on real git repositories: what each bad input says, where a worktree starts, when one is kept. */
class WorktreesTest {
    @TempDir Path tmp;

    private final Worktrees worktrees = new Worktrees(_ -> Optional.empty());

    @Test
    void everyBadNameIsRefusedSayingWhyAndNothingIsCreated() {
        try (var ws = TempWorkspace.create()) {
            ws.write("a.txt", "x\n").initGitRepo();
            for (String bad : List.of("a/b", "a\\b", "..", "x..y", "-x", ".hidden", "has space", "x.lock", "star*", "colon:", "")) {
                assertThatThrownBy(() -> worktrees.create(ws.path(), Optional.of(bad), Worktrees.BaseRef.HEAD)).as(bad)
                        .isInstanceOf(LatheException.InvalidInput.class).hasMessageContaining("worktree name");
            }
            assertThat(ws.resolve(".lathe")).doesNotExist();
            assertThat(ws.git("branch", "--list", "lathe/*")).isEmpty();
            assertThat(Files.exists(ws.resolve(".git/info/exclude")) ? read(ws.resolve(".git/info/exclude")) : "").doesNotContain(".lathe");
        }
    }

    @Test
    void aFolderOutsideGitAndARepositoryWithoutACommitAreRefused() {
        try (var plain = TempWorkspace.create(); var empty = TempWorkspace.create()) {
            plain.write("a.txt", "x\n");
            assertThatThrownBy(() -> worktrees.create(plain.path(), Optional.of("x"), Worktrees.BaseRef.HEAD))
                    .isInstanceOf(LatheException.InvalidInput.class).hasMessageContaining("not a git repository");
            empty.git("init", "-q");
            assertThatThrownBy(() -> worktrees.create(empty.path(), Optional.of("x"), Worktrees.BaseRef.HEAD))
                    .isInstanceOf(LatheException.InvalidInput.class).hasMessageContaining("no commit yet");
            assertThat(empty.git("branch", "--list", "lathe/*")).isEmpty();
        }
    }

    @Test
    void freshStartsFromTheRemotesDefaultBranchNotTheLocalHead() {
        try (var origin = TempWorkspace.create()) {
            origin.write("a.txt", "remote\n").initGitRepo();
            String remoteHead = origin.git("rev-parse", "HEAD").strip();
            Path clone = tmp.resolve("clone");
            origin.git("clone", "-q", origin.path().toString(), clone.toString());
            git(clone, "commit", "-q", "--allow-empty", "-m", "local only");

            WorktreeInfo fresh = worktrees.create(clone, Optional.of("fresh"), Worktrees.BaseRef.FRESH);
            assertThat(git(Path.of(fresh.path()), "rev-parse", "HEAD").strip()).isEqualTo(remoteHead);
            WorktreeInfo head = worktrees.create(clone, Optional.of("head"), Worktrees.BaseRef.HEAD);
            assertThat(git(Path.of(head.path()), "rev-parse", "HEAD").strip()).isEqualTo(git(clone, "rev-parse", "HEAD").strip());
            assertThat(fresh.behind()).isEqualTo(1);

            try (var noRemote = TempWorkspace.create()) {
                noRemote.write("a.txt", "x\n").initGitRepo();
                assertThatThrownBy(() -> worktrees.create(noRemote.path(), Optional.of("x"), Worktrees.BaseRef.FRESH))
                        .isInstanceOf(LatheException.InvalidInput.class).hasMessageContaining("baseRef").hasMessageContaining("origin");
                assertThat(noRemote.resolve(".lathe")).doesNotExist();
            }
        }
    }

    @Test
    void aWorktreeWithANewCommitButNoUncommittedChangeIsKeptAndAnUntouchedOneGoesWithItsBranch() {
        try (var ws = TempWorkspace.create()) {
            ws.write("a.txt", "x\n").initGitRepo();
            WorktreeInfo committed = worktrees.create(ws.path(), Optional.of("committed"), Worktrees.BaseRef.HEAD);
            Path wt = Path.of(committed.path());
            write(wt.resolve("b.txt"), "y\n");
            git(wt, "add", "b.txt");
            git(wt, "commit", "-q", "-m", "b");
            assertThat(worktrees.get(ws.path(), "committed").ahead()).isEqualTo(1);
            assertThat(worktrees.end(ws.path(), "committed").ending()).isEqualTo(WorktreeEnd.Ending.kept);
            assertThat(wt).exists();

            WorktreeInfo untouched = worktrees.create(ws.path(), Optional.empty(), Worktrees.BaseRef.HEAD);
            assertThat(untouched.name()).matches("[a-z]+-[a-z]+");
            assertThat(untouched.branch()).isEqualTo("lathe/" + untouched.name());
            // ended from inside the worktree: its main checkout is found through it
            assertThat(worktrees.end(Path.of(untouched.path()), untouched.name()).ending()).isEqualTo(WorktreeEnd.Ending.removed);
            assertThat(Path.of(untouched.path())).doesNotExist();
            assertThat(ws.git("for-each-ref", "--format=%(refname:short)", "refs/heads/lathe").strip()).isEqualTo("lathe/committed");
            assertThat(worktrees.list(ws.path())).extracting(WorktreeInfo::name).containsExactly("committed");
        }
    }

    @Test
    void aWorktreeOfATrustedRepositoryIsTrustedAndItsSessionRecordsIt() throws Exception {
        try (var ws = TempWorkspace.create()) {
            ws.write("a.txt", "x\n").initGitRepo();
            WorktreeInfo t = worktrees.create(ws.path(), Optional.of("t"), Worktrees.BaseRef.HEAD);
            var trust = TrustedFolders.in(tmp.resolve("data"));
            assertThat(trust.of(Path.of(t.path()))).isEqualTo(FolderTrust.UNTRUSTED);
            trust.trust(ws.path());
            assertThat(trust.of(Path.of(t.path()))).isEqualTo(FolderTrust.TRUSTED);

            var recorded = WorktreeLocation.of(Path.of(t.path())).orElseThrow();
            assertThat(recorded.name()).isEqualTo("t");
            assertThat(recorded.branch()).isEqualTo("lathe/t");
            assertThat(recorded.mainCheckout()).isEqualTo(ws.path().toRealPath().toString());
            assertThat(WorktreeLocation.of(ws.path())).isEmpty();
        }
    }

    @Test
    void worktreeIncludeCopiesTheIgnoredFilesItNamesAndCreatingCostsFewGitProcesses() throws Exception {
        try (var ws = TempWorkspace.create()) {
            ws.write("a.txt", "x\n").write(".gitignore", ".env\nbuild/\nnode_modules/\n")
                    .write(".worktreeinclude", ".env\n*.local\nbuild/keep/\n").initGitRepo();
            ws.write(".env", "KEY=1\n").write("config.local", "named, not ignored\n").write("build/keep/a.bin", "kept\n")
                    .write("build/other/b.bin", "ignored, not named\n").write("node_modules/p/.env", "deep\n");
            long before = GitRun.STARTED.get();
            WorktreeInfo t = worktrees.create(ws.path(), Optional.of("inc"), Worktrees.BaseRef.HEAD);
            long started = GitRun.STARTED.get() - before;
            Path tree = Path.of(t.path());
            assertThat(read(tree.resolve(".env"))).isEqualTo("KEY=1\n");
            assertThat(read(tree.resolve("build/keep/a.bin"))).isEqualTo("kept\n");
            assertThat(read(tree.resolve("node_modules/p/.env"))).isEqualTo("deep\n");
            assertThat(tree.resolve("config.local")).doesNotExist();
            assertThat(tree.resolve("build/other")).doesNotExist();
            assertThat(t.dirty()).isFalse();
            assertThat(t.ahead()).isZero();
            assertThat(t.behind()).isZero();
            assertThat(git(tree, "status", "--porcelain")).isEmpty();
            // the options once, the top folder, the branch, HEAD, worktree add, the one walk and its check: seven
            // (eighteen before: the options for every command, a second walk, rev-parse and rev-list for what is known)
            assertThat(started).isLessThanOrEqualTo(7);
        }
    }

    static String git(Path dir, String... args) {
        var r = new GitRun(dir).run(withIdentity(args));
        if (!r.ok()) throw new IllegalStateException("git " + String.join(" ", args) + ": " + r.err());
        return r.out();
    }

    private static String[] withIdentity(String... args) {
        var all = new java.util.ArrayList<>(List.of("-c", "user.name=Lathe Test", "-c", "user.email=test@lathe.invalid", "-c", "commit.gpgsign=false"));
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

    private static void write(Path p, String text) {
        try {
            Files.writeString(p, text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aStartCommitRecordPlantedFromTheSandboxIsNeverAnArgumentToGit() throws Exception {
        // the worktree's admin folder is writable from its sandbox (issue 52): its lathe-base, handed to git diff and
        // git rev-list, must not become an option such as --output=FILE
        try (var ws = TempWorkspace.create()) {
            ws.write("a.txt", "x\n").initGitRepo();
            var info = worktrees.create(ws.path(), Optional.of("planted"), Worktrees.BaseRef.HEAD);
            Path marker = tmp.resolve("pwned");
            Files.writeString(ws.resolve(".git/worktrees/planted/lathe-base"), "--output=" + marker + "\n");
            String report = worktrees.report(ws.path(), "planted");
            worktrees.end(ws.path(), "planted");
            assertThat(marker).as(report).doesNotExist();
            assertThat(info.name()).isEqualTo("planted");
        }
    }

    @Test
    void aWorktreesGitPointerThatIsAFifoOrALinkOutIsNotFollowed() throws Exception {
        try (var ws = TempWorkspace.create()) {
            ws.write("a.txt", "x\n").initGitRepo();
            worktrees.create(ws.path(), Optional.of("piped"), Worktrees.BaseRef.HEAD);
            Path head = ws.resolve(".git/worktrees/piped/HEAD");
            Files.delete(head);
            org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder("mkfifo", head.toString()).start().waitFor() == 0, "mkfifo");
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
                    () -> assertThat(WorktreeLocation.of(ws.resolve(".lathe/worktrees/piped")).orElseThrow().branch()).isEqualTo("lathe/piped"));
        }
    }
}
