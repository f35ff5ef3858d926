package dev.lathe.tools.builtin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a repository's own configuration from running programs when the model runs git (DESIGN §10): a cloned
 * repository can name a script as {@code core.fsmonitor}, {@code core.pager}, {@code diff.external}, a textconv or
 * external diff driver, or a clean/smudge filter, and plain {@code git status} / {@code git diff} / {@code git log -p}
 * would run it.
 *
 * <p>Overrides go in through {@code GIT_CONFIG_COUNT}/{@code GIT_CONFIG_KEY_n}/{@code GIT_CONFIG_VALUE_n}, which have
 * the precedence of {@code git -c} and so beat every config file. Two kinds:
 * <ul>
 * <li>always: {@code core.fsmonitor=false}, {@code core.pager=cat}. ({@code diff.external} cannot be blanked: an empty
 * value makes git try to run "" and die.)
 * <li>per repository: the helper keys the <em>local</em> config of the command's folder defines (found with one
 * {@code git config --show-scope} call, which itself runs no helper) are replaced by harmless ones: textconv and
 * filters by {@code cat} (content unchanged), external diff commands by git's own diff of the two files.
 * </ul>
 * Global and system config are the user's own choice and are left alone. Hooks are not disabled: read commands run
 * none, and hooks of commits are the user's choice (the sandbox keeps {@code .git/hooks} read-only instead).
 * Git 2.39 has no switch to ignore {@code .gitattributes} ({@code GIT_ATTR_SOURCE} is 2.40+), hence the per-key work.
 */
final class GitHardening {
    /** An external diff that is git's own: the arguments are {@code path old-file old-hex old-mode new-file new-hex new-mode}. */
    static final String PLAIN_DIFF = "git --no-pager diff --no-index --no-ext-diff --no-textconv --src-prefix=a/ --dst-prefix=b/ -- \"$2\" \"$5\"; :";
    private static final String HELPER_KEYS =
            "^(core\\.fsmonitor|core\\.pager|diff\\.external|diff\\..+\\.(textconv|command)|filter\\..+\\.(clean|smudge|process))$";

    private GitHardening() {}

    /** Adds the overrides for commands started in {@code dir} (null: only the static ones). */
    static void apply(Map<String, String> env, Path dir) {
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("core.fsmonitor", "false");
        overrides.put("core.pager", "cat");
        if (dir != null) for (String key : localHelperKeys(dir, env)) overrides.putIfAbsent(key, replacement(key));
        // repositories nested in the project (made by a sandboxed command, a submodule, a vendored clone): git runs
        // their configuration when a command cd's into them or a status enters them, and the overrides go with the
        // environment to every git the command starts, so each program key their local config sets is made inert, and
        // a nested repository with hooks of its own turns hooks off for the command (env overrides cannot be per
        // repository; the project's own hooks then wait for a command that does not touch the nested one)
        if (dir != null) {
            for (Path nested : NestedRepositories.cachedBelow(NestedRepositories.top(dir))) {
                for (String key : localKeys(nested, env, GitProgramKeys.PATTERN)) overrides.putIfAbsent(key, GitProgramKeys.inert(key));
                if (NestedRepositories.hasHooks(nested)) overrides.put("core.hooksPath", "/dev/null");
            }
        }
        // the caller's own GIT_CONFIG_* entries stay in front; ours come after them and so win
        int start = 0;
        try {
            start = Math.max(0, Integer.parseInt(env.getOrDefault("GIT_CONFIG_COUNT", "0").strip()));
        } catch (NumberFormatException e) {
            start = 0;
        }
        int i = start;
        for (var e : overrides.entrySet()) {
            env.put("GIT_CONFIG_KEY_" + i, e.getKey());
            env.put("GIT_CONFIG_VALUE_" + i, e.getValue());
            i++;
        }
        env.put("GIT_CONFIG_COUNT", Integer.toString(i));
        // GIT_EXTERNAL_DIFF beats diff.external; the server's own setting must not leak into the model's commands
        env.remove("GIT_EXTERNAL_DIFF");
        env.put("GIT_PAGER", "cat");
        env.put("PAGER", "cat");
        env.put("GIT_TERMINAL_PROMPT", "0");
    }

    static String replacement(String key) {
        if (key.equals("core.fsmonitor")) return "false";
        if (key.equals("core.pager")) return "cat";
        if (key.equals("diff.external") || key.endsWith(".command")) return PLAIN_DIFF;
        // a long-running filter process speaks a protocol cat cannot; with process unset git falls back to clean/smudge
        // (also overridden below when set), and without those it passes content through
        if (key.endsWith(".process")) return "";
        return "cat";
    }

    /** Helper keys set in the local (repository or worktree) config of {@code dir}; empty outside a repository. */
    static List<String> localHelperKeys(Path dir, Map<String, String> env) {
        return localKeys(dir, env, HELPER_KEYS);
    }

    /** The keys matching {@code pattern} the local (repository or worktree) config of {@code dir} sets. */
    static List<String> localKeys(Path dir, Map<String, String> env, String pattern) {
        var pb = new ProcessBuilder("git", "config", "--show-scope", "--name-only", "--null", "--get-regexp", pattern)
                .directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.environment().keySet().removeIf(k -> k.startsWith("GIT_CONFIG"));
        List<String> keys = new ArrayList<>();
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.SECONDS)) p.destroyForcibly();
            String[] fields = out.split("\0");
            for (int i = 0; i + 1 < fields.length; i += 2) {
                String scope = fields[i].strip();
                if (scope.equals("local") || scope.equals("worktree")) keys.add(fields[i + 1]);
            }
        } catch (IOException e) {
            // no git installed: nothing to harden
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return keys;
    }

    static boolean isRepository(Path dir) {
        for (Path p = dir; p != null; p = p.getParent()) if (Files.exists(p.resolve(".git"))) return true;
        return false;
    }
}
