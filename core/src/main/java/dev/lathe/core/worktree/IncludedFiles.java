package dev.lathe.core.worktree;

import dev.lathe.tools.FileGateway;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The ignored files a new worktree needs from the main checkout, as Claude Code's {@code .worktreeinclude} names them
 * (gitignore syntax): a file is copied when the file names it and git ignores it (tracked files are in the checkout
 * already). git itself reads both pattern sets, so the syntax is exactly gitignore's.
 *
 * <p>Each file is copied through the project's {@link FileGateway} (issue 52): a file named there that is a link, or
 * sits below a linked folder, leading out of the main checkout (to {@code ~/.ssh/id_rsa}) is not copied, and neither
 * is a link or a hard link to a file a {@code read} rule holds back under another name ({@code notes -> .env}): in the
 * worktree it would be a plain file no rule names. Such files are left out and named in the server's log.
 */
final class IncludedFiles {
    static final String FILE = ".worktreeinclude";

    private IncludedFiles() {}

    private static final System.Logger LOG = System.getLogger(IncludedFiles.class.getName());

    /**
     * Copies the included ignored files of {@code main} into {@code worktree} through {@code files} (the main checkout's
     * gateway, with its {@code read} rules); @return the paths copied, relative
     */
    static List<String> copy(GitRun main, Path worktree, FileGateway files) {
        Path include = main.dir().resolve(FILE);
        if (!Files.isRegularFile(include)) return List.of();
        // one walk, for the untracked files the patterns name (usually a few); git then says which of those it ignores,
        // instead of a second walk printing every ignored file (all of build/, node_modules/ ...) to keep a handful
        List<String> named = paths(main.ok("ls-files", "-z", "--others", "--ignored", "--exclude-from=" + include)).stream()
                .filter(p -> !p.startsWith(WorktreeLocation.FOLDER + "/")).toList();
        if (named.isEmpty()) return List.of();
        var checked = main.runWithInput(String.join("\0", named) + "\0", "check-ignore", "-z", "--stdin");
        // exit 1: none of them is ignored; anything else but 0 is git failing
        if (!checked.ok() && checked.exit() != 1) throw new IllegalStateException("git check-ignore failed: " + checked.err().strip());
        Set<String> ignored = new HashSet<>(paths(checked.out()));
        List<String> copied = new ArrayList<>();
        for (String p : named.stream().filter(ignored::contains).toList()) {
            try {
                files.copy(main.dir().resolve(p), worktree.resolve(p));
                copied.add(p);
            } catch (FileGateway.Refused e) {
                LOG.log(System.Logger.Level.WARNING, "{0} names a file not copied into the worktree: {1}", FILE, e.getMessage());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot copy a file .worktreeinclude names: " + e.getMessage(), e);
            }
        }
        return List.copyOf(copied);
    }

    private static List<String> paths(String nulSeparated) {
        return Arrays.stream(nulSeparated.split("\0")).filter(s -> !s.isEmpty()).toList();
    }
}
