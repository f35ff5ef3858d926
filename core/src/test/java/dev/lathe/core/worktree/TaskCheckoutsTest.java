package dev.lathe.core.worktree;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A team node's copies of fleet tasks (issue 45) with real git and a bare repository on disk: a deleted session's
 * worktree and local branch leave the node's copy (its pushed branch stays in the repository), and the prune at a node's
 * start removes the worktrees of tasks no session has any more, never one of a live session.
 */
class TaskCheckoutsTest {
    @TempDir Path tmp;

    private Path origin() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work"));
        git(work, "init", "--quiet", "--initial-branch=main");
        Files.writeString(work.resolve("README.md"), "the project\n");
        git(work, "add", "README.md");
        git(work, "-c", "user.name=T", "-c", "user.email=t@localhost", "commit", "--quiet", "-m", "first");
        Path origin = tmp.resolve("origin.git");
        git(tmp, "clone", "--quiet", "--bare", work.toString(), origin.toString());
        return origin;
    }

    /** A task started on this node as {@code FleetTasks} does: a new worktree of the copy at the base commit. */
    private static Path start(TaskCheckouts checkouts, Worktrees worktrees, String repo, String name) {
        return checkouts.startNew(repo, Optional.empty(), Optional.of(name),
                s -> Path.of(worktrees.create(s.copy(), Optional.of(s.name()), Worktrees.BaseRef.HEAD).path()));
    }

    @Test
    void aDeletedTasksWorktreeAndLocalBranchLeaveTheCopyAndItsPushedBranchStays() throws Exception {
        String repo = origin().toString();
        var worktrees = new Worktrees(_ -> Optional.empty());
        var checkouts = new TaskCheckouts(tmp.resolve("data/tasks"), worktrees);
        Path done = start(checkouts, worktrees, repo, "done-task");
        Path kept = start(checkouts, worktrees, repo, "kept-task");
        Files.writeString(done.resolve("work.txt"), "work\n");
        checkouts.push(done, "done-task", "a turn");
        Path copy = Worktrees.mainCheckout(done);
        // the copy is named after the repository (the board and lathe sessions name a repository by its folder), the
        // folder above it after the URL's hash, so two repositories of one name stay apart (issue 53)
        assertThat(copy.getFileName().toString()).isEqualTo("origin");
        assertThat(copy.getParent().getFileName().toString()).matches("origin-[0-9a-f]{12}");

        checkouts.remove(repo, "done-task");

        assertThat(done).doesNotExist();
        assertThat(git(copy, "branch", "--list", "lathe/done-task")).isBlank();
        assertThat(git(copy, "worktree", "list")).doesNotContain("done-task").contains("kept-task");
        assertThat(git(Path.of(repo), "show", "lathe/done-task:work.txt")).isEqualTo("work\n");
        assertThat(kept.resolve("README.md")).exists();
        checkouts.remove(repo, "done-task");  // once more: nothing left to remove, no failure
    }

    @Test
    void thePruneRemovesTheWorktreesOfTasksNoSessionHasAndKeepsTheLiveOnes() throws Exception {
        String repo = origin().toString();
        var worktrees = new Worktrees(_ -> Optional.empty());
        Path root = tmp.resolve("data/tasks");
        var checkouts = new TaskCheckouts(root, worktrees);
        Path live = start(checkouts, worktrees, repo, "live-task");
        Path gone = start(checkouts, worktrees, repo, "gone-task");
        Path alsoGone = start(checkouts, worktrees, repo, "also-gone");
        Files.writeString(live.resolve("unpushed.txt"), "a live session's work in progress\n");
        Path partial = Files.createDirectories(root.resolve("app-0123456789ab.partial"));  // a clone a crash left half made
        Path copy = Worktrees.mainCheckout(live);
        Path partialBeside = Files.createDirectories(copy.resolveSibling("origin.partial"));  // the same, beside a clone

        // a node starting again: a new TaskCheckouts over the same folder, the store's live tasks
        var removed = new TaskCheckouts(root, worktrees).prune(() -> List.of(new TaskCheckouts.Task(repo, "live-task")));

        assertThat(removed).containsExactlyInAnyOrder(gone, alsoGone);
        assertThat(gone).doesNotExist();
        assertThat(alsoGone).doesNotExist();
        assertThat(partial).doesNotExist();
        assertThat(partialBeside).doesNotExist();
        assertThat(live.resolve("unpushed.txt")).hasContent("a live session's work in progress");
        assertThat(git(copy, "branch", "--list", "lathe/*")).contains("lathe/live-task").doesNotContain("gone");
        assertThat(new TaskCheckouts(root, worktrees).prune(() -> List.of(new TaskCheckouts.Task(repo, "live-task")))).isEmpty();
        assertThat(new TaskCheckouts(tmp.resolve("nothing-yet"), worktrees).prune(List::of)).isEmpty();
        assertThat(checkouts.holds(live)).isTrue();
        assertThat(checkouts.holds(tmp.resolve("work"))).isFalse();
    }

    private static String git(Path dir, String... args) throws Exception {
        var command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("git " + String.join(" ", args) + ": " + out).isZero();
        return out;
    }
}
