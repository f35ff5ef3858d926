package dev.lathe.core.git;

import dev.lathe.protocol.api.DiffPage;
import dev.lathe.protocol.api.DiffQuery;
import dev.lathe.protocol.api.DiffScope;
import dev.lathe.protocol.api.FileDiff;
import dev.lathe.protocol.api.LatheException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * git's view of a session's folder as a diff (DESIGN §32, decision 590): the working tree against {@code HEAD}
 * ({@link DiffScope#UNCOMMITTED}) or against the merge base of {@code HEAD} and the repository's default branch
 * ({@link DiffScope#BRANCH}), both with the files git does not track yet (ignored ones left out). The folder is the
 * session's own, so a worktree session diffs its worktree. Git runs with {@link HostGit}'s options and neither
 * external diff drivers nor textconv filters; it reads the working tree without following links (a symlink's change
 * is its target's name, never what it points at), and an untracked symlink's patch is written from the link itself,
 * so nothing outside the folder is read. Each file's patch is read up to {@link FileDiff#MAX_PATCH_CHARS}.
 */
public final class WorkingDiff {
    /** The empty tree's id: the base of a repository that has no commit yet. */
    private static final String EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
    private static final int MAX_LIST = 8 * 1024 * 1024;
    private static final List<String> DIFF = List.of("diff", "--no-color", "--no-ext-diff", "--no-textconv", "--no-renames");
    /** Where the default branch is looked for, in order, when {@code origin/HEAD} names none. */
    private static final List<String> DEFAULT_BRANCHES = List.of("refs/heads/main", "refs/heads/master", "refs/remotes/origin/main",
            "refs/remotes/origin/master");

    private final GitRun git;
    private final String base;

    private WorkingDiff(GitRun git, String base) {
        this.git = git;
        this.base = base;
    }

    /**
     * The page {@code query} asks of the {@code UNCOMMITTED} or {@code BRANCH} diff of {@code dir}; refused (400) with
     * what is wrong when the folder is in no repository or the branch has no default branch to compare with.
     */
    public static DiffPage of(Path dir, DiffQuery query) {
        GitRun here = new GitRun(dir);
        GitRun.Output top = here.run(4096, "rev-parse", "--show-toplevel");
        if (top.exit() != 0) {
            throw new LatheException.InvalidInput("the session's folder " + dir + " is not in a git repository: the " + query.scope().wire()
                    + " diff is git's (scope turn or session shows what the session changed)");
        }
        GitRun git = new GitRun(Path.of(top.text().strip()));
        String head = git.run(1024, "rev-parse", "--verify", "--quiet", "HEAD").exit() == 0 ? "HEAD" : EMPTY_TREE;
        String base = switch (query.scope()) {
            case UNCOMMITTED -> head;
            case BRANCH -> mergeBase(git, head);
            case TURN, SESSION -> throw new IllegalArgumentException("not a git scope: " + query.scope());
        };
        return new WorkingDiff(git, base).page(query);
    }

    private DiffPage page(DiffQuery query) {
        Map<String, String> status = tracked();
        Map<String, int[]> counts = numstat();
        List<String> untracked = untracked();
        TreeMap<String, Boolean> all = new TreeMap<>();
        status.keySet().forEach(p -> all.put(p, Boolean.TRUE));
        untracked.forEach(p -> all.putIfAbsent(p, Boolean.FALSE));
        var window = DiffPage.window(new ArrayList<>(all.keySet()), query.limit(), query.after());
        List<FileDiff> out = new ArrayList<>();
        for (String path : window.paths()) {
            out.add(all.get(path) ? trackedFile(path, status.get(path), counts.get(path)) : untrackedFile(path));
        }
        return new DiffPage(out, window.more());
    }

    /** {@code path → added|deleted|modified} of the files git tracks that differ from the base. */
    private Map<String, String> tracked() {
        List<String> fields = nul(listed(args("--name-status", "-z", base, "--")));
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i + 1 < fields.size(); i += 2) out.put(fields.get(i + 1), status(fields.get(i)));
        return out;
    }

    /** {@code path → [added, deleted]} for text files; binary files ({@code -\t-}) are left out. */
    private Map<String, int[]> numstat() {
        Map<String, int[]> out = new HashMap<>();
        for (String record : nul(listed(args("--numstat", "-z", base, "--")))) {
            String[] f = record.split("\t", 3);
            if (f.length < 3 || f[0].equals("-")) continue;
            out.put(f[2], new int[] {Integer.parseInt(f[0]), Integer.parseInt(f[1])});
        }
        return out;
    }

    private List<String> untracked() {
        return nul(listed(new String[] {"ls-files", "--others", "--exclude-standard", "-z", "--", "."}));
    }

    private FileDiff trackedFile(String path, String status, int[] counts) {
        if (counts == null) return FileDiff.binary(path, status);
        GitRun.Output patch = git.run(FileDiff.MAX_PATCH_CHARS + 1, args(base, "--", ":(literal)" + path));
        return patched(path, status, counts[0], counts[1], patch);
    }

    /**
     * A file git does not track: its whole content as added. A symlink's patch is its target's name, written here from
     * the link; anything but a regular file or a link (a socket, a folder git lists as a nested repository) is named only.
     */
    private FileDiff untrackedFile(String path) {
        Path file = git.dir().resolve(path);
        try {
            if (Files.isSymbolicLink(file)) return symlink(path, Files.readSymbolicLink(file).toString());
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) return FileDiff.binary(path, "added");
        } catch (IOException e) {
            return FileDiff.binary(path, "added");
        }
        // git reads the named path without following a link (one swapped in meanwhile shows as its target's name)
        String[] numstat = git.run(4096, noIndex("--numstat", path)).text().split("\t", 3);
        if (numstat.length < 3 || numstat[0].equals("-")) return FileDiff.binary(path, "added");
        GitRun.Output patch = git.run(FileDiff.MAX_PATCH_CHARS + 1, noIndex("-p", path));
        return patched(path, "added", Integer.parseInt(numstat[0].strip()), 0, patch);
    }

    /** A text file's change with the patch git printed, marked cut when git printed more than was read. */
    private static FileDiff patched(String path, String status, int additions, int deletions, GitRun.Output patch) {
        FileDiff diff = FileDiff.text(path, status, additions, deletions, patch.text());
        return patch.truncated() ? new FileDiff(path, status, additions, deletions, diff.patch(), false, true) : diff;
    }

    private static FileDiff symlink(String path, String target) {
        String name = quoted("b/" + path);
        String patch = "diff --git " + quoted("a/" + path) + " " + name + "\nnew file mode 120000\n--- /dev/null\n+++ " + name + "\n@@ -0,0 +1 @@\n+"
                + target.replace("\n", "\\n") + "\n\\ No newline at end of file\n";
        return FileDiff.text(path, "added", 1, 0, patch);
    }

    /** A path as git writes it in a diff header: in double quotes with C escapes when it holds a control character, {@code "} or {@code \}. */
    private static String quoted(String path) {
        if (path.chars().noneMatch(c -> c < 0x20 || c == 0x7f || c == '"' || c == '\\')) return path;
        StringBuilder out = new StringBuilder("\"");
        for (char c : path.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) out.append(String.format("\\%03o", (int) c));
                    else out.append(c);
                }
            }
        }
        return out.append('"').toString();
    }

    private String[] noIndex(String format, String path) {
        List<String> out = new ArrayList<>(DIFF);
        out.addAll(List.of(format, "--no-index", "--", "/dev/null", path));
        return out.toArray(String[]::new);
    }

    private String listed(String[] command) {
        GitRun.Output out = git.run(MAX_LIST, command);
        if (out.exit() != 0) throw new LatheException.Failed("git " + command[0] + " failed in " + git.dir() + ": " + out.error().strip());
        return out.text();
    }

    private static String[] args(String... rest) {
        List<String> out = new ArrayList<>(DIFF);
        out.addAll(List.of(rest));
        return out.toArray(String[]::new);
    }

    private static String status(String letter) {
        return switch (letter.substring(0, 1)) {
            case "A" -> "added";
            case "D" -> "deleted";
            default -> "modified"; // M, and T (a file became a symlink or the other way round)
        };
    }

    /** The merge base of {@code HEAD} and the default branch: {@code origin/HEAD}'s target, else main or master. */
    private static String mergeBase(GitRun git, String head) {
        if (head.equals(EMPTY_TREE)) throw new LatheException.InvalidInput("the repository at " + git.dir() + " has no commit yet: there is no branch to diff");
        List<String> candidates = new ArrayList<>();
        GitRun.Output remote = git.run(1024, "symbolic-ref", "--quiet", "refs/remotes/origin/HEAD");
        if (remote.exit() == 0) candidates.add(remote.text().strip());
        candidates.addAll(DEFAULT_BRANCHES);
        for (String ref : candidates) {
            if (git.run(1024, "rev-parse", "--verify", "--quiet", ref + "^{commit}").exit() != 0) continue;
            GitRun.Output mergeBase = git.run(1024, "merge-base", "HEAD", ref);
            if (mergeBase.exit() != 0) throw new LatheException.InvalidInput("the current branch and " + ref + " have no common ancestor");
            return mergeBase.text().strip();
        }
        throw new LatheException.InvalidInput("the repository at " + git.dir() + " has no default branch (origin/HEAD, main or master) to diff against");
    }

    private static List<String> nul(String text) {
        List<String> out = new ArrayList<>();
        for (String s : text.split("\0")) if (!s.isEmpty()) out.add(s);
        return out;
    }
}
