package dev.lathe.core.git;

import dev.lathe.protocol.api.LatheException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The change a review looks at (DESIGN §18 "Review"), as git prints it: what {@code scope} names, in the repository
 * that holds {@code dir}. {@code files} is the list of changed files (git's name-status, always whole: the model learns
 * every file even when {@code diff} was cut at the size bound); {@code truncated} says it was cut. Git runs with
 * {@link HostGit}'s options and neither external diff drivers nor textconv filters, so no program the repository
 * configures runs; git's own output is read up to a bound and the rest discarded, so a huge change cannot fill memory.
 */
public record ReviewDiff(Path root, String description, String files, String diff, boolean truncated) {
    /** The empty tree's id: the base of a repository that has no commit yet. */
    private static final String EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
    private static final int MAX_FILE_LIST = 64 * 1024;
    private static final int MAX_UNTRACKED = 200;
    private static final List<String> DIFF_OPTIONS = List.of("--no-color", "--no-ext-diff", "--no-textconv");

    /** What to review: the working tree against {@code HEAD}, the branch against its merge base with a ref, or one commit. */
    public sealed interface Scope {
        record Uncommitted() implements Scope {}

        record Base(String ref) implements Scope {}

        record Commit(String ref) implements Scope {}
    }

    /**
     * The change {@code scope} names, its diff cut at {@code maxBytes}. Refused ({@link LatheException.InvalidInput}) with
     * what is wrong: not a git repository, a ref git does not know, nothing changed.
     */
    public static ReviewDiff of(Path dir, Scope scope, int maxBytes) {
        GitRun git = new GitRun(dir);
        GitRun.Output top = git.run(1024, "rev-parse", "--show-toplevel");
        if (top.exit() != 0) throw new LatheException.InvalidInput("not a git repository: " + dir + " (lathe review reviews a git diff)");
        GitRun repo = new GitRun(Path.of(top.text().strip()));
        ReviewDiff diff = switch (scope) {
            case Scope.Uncommitted() -> uncommitted(repo, maxBytes);
            case Scope.Base(String ref) -> base(repo, ref, maxBytes);
            case Scope.Commit(String ref) -> commit(repo, ref, maxBytes);
        };
        if (diff.diff().isBlank() && diff.files().isBlank()) throw new LatheException.InvalidInput("nothing to review: no " + diff.description());
        return diff;
    }

    private static ReviewDiff uncommitted(GitRun git, int maxBytes) {
        String base = git.run(1024, "rev-parse", "--verify", "--quiet", "HEAD").exit() == 0 ? "HEAD" : EMPTY_TREE;
        GitRun.Output diff = git.run(maxBytes, diffArgs("diff", base, "--"));
        if (diff.exit() != 0) throw new LatheException.Failed("git diff failed: " + diff.error().strip());
        String files = git.run(MAX_FILE_LIST, "diff", "--name-status", base, "--").text();
        StringBuilder text = new StringBuilder(diff.text());
        boolean truncated = diff.truncated();
        // files git does not track yet are part of the change too: each as a diff from nothing, within the same bound
        List<String> untracked = List.of(git.run(MAX_FILE_LIST, "ls-files", "--others", "--exclude-standard", "-z").text().split("\0")).stream()
                .filter(f -> !f.isEmpty()).toList();
        StringBuilder names = new StringBuilder(files);
        for (int i = 0; i < untracked.size(); i++) {
            String file = untracked.get(i);
            names.append("A\t").append(file).append(" (untracked)\n");
            int room = maxBytes - text.length();
            if (i >= MAX_UNTRACKED || room <= 0) {
                truncated = true;
                continue;
            }
            GitRun.Output one = git.run(room, diffArgs("diff", "--no-index", "--", "/dev/null", file));
            text.append(one.text());
            truncated |= one.truncated();
        }
        return new ReviewDiff(git.dir(), "uncommitted changes (staged, unstaged and untracked files) in " + git.dir(), names.toString(), text.toString(),
                truncated);
    }

    private static ReviewDiff base(GitRun git, String ref, int maxBytes) {
        String commit = commitOf(git, ref);
        GitRun.Output mergeBase = git.run(1024, "merge-base", "HEAD", commit);
        if (mergeBase.exit() != 0) throw new LatheException.InvalidInput("the current branch and " + ref + " have no common ancestor");
        String base = mergeBase.text().strip();
        GitRun.Output diff = git.run(maxBytes, diffArgs("diff", base, "--"));
        if (diff.exit() != 0) throw new LatheException.Failed("git diff failed: " + diff.error().strip());
        String files = git.run(MAX_FILE_LIST, "diff", "--name-status", base, "--").text();
        return new ReviewDiff(git.dir(), "changes of the current branch against " + ref + " (since their merge base " + shortId(base)
                + ", uncommitted changes included)", files, diff.text(), diff.truncated());
    }

    private static ReviewDiff commit(GitRun git, String ref, int maxBytes) {
        String commit = commitOf(git, ref);
        GitRun.Output diff = git.run(maxBytes, diffArgs("show", "--format=commit %H%nAuthor: %an <%ae>%nDate:   %ad%n%n%B", commit, "--"));
        if (diff.exit() != 0) throw new LatheException.Failed("git show failed: " + diff.error().strip());
        String files = git.run(MAX_FILE_LIST, "show", "--name-status", "--format=", commit, "--").text();
        return new ReviewDiff(git.dir(), "changes of commit " + shortId(commit) + (ref.equals(commit) ? "" : " (" + ref + ")"), files, diff.text(),
                diff.truncated());
    }

    /** The commit {@code ref} names, or refused in the user's words. */
    private static String commitOf(GitRun git, String ref) {
        // an option-like ref would be read by git as an option
        if (ref.isBlank() || ref.startsWith("-")) throw new LatheException.InvalidInput("not a git revision: '" + ref + "'");
        GitRun.Output out = git.run(1024, "rev-parse", "--verify", "--quiet", "--end-of-options", ref + "^{commit}");
        if (out.exit() != 0) {
            throw new LatheException.InvalidInput("unknown revision '" + ref + "': not a branch, tag or commit of the repository at " + git.dir());
        }
        return out.text().strip();
    }

    private static String shortId(String commit) {
        return commit.length() > 12 ? commit.substring(0, 12) : commit;
    }

    private static String[] diffArgs(String command, String... rest) {
        List<String> args = new ArrayList<>();
        args.add(command);
        args.addAll(DIFF_OPTIONS);
        args.addAll(List.of(rest));
        return args.toArray(String[]::new);
    }
}
