package dev.lathe.core.git;

import dev.lathe.protocol.api.LatheException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

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
    private static final long TIMEOUT_SECONDS = 60;
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
        Git git = new Git(dir);
        Output top = git.run(1024, "rev-parse", "--show-toplevel");
        if (top.exit() != 0) throw new LatheException.InvalidInput("not a git repository: " + dir + " (lathe review reviews a git diff)");
        Git repo = new Git(Path.of(top.text().strip()));
        ReviewDiff diff = switch (scope) {
            case Scope.Uncommitted() -> uncommitted(repo, maxBytes);
            case Scope.Base(String ref) -> base(repo, ref, maxBytes);
            case Scope.Commit(String ref) -> commit(repo, ref, maxBytes);
        };
        if (diff.diff().isBlank() && diff.files().isBlank()) throw new LatheException.InvalidInput("nothing to review: no " + diff.description());
        return diff;
    }

    private static ReviewDiff uncommitted(Git git, int maxBytes) {
        String base = git.run(1024, "rev-parse", "--verify", "--quiet", "HEAD").exit() == 0 ? "HEAD" : EMPTY_TREE;
        Output diff = git.run(maxBytes, diffArgs("diff", base, "--"));
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
            Output one = git.run(room, diffArgs("diff", "--no-index", "--", "/dev/null", file));
            text.append(one.text());
            truncated |= one.truncated();
        }
        return new ReviewDiff(git.dir(), "uncommitted changes (staged, unstaged and untracked files) in " + git.dir(), names.toString(), text.toString(),
                truncated);
    }

    private static ReviewDiff base(Git git, String ref, int maxBytes) {
        String commit = commitOf(git, ref);
        Output mergeBase = git.run(1024, "merge-base", "HEAD", commit);
        if (mergeBase.exit() != 0) throw new LatheException.InvalidInput("the current branch and " + ref + " have no common ancestor");
        String base = mergeBase.text().strip();
        Output diff = git.run(maxBytes, diffArgs("diff", base, "--"));
        if (diff.exit() != 0) throw new LatheException.Failed("git diff failed: " + diff.error().strip());
        String files = git.run(MAX_FILE_LIST, "diff", "--name-status", base, "--").text();
        return new ReviewDiff(git.dir(), "changes of the current branch against " + ref + " (since their merge base " + shortId(base)
                + ", uncommitted changes included)", files, diff.text(), diff.truncated());
    }

    private static ReviewDiff commit(Git git, String ref, int maxBytes) {
        String commit = commitOf(git, ref);
        Output diff = git.run(maxBytes, diffArgs("show", "--format=commit %H%nAuthor: %an <%ae>%nDate:   %ad%n%n%B", commit, "--"));
        if (diff.exit() != 0) throw new LatheException.Failed("git show failed: " + diff.error().strip());
        String files = git.run(MAX_FILE_LIST, "show", "--name-status", "--format=", commit, "--").text();
        return new ReviewDiff(git.dir(), "changes of commit " + shortId(commit) + (ref.equals(commit) ? "" : " (" + ref + ")"), files, diff.text(),
                diff.truncated());
    }

    /** The commit {@code ref} names, or refused in the user's words. */
    private static String commitOf(Git git, String ref) {
        // an option-like ref would be read by git as an option
        if (ref.isBlank() || ref.startsWith("-")) throw new LatheException.InvalidInput("not a git revision: '" + ref + "'");
        Output out = git.run(1024, "rev-parse", "--verify", "--quiet", "--end-of-options", ref + "^{commit}");
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

    /** What one git command printed, {@code text} cut at the bound it was read with. */
    private record Output(int exit, String text, boolean truncated, String error) {}

    /** git in one folder, under {@link HostGit}'s options (asked once), with the variables that would point it elsewhere dropped. */
    private static final class Git {
        private final Path dir;
        private List<String> options;

        Git(Path dir) {
            this.dir = dir;
        }

        Path dir() {
            return dir;
        }

        Output run(int maxBytes, String... args) {
            if (options == null) options = HostGit.options(dir);
            List<String> command = new ArrayList<>(List.of("git"));
            command.addAll(options);
            command.addAll(List.of("-c", "core.quotepath=false"));
            command.addAll(List.of(args));
            var pb = new ProcessBuilder(command).directory(dir.toFile());
            for (String v : List.of("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY", "GIT_EXTERNAL_DIFF")) {
                pb.environment().remove(v);
            }
            pb.environment().put("GIT_TERMINAL_PROMPT", "0");
            pb.environment().put("GIT_PAGER", "cat");
            try {
                Process p = pb.start();
                p.getOutputStream().close();
                CompletableFuture<Bounded> err = CompletableFuture.supplyAsync(() -> Bounded.read(p.getErrorStream(), 8192), Thread::startVirtualThread);
                Bounded out = Bounded.read(p.getInputStream(), maxBytes);
                if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new LatheException.Failed("git " + args[0] + " took longer than " + TIMEOUT_SECONDS + " s in " + dir);
                }
                return new Output(p.exitValue(), out.text(), out.truncated(), err.join().text());
            } catch (IOException e) {
                throw new LatheException.Unavailable("cannot run git: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LatheException.Failed("interrupted while git " + args[0] + " ran");
            }
        }
    }

    /** A stream read to its end, its first {@code max} bytes kept (cut at a line's end when one is near). */
    private record Bounded(String text, boolean truncated) {
        static Bounded read(InputStream in, int max) {
            var kept = new ByteArrayOutputStream();
            byte[] buffer = new byte[16 * 1024];
            boolean cut = false;
            try (in) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    int room = max - kept.size();
                    if (n > room) cut = true;
                    if (room > 0) kept.write(buffer, 0, Math.min(n, room));
                }
            } catch (IOException e) {
                // the process ended or was ended: what was read stands
            }
            String text = kept.toString(StandardCharsets.UTF_8);
            if (cut) {
                int line = text.lastIndexOf('\n');
                if (line > text.length() / 2) text = text.substring(0, line + 1);
            }
            return new Bounded(text, cut);
        }
    }
}
