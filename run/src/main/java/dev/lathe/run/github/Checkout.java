package dev.lathe.run.github;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The git commands {@code lathe github run} runs on the job's checkout, none of them forced: {@code push} names
 * {@code HEAD:refs/heads/BRANCH} without {@code +} or {@code --force}, so a branch that moved on is refused by the
 * remote, never overwritten. The remote's URL is read before the model runs ({@link #remoteUrl}) and pushed to by value,
 * and hooks and fsmonitor are off for every command, so nothing the session wrote into {@code .git} runs with the token
 * or redirects it. The token reaches git only through the environment of {@code push} (an {@code http.extraheader}),
 * never its command line.
 */
public final class Checkout {
    /** A git command that failed: its words and git's own message. */
    public static final class GitFailure extends Exception {
        GitFailure(String message) { super(message); }
    }

    /** Who commits: the Actions bot, so a commit is never the token owner's own. */
    static final String BOT_NAME = "github-actions[bot]";
    static final String BOT_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com";

    private final Path dir;

    public Checkout(Path dir) { this.dir = dir; }

    public Path dir() { return dir; }

    public String head() throws GitFailure { return git("rev-parse", "HEAD").strip(); }

    /** {@code origin}'s URL as the checkout had it before the session. */
    public String remoteUrl() throws GitFailure { return git("remote", "get-url", "origin").strip(); }

    /** Whether {@code name} is a branch name git accepts and no option in disguise. */
    public boolean validBranch(String name) {
        if (name.isEmpty() || name.startsWith("-") || name.length() > 200) return false;
        try {
            git("check-ref-format", "--branch", name);
            return true;
        } catch (GitFailure e) {
            return false;
        }
    }

    /** Whether HEAD is branch {@code name} (the session may not have switched). */
    public boolean onBranch(String name) {
        try {
            return git("symbolic-ref", "--short", "-q", "HEAD").strip().equals(name);
        } catch (GitFailure e) {
            return false;
        }
    }

    /** A new local branch {@code name} at HEAD, checked out. */
    public void newBranch(String name) throws GitFailure { git("checkout", "-b", name); }

    /** {@code name} of {@code remote} fetched and checked out as a local branch of that name. */
    public void checkoutRemoteBranch(String remote, String name) throws GitFailure {
        git("fetch", "--no-tags", remote, "refs/heads/" + name);
        git("checkout", "-B", name, "FETCH_HEAD");
    }

    /** A pull request's head ({@code refs/pull/N/head}) fetched and checked out detached: a fork's branch is never a local one. */
    public void checkoutPullHead(String remote, int number) throws GitFailure {
        git("fetch", "--no-tags", remote, "refs/pull/" + number + "/head");
        git("checkout", "--detach", "FETCH_HEAD");
    }

    /** Whether {@code commit} is in this checkout. */
    public boolean has(String commit) {
        try {
            git("cat-file", "-e", commit + "^{commit}");
            return true;
        } catch (GitFailure e) {
            return false;
        }
    }

    public void detach(String commit) throws GitFailure { git("checkout", "--detach", commit); }

    /** Branch {@code name} made (or moved) to HEAD and checked out. */
    public void branchHere(String name) throws GitFailure { git("checkout", "-q", "-B", name); }

    /** Whether HEAD is {@code commit} or descends from it. */
    public boolean descendsFrom(String commit) {
        try {
            git("merge-base", "--is-ancestor", commit, "HEAD");
            return true;
        } catch (GitFailure e) {
            return false;
        }
    }

    /** The commits {@code from..HEAD} as a git bundle in {@code file}: what the agent's step hands to the publish step. */
    public void bundle(Path file, String from) throws GitFailure { git("bundle", "create", "-q", file.toString(), from + "..HEAD"); }

    /** The head of the bundle {@code file} fetched into this repository (its commits only, no ref made); answers its id. */
    public String fetchBundle(Path file) throws GitFailure {
        git("bundle", "verify", "-q", file.toString());
        git("fetch", "--no-tags", "-q", file.toString(), "HEAD");
        return git("rev-parse", "FETCH_HEAD").strip();
    }

    /** Commits every change of the work tree, when there is one, as the bot with {@code trailer}; answers whether it did. */
    public boolean commitAll(String message) throws GitFailure {
        git("add", "-A");
        if (git("status", "--porcelain").isBlank()) return false;
        git("-c", "user.name=" + BOT_NAME, "-c", "user.email=" + BOT_EMAIL, "-c", "commit.gpgsign=false", "commit", "--no-verify", "-q", "-m", message);
        return true;
    }

    /** {@code git log --format="%h %s" from..HEAD}, oldest first. */
    public List<String> commitsSince(String from) throws GitFailure {
        return git("log", "--reverse", "--format=%h %s", from + "..HEAD").lines().filter(l -> !l.isBlank()).toList();
    }

    public List<String> filesSince(String from) throws GitFailure {
        return git("diff", "--no-ext-diff", "--no-textconv", "--name-only", from, "HEAD").lines().filter(l -> !l.isBlank()).toList();
    }

    public String diffSince(String from) throws GitFailure {
        return git("diff", "--no-ext-diff", "--no-textconv", from, "HEAD");
    }

    /** The diff of a pull request, {@code base...head}, with three lines of context: what GitHub shows and lets one comment on. */
    public String diff(String base, String head) throws GitFailure {
        return git("diff", "--no-ext-diff", "--no-textconv", "--unified=3", base + "..." + head);
    }

    /**
     * Pushes HEAD to {@code branch} of {@code url}, fast-forward only; the token as an extra header of that one command.
     * The checkout's own {@code .git/config} is the session's to write ({@code pushInsteadOf}, a proxy, a credential
     * helper would take the token elsewhere): HEAD goes first, without the token, into a new bare repository whose
     * config is git's defaults, and only that repository pushes to {@code url} with the token.
     */
    public void push(String url, String branch, String token) throws GitFailure {
        Path clean;
        try {
            clean = java.nio.file.Files.createTempDirectory("lathe-push");
        } catch (IOException e) {
            throw new GitFailure("git push: cannot make a folder to push from: " + e.getMessage());
        }
        try {
            run(dir, List.of("init", "--bare", "-q", clean.toString()), Map.of());
            run(dir, List.of("push", "--no-verify", "-q", clean.toUri().toString(), "HEAD:refs/heads/" + branch), Map.of());
            String basic = Base64.getEncoder().encodeToString(("x-access-token:" + token).getBytes(StandardCharsets.UTF_8));
            run(clean, List.of("push", "--no-verify", "-q", url, "refs/heads/" + branch + ":refs/heads/" + branch),
                    Map.of("GIT_CONFIG_COUNT", "1", "GIT_CONFIG_KEY_0", "http.extraheader", "GIT_CONFIG_VALUE_0", "AUTHORIZATION: basic " + basic));
        } finally {
            deleteTree(clean);
        }
    }

    String git(String... args) throws GitFailure { return run(dir, List.of(args), Map.of()); }

    /**
     * Runs git in {@code where} with an environment of its own: no variable of the job (the provider key, the token) reaches
     * a filter or helper the session's config names, and no system or user config is read.
     */
    private static String run(Path where, List<String> args, Map<String, String> extra) throws GitFailure {
        List<String> command = new ArrayList<>(List.of("git", "-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false", "-c", "protocol.ext.allow=never"));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(where.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        String path = env.getOrDefault("PATH", "/usr/bin:/bin");
        env.clear();
        env.put("PATH", path);
        env.put("LANG", "C.UTF-8");
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_CONFIG_GLOBAL", "/dev/null");
        env.putAll(extra);
        try {
            Process process = pb.start();
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new GitFailure("git " + args.getFirst() + " did not finish");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                String first = text.lines().filter(l -> !l.isBlank()).findFirst().orElse("exit " + process.exitValue());
                throw new GitFailure("git " + args.getFirst() + ": " + first.replaceAll("\\p{Cntrl}", " "));
            }
            return text;
        } catch (IOException e) {
            throw new GitFailure("git " + args.getFirst() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GitFailure("git " + args.getFirst() + ": interrupted");
        }
    }

    private static void deleteTree(Path root) {
        try (var paths = java.nio.file.Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is the runner's to clear
        }
    }
}
