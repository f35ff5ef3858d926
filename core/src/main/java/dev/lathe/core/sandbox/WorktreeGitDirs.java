package dev.lathe.core.sandbox;

import dev.lathe.tools.FileGateway;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * Where git must write for a linked worktree (DESIGN §19), whose {@code .git} is a file naming its admin folder in the
 * main checkout's {@code .git/worktrees/}: that admin folder (its index, HEAD, logs), the shared object store, and the
 * folders of its own branch's ref and reflog. Nothing else of the main checkout's {@code .git} — its config, hooks,
 * other branches' refs — becomes writable.
 */
final class WorktreeGitDirs {
    private WorktreeGitDirs() {}

    /** The folders to bind writable for the worktree whose {@code .git} file is {@code dotGit}; empty for any other project. */
    static List<Path> of(Path dotGit) {
        if (!Files.isRegularFile(dotGit, LinkOption.NOFOLLOW_LINKS)) return List.of();
        try {
            // both files below are the agent's to write: nothing they name is used unless it is a worktree where Lathe
            // makes them, REPO/.lathe/worktrees/NAME with its admin folder REPO/.git/worktrees/NAME, and every folder
            // made writable stays inside REPO/.git (a ref like refs/heads/../../../../home would otherwise bind $HOME)
            Path worktree = dotGit.getParent().toRealPath();
            String pointer = FileGateway.readRecord(dotGit, FileGateway.RECORD_MAX_BYTES).strip();
            if (!pointer.startsWith("gitdir:")) return List.of();
            Path admin = worktree.resolve(pointer.substring("gitdir:".length()).strip()).normalize();
            Path worktrees = admin.getParent();
            if (worktrees == null || !worktrees.getFileName().toString().equals("worktrees")) return List.of();
            Path common = worktrees.getParent();
            Path repo = common.getParent();
            if (repo == null || !common.getFileName().toString().equals(".git") || !Files.isDirectory(common, LinkOption.NOFOLLOW_LINKS)
                    || !common.toRealPath().equals(common) || !worktree.getParent().equals(repo.resolve(".lathe/worktrees"))
                    || !admin.getFileName().equals(worktree.getFileName()) || !Files.isDirectory(admin, LinkOption.NOFOLLOW_LINKS)) {
                return List.of();
            }
            String head = FileGateway.readRecord(admin.resolve("HEAD"), FileGateway.RECORD_MAX_BYTES).strip();
            if (!head.startsWith("ref: refs/heads/")) return List.of(admin, common.resolve("objects"));
            // the branch's folder (refs/heads/lathe for lathe/NAME): git writes NAME.lock beside the ref and renames it
            Path ref = Path.of(head.substring("ref: ".length())).normalize();
            Path heads = common.resolve("refs/heads");
            Path refFolder = common.resolve(ref).normalize().getParent();
            Path logFolder = common.resolve("logs").resolve(ref).normalize().getParent();
            if (refFolder.equals(heads) || !refFolder.startsWith(heads) || !logFolder.startsWith(common.resolve("logs/refs/heads"))) {
                return List.of(admin, common.resolve("objects"));
            }
            return List.of(admin, common.resolve("objects"), refFolder, logFolder);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
