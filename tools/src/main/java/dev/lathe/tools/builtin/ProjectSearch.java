package dev.lathe.tools.builtin;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.lathe.llm.Cancellation;
import dev.lathe.tools.Permissions;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolFailure;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The search behind grep, glob and list for callers that are not tools (the API's file routes): the same two paths
 * (ripgrep when installed, else the Java walk with RE2/J) and the same ignore rules, so a client's file picker and the
 * model see the same files.
 *
 * <p>Contract: blocking, safe to call from any thread; results are absolute paths under the searched folder.
 */
public final class ProjectSearch {
    /** One matching line, numbered from 1; long lines are cut as grep cuts them. */
    public record Hit(Path file, int line, String text) {}

    /** Chosen at the first search, not at construction: looking for ripgrep stays off the server's start-up path. */
    private final java.util.function.Supplier<Search> search;

    private ProjectSearch(java.util.function.Supplier<Search> search) {
        this.search = search;
    }

    /** ripgrep when it is on the {@code PATH}, else the Java walk. */
    public static ProjectSearch auto() { return new ProjectSearch(Search::auto); }

    /** The Java walk and RE2/J, whatever is installed (for tests of the fallback). */
    public static ProjectSearch javaWalk() { return new ProjectSearch(JavaSearch::new); }

    /** Regular files under {@code root} that no ignore rule hides, never {@code .git} or {@code node_modules}, at most {@code max}. */
    public List<Path> files(Path root, int max, Cancellation cancel) {
        return search.get().files(root, max, context(root, cancel));
    }

    /**
     * Lines under {@code root} matching {@code regex}, at most {@code max}, in no particular order.
     *
     * @throws IllegalArgumentException when {@code regex} is not a valid regular expression (RE2 syntax, which
     *     ripgrep's also is)
     * @throws ToolFailure when the search itself failed (ripgrep could not run, cancelled)
     */
    public List<Hit> grep(String regex, Path root, int max, Cancellation cancel) {
        try {
            Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid regular expression: " + e.getMessage(), e);
        }
        try {
            List<Hit> out = new ArrayList<>();
            for (Search.Hit h : search.get().grep(regex, root, Optional.empty(), max, context(root, cancel))) out.add(new Hit(h.file(), h.line(), h.text()));
            return out;
        } catch (ToolFailure e) {
            // a pattern RE2 accepts and ripgrep's engine does not: still the caller's input
            if (e.getMessage().startsWith(Ripgrep.INVALID)) throw new IllegalArgumentException(e.getMessage(), e);
            throw e;
        }
    }

    /** Whether a file or folder of that name is left out of every search, ignore files or not. */
    public static boolean isSkipped(String name) { return FileWalk.SKIPPED.contains(name); }

    /**
     * The ignore rules that apply to the entries of {@code folder} (at or under {@code root}): those of {@code root}'s
     * ancestors up to the repository, of {@code root} and of every folder down to {@code folder}. Rules read by the
     * Java walk: {@code .gitignore}, {@code .ignore}, {@code .rgignore}.
     */
    public static Ignores ignoresOf(Path root, Path folder) {
        Deque<GitIgnore> chain = FileWalk.ancestors(root);
        boolean hidden = false;
        Path current = root;
        chain.push(GitIgnore.in(current));
        for (Path name : root.relativize(folder)) {
            if (name.toString().isEmpty()) continue;
            current = current.resolve(name);
            hidden = hidden || isSkipped(name.toString()) || FileWalk.ignored(chain, current, true);
            chain.push(GitIgnore.in(current));
        }
        return new Ignores(new ArrayDeque<>(chain), hidden);
    }

    /** Ignore decisions for the entries of one folder. */
    public static final class Ignores {
        private final Deque<GitIgnore> chain;
        private final boolean folderIgnored;

        private Ignores(Deque<GitIgnore> chain, boolean folderIgnored) {
            this.chain = chain;
            this.folderIgnored = folderIgnored;
        }

        /** Whether searches leave {@code entry} (a direct child of the folder) out; everything in an ignored folder is. */
        public boolean isIgnored(Path entry) {
            if (folderIgnored || isSkipped(entry.getFileName().toString())) return true;
            // links are not followed, as the walk does not follow them
            return FileWalk.ignored(chain, entry, Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS));
        }
    }

    private static ToolContext context(Path root, Cancellation cancel) {
        return ToolContext.builder(root, Permissions.ALLOW_ALL).cancellation(cancel).build();
    }
}
