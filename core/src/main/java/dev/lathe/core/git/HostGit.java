package dev.lathe.core.git;

import dev.lathe.tools.builtin.GitProgramKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The options every git command Lathe runs itself, outside the sandbox (snapshots, worktrees, the status in the
 * environment note, the tracked-file list), starts with, so that no repository's own configuration makes it run a
 * program. The sandbox keeps the project's {@code .git/config} and hooks read-only, but a sandboxed command can make a
 * repository of its own ({@code git init sub}, or {@code sub/.git/config} written by hand) and put a program in its
 * {@code core.fsmonitor}, a filter, a textconv, a merge driver: a later {@code git status} that recurses into it as a
 * submodule, or that runs in it because a session was opened there, would start that program as the user.
 *
 * <p>Two parts, as {@code -c} options (they beat every config file, and git passes them on to the git processes it
 * starts in submodules): always, fsmonitor and hooks off and submodules never entered (git runs a command in each
 * submodule it looks into, under that submodule's configuration); and, for the repository at the folder, each key of
 * its own (local or worktree) configuration that names a program, replaced by an inert value. The user's global and
 * system configuration are theirs and stay.
 */
public final class HostGit {
    /** Keys whose value git runs as a program (one list with the model's commands: {@link dev.lathe.tools.builtin.GitProgramKeys}). */
    static final String PROGRAM_KEYS = GitProgramKeys.PATTERN;

    private static final List<String> ALWAYS = List.of("-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null", "-c", "core.pager=cat",
            "-c", "submodule.recurse=false", "-c", "diff.ignoreSubmodules=all", "-c", "status.submoduleSummary=false",
            "-c", "fetch.recurseSubmodules=false");

    private HostGit() {}

    /** The options for a git command whose repository is Lathe's own (the snapshots' store): the fixed part. */
    public static List<String> options() {
        return ALWAYS;
    }

    /** The options for a git command run in {@code dir}: the fixed part and the repository's own program keys made inert. */
    public static List<String> options(Path dir) {
        List<String> out = new ArrayList<>(ALWAYS);
        for (var e : localProgramKeys(dir).entrySet()) {
            out.add("-c");
            out.add(e.getKey() + "=" + e.getValue());
        }
        return out;
    }

    /**
     * {@code -c} options making inert every program key the local configurations of {@code repositories} set: for a
     * command that makes git start a git process in each of them (a submodule's dirty check), which inherits them.
     */
    public static List<String> inertProgramsOf(List<Path> repositories) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (Path r : repositories) if (java.nio.file.Files.exists(r.resolve(".git"))) keys.putAll(localProgramKeys(r));
        List<String> out = new ArrayList<>();
        keys.forEach((k, v) -> out.addAll(List.of("-c", k + "=" + v)));
        return out;
    }

    /** The inert value of a program key: git's own behaviour where there is one, else a program that does nothing. */
    static String inert(String key) {
        return GitProgramKeys.inert(key);
    }

    /** The program keys the local (repository or worktree) configuration of {@code dir} sets, with inert values. */
    static Map<String, String> localProgramKeys(Path dir) {
        var pb = new ProcessBuilder("git", "config", "--show-scope", "--name-only", "--null", "--get-regexp", PROGRAM_KEYS)
                .directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
        for (String v : List.of("GIT_DIR", "GIT_WORK_TREE", "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT")) pb.environment().remove(v);
        Map<String, String> keys = new LinkedHashMap<>();
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.SECONDS)) p.destroyForcibly();
            String[] fields = out.split("\0");
            for (int i = 0; i + 1 < fields.length; i += 2) {
                String scope = fields[i].strip();
                if (scope.equals("local") || scope.equals("worktree")) keys.put(fields[i + 1], inert(fields[i + 1]));
            }
        } catch (IOException e) {
            // no git: the command that follows cannot run either
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return keys;
    }
}
