package dev.lathe.core.permission;

import dev.lathe.core.git.HostGit;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The files git tracks at or below a folder, as git itself lists them ({@code git ls-files}): the index, plus what
 * {@code HEAD} holds that the index no longer does ({@code --with-tree=HEAD}, so a file just removed with
 * {@code git rm --cached} still counts — {@code git diff --cached} prints it). This is what a git content command can
 * print from the work tree, the index and the last commit; older history is not listed (that would be a walk of every
 * commit). Empty when git cannot tell (not a repository, no git, a timeout): the caller then falls back to the folder's
 * files.
 *
 * <p>git is run so that the repository cannot make it run anything ({@link dev.lathe.core.git.HostGit}), no
 * optional locks, input closed, errors discarded.
 */
final class TrackedFiles {
    private TrackedFiles() {}

    private static final long TIMEOUT_SECONDS = 5;

    static Optional<List<Path>> below(Path folder) {
        Optional<List<Path>> withHead = run(folder, "--with-tree=HEAD");
        return withHead.isPresent() ? withHead : run(folder); // a repository without commits has no HEAD
    }

    private static Optional<List<Path>> run(Path folder, String... extra) {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(HostGit.options(folder));
        command.addAll(List.of("-C", folder.toString(), "ls-files", "-z"));
        command.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("GIT_OPTIONAL_LOCKS", "0");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return Optional.empty(); // no git: the caller falls back
        }
        try {
            p.getOutputStream().close(); // nothing to read: git gets end of input at once
        } catch (IOException e) {
            p.destroyForcibly();
            return Optional.empty();
        }
        byte[][] out = new byte[1][];
        Thread reader = Thread.ofVirtual().start(() -> {
            try (InputStream in = p.getInputStream()) {
                out[0] = in.readAllBytes();
            } catch (IOException e) {
                out[0] = null;
            }
        });
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            reader.join();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        if (p.exitValue() != 0 || out[0] == null) return Optional.empty();
        List<Path> files = new ArrayList<>();
        for (String name : new String(out[0], StandardCharsets.UTF_8).split("\0")) {
            if (!name.isEmpty()) files.add(folder.resolve(name).normalize());
        }
        return Optional.of(files);
    }
}
