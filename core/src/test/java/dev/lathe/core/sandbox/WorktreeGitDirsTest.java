package dev.lathe.core.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code .git} file of a project and the {@code HEAD} it leads to are the agent's to write: the folders bound
 * writable for a linked worktree come from them, so they must never lead outside the repository's {@code .git}.
 */
class WorktreeGitDirsTest {
    @TempDir Path tmp;

    private static void git(Path dir, String... args) throws Exception {
        var cmd = new java.util.ArrayList<>(List.of("git", "-C", dir.toString(), "-c", "user.email=t@t", "-c", "user.name=t"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    @Test
    void aWorktreeLatheMadeGetsItsAdminFolderObjectsAndItsOwnBranchFolders() throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("repo")).toRealPath();
        git(repo, "init", "-q");
        git(repo, "commit", "-q", "--allow-empty", "-m", "start");
        Path wt = repo.resolve(".lathe/worktrees/brisk-otter");
        git(repo, "worktree", "add", "-q", "-b", "lathe/brisk-otter", wt.toString());

        List<Path> dirs = WorktreeGitDirs.of(wt.resolve(".git"));

        Path common = repo.resolve(".git");
        assertThat(dirs).containsExactly(common.resolve("worktrees/brisk-otter"), common.resolve("objects"), common.resolve("refs/heads/lathe"),
                common.resolve("logs/refs/heads/lathe"));
    }

    @Test
    void aForgedGitFileOrHeadLeadsNowhereOutsideTheRepository() throws Exception {
        // a project that is no repository: the agent writes .git, an admin folder and a HEAD whose ref climbs out
        Path project = Files.createDirectories(tmp.resolve("home/u/project")).toRealPath();
        Files.createDirectories(project.resolve("x/worktrees/y"));
        Files.createDirectories(project.resolve("x/refs/heads"));
        Files.writeString(project.resolve(".git"), "gitdir: x/worktrees/y\n");
        Files.writeString(project.resolve("x/worktrees/y/HEAD"), "ref: refs/heads/../../../../../../home/u/z\n");
        assertThat(WorktreeGitDirs.of(project.resolve(".git"))).isEmpty();

        // a real worktree whose HEAD the agent rewrote to climb out of refs/heads
        Path repo = Files.createDirectories(tmp.resolve("repo2")).toRealPath();
        git(repo, "init", "-q");
        git(repo, "commit", "-q", "--allow-empty", "-m", "start");
        Path wt = repo.resolve(".lathe/worktrees/calm-heron");
        git(repo, "worktree", "add", "-q", "-b", "lathe/calm-heron", wt.toString());
        Files.writeString(repo.resolve(".git/worktrees/calm-heron/HEAD"), "ref: refs/heads/../../../../home/u/z\n");
        List<Path> dirs = WorktreeGitDirs.of(wt.resolve(".git"));
        assertThat(dirs).allMatch(d -> d.startsWith(repo.resolve(".git")), "inside the repository's .git");
        assertThat(dirs).doesNotContain(repo.resolve(".git/refs/heads/.."));

        // a worktree elsewhere than REPO/.lathe/worktrees (a .git file pointing at another repository's admin folder)
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere")).toRealPath();
        Files.writeString(elsewhere.resolve(".git"), "gitdir: " + repo.resolve(".git/worktrees/calm-heron") + "\n");
        assertThat(WorktreeGitDirs.of(elsewhere.resolve(".git"))).isEmpty();
    }
}
