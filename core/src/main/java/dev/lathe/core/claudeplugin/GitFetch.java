package dev.lathe.core.claudeplugin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The few git commands plugins and marketplaces are fetched with: a clone at an optional ref, and the commit a clone
 * is at. Never asks for a password ({@code GIT_TERMINAL_PROMPT=0}) and never runs longer than {@link #SECONDS}.
 */
final class GitFetch {
    static final long SECONDS = 300;

    private final Map<String, String> env;

    GitFetch(Map<String, String> env) {
        this.env = env;
    }

    /** Clones {@code url} into {@code into}, at {@code ref} (a branch or tag) when one is given. */
    void clone(String url, Optional<String> ref, Path into) {
        List<String> cmd = new ArrayList<>(List.of("git", "clone", "--quiet"));
        ref.ifPresent(r -> cmd.addAll(List.of("--branch", r)));
        cmd.addAll(List.of("--", url, into.toString()));
        run(cmd, Optional.empty(), "clone " + url + ref.map(r -> " at " + r).orElse(""));
    }

    /** Checks out {@code commit} in the clone at {@code dir}. */
    void checkout(Path dir, String commit) {
        run(List.of("git", "-c", "advice.detachedHead=false", "checkout", "--quiet", commit, "--"), Optional.of(dir), "check out " + commit);
    }

    /** The commit the clone at {@code dir} is at. */
    String head(Path dir) {
        return run(List.of("git", "rev-parse", "HEAD"), Optional.of(dir), "read the commit of " + dir).strip();
    }

    private String run(List<String> cmd, Optional<Path> dir, String what) {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        dir.ifPresent(d -> pb.directory(d.toFile()));
        pb.environment().putAll(env);
        pb.environment().put("GIT_TERMINAL_PROMPT", "0"); // a private repository must not wait for a password nobody types
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new PluginInstalls.Failure("cannot run git to " + what + ": " + e.getMessage());
        }
        try {
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new PluginInstalls.Failure("git took longer than " + SECONDS + " s to " + what);
            }
            if (process.exitValue() != 0) throw new PluginInstalls.Failure("git could not " + what + ": " + output);
            return output;
        } catch (IOException e) {
            throw new PluginInstalls.Failure("git could not " + what + ": " + e.getMessage());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new PluginInstalls.Failure("interrupted while trying to " + what);
        }
    }
}
