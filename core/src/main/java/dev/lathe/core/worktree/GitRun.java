package dev.lathe.core.worktree;

import dev.lathe.core.git.HostGit;
import dev.lathe.protocol.api.LatheException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The git command line in one folder of the user's repository. No program the repository's own configuration names
 * runs ({@link dev.lathe.core.git.HostGit}: a worktree Lathe adds or a merge it makes must not start code the
 * repository, or a repository a command made inside it, configured), and the variables that
 * would point git elsewhere are dropped; the user's identity and other settings apply as in their shell.
 *
 * <p>Those options cost a git process of their own ({@code git config}): one instance asks once and keeps them for
 * the commands of one operation (a worktree's creation ran eighteen git processes, half of them this question), so an
 * instance lives no longer than the operation it serves.
 */
final class GitRun {
    private static final long TIMEOUT_SECONDS = 120;

    /** git processes started by this class, its options' included: what an operation costs, counted for its tests. */
    static final java.util.concurrent.atomic.AtomicLong STARTED = new java.util.concurrent.atomic.AtomicLong();

    private final Path dir;
    private List<String> options;

    GitRun(Path dir) {
        this.dir = dir;
    }

    /** A runner for {@code other}, a folder of the same repository, that keeps this one's options once they are known. */
    GitRun in(Path other) {
        var run = new GitRun(other);
        run.options = options;
        return run;
    }

    Path dir() {
        return dir;
    }

    private synchronized List<String> options() {
        if (options == null) {
            STARTED.incrementAndGet();
            options = List.copyOf(HostGit.options(dir));
        }
        return options;
    }

    /** What one git command printed and how it ended. */
    record Result(int exit, String out, String err) {
        boolean ok() { return exit == 0; }

        List<String> lines() {
            return out.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    Result run(String... args) {
        return runWithInput("", args);
    }

    /** Runs git with {@code input} on its standard input (written while its output is read, so neither side blocks). */
    Result runWithInput(String input, String... args) {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(options());
        command.addAll(List.of("-c", "core.quotepath=false", "-c", "advice.detachedHead=false"));
        command.addAll(List.of(args));
        var pb = new ProcessBuilder(command).directory(dir.toFile());
        for (String v : List.of("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY")) pb.environment().remove(v);
        pb.environment().put("GIT_TERMINAL_PROMPT", "0");
        pb.environment().put("GIT_PAGER", "cat");
        Process p;
        try {
            p = pb.start();
            STARTED.incrementAndGet();
        } catch (IOException e) {
            throw new LatheException.Unavailable("cannot run git: " + e.getMessage());
        }
        try {
            byte[] in = input.getBytes(StandardCharsets.UTF_8);
            if (in.length == 0) {
                p.getOutputStream().close();
            } else {
                Thread.startVirtualThread(() -> {
                    try (var stdin = p.getOutputStream()) {
                        stdin.write(in);
                    } catch (IOException e) {
                        // git stopped reading: its exit status and error output tell why
                    }
                });
            }
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()), Thread::startVirtualThread);
            String out = read(p.getInputStream());
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new LatheException.Failed("git " + args[0] + " took longer than " + TIMEOUT_SECONDS + " s in " + dir);
            }
            return new Result(p.exitValue(), out, err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new LatheException.Failed("interrupted while git " + args[0] + " ran");
        }
    }

    /** Runs git and answers its output, or fails naming the command and what git said. */
    String ok(String... args) {
        Result r = run(args);
        if (!r.ok()) throw new LatheException.Failed("git " + String.join(" ", args) + " failed: " + r.err().strip());
        return r.out();
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
