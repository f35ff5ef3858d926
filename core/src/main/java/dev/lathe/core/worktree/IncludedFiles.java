package dev.lathe.core.worktree;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The ignored files a new worktree needs from the main checkout, as Claude Code's {@code .worktreeinclude} names them
 * (gitignore syntax): a file is copied when the file names it and git ignores it (tracked files are in the checkout
 * already). git itself reads both pattern sets, so the syntax is exactly gitignore's.
 */
final class IncludedFiles {
    static final String FILE = ".worktreeinclude";

    private IncludedFiles() {}

    /** Copies the included ignored files of {@code main} into {@code worktree}; @return their paths, relative */
    static List<String> copy(GitRun main, Path worktree) {
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
        List<String> copied = named.stream().filter(ignored::contains).toList();
        try {
            for (String p : copied) {
                Path to = worktree.resolve(p);
                Files.createDirectories(to.getParent());
                Files.copy(main.dir().resolve(p), to, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy a file .worktreeinclude names: " + e.getMessage(), e);
        }
        return copied;
    }

    private static List<String> paths(String nulSeparated) {
        return Arrays.stream(nulSeparated.split("\0")).filter(s -> !s.isEmpty()).toList();
    }
}
