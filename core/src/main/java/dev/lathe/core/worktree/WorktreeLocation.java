package dev.lathe.core.worktree;

import dev.lathe.protocol.api.WorktreeInfo;
import dev.lathe.protocol.session.SessionWorktree;
import dev.lathe.tools.FileGateway;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether a folder is a Lathe worktree: {@code MAIN/.lathe/worktrees/NAME} holding the {@code .git} file git writes in
 * a linked worktree. Read from the file system alone (no git process), as every session creation asks it.
 */
public final class WorktreeLocation {
    /** Where worktrees live, relative to the main checkout; also the line added to {@code .git/info/exclude}. */
    public static final String FOLDER = ".lathe/worktrees";

    private WorktreeLocation() {}

    /** The worktree {@code directory} is, with its branch as its HEAD names it, or empty when it is none. */
    public static Optional<SessionWorktree> of(Path directory) {
        Path dir = directory.toAbsolutePath().normalize();
        Path parent = dir.getParent();
        if (parent == null || !parent.endsWith(Path.of(".lathe", "worktrees")) || !Files.isRegularFile(dir.resolve(".git"))) return Optional.empty();
        String name = dir.getFileName().toString();
        Path main = parent.getParent().getParent();
        return Optional.of(new SessionWorktree(name, branch(dir).orElse(Worktrees.BRANCH_PREFIX + name), main.toString()));
    }

    /**
     * What a session made in {@code tree} records: the worktree as its folder says (a git worktree of Lathe's), else as
     * Lathe made it, so a folder a {@code WorktreeCreate} hook made anywhere is still the session's worktree (listed with
     * its repository, grouped on the board, ended with the session; its branch is empty: Lathe did not make one).
     */
    public static SessionWorktree recorded(WorktreeInfo tree) {
        return of(Path.of(tree.path())).orElseGet(() -> new SessionWorktree(tree.name(), tree.branch(), tree.mainCheckout()));
    }

    /**
     * The branch checked out in git checkout {@code folder} (its main checkout's or a worktree's), read from its
     * {@code HEAD} without a git process; empty when it is none or its HEAD is detached.
     */
    public static Optional<String> checkedOutBranch(Path folder) {
        Path dotGit = folder.resolve(".git");
        if (Files.isDirectory(dotGit)) return headBranch(dotGit);
        return Files.isRegularFile(dotGit) ? branch(folder) : Optional.empty();
    }

    private static Optional<String> headBranch(Path gitDir) {
        try {
            String head = FileGateway.readRecord(gitDir.resolve("HEAD"), FileGateway.RECORD_MAX_BYTES).strip();
            return head.startsWith("ref: refs/heads/") ? Optional.of(head.substring("ref: refs/heads/".length())) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The branch the worktree's HEAD points at, read through its {@code .git} file. */
    private static Optional<String> branch(Path worktree) {
        try {
            String pointer = FileGateway.readRecord(worktree.resolve(".git"), FileGateway.RECORD_MAX_BYTES).strip();
            if (!pointer.startsWith("gitdir:")) return Optional.empty();
            Path gitDir = worktree.resolve(pointer.substring("gitdir:".length()).strip()).normalize();
            String head = FileGateway.readRecord(gitDir.resolve("HEAD"), FileGateway.RECORD_MAX_BYTES).strip();
            return head.startsWith("ref: refs/heads/") ? Optional.of(head.substring("ref: refs/heads/".length())) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
