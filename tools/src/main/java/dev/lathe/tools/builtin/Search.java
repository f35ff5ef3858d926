package dev.lathe.tools.builtin;

import dev.lathe.tools.ToolContext;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Optional;

/**
 * Where grep, glob and list get files and matching lines: ripgrep when it is installed (fast, native), else a pure-Java
 * walk with RE2/J. Both must give the same answer for the same tree (a test runs both on one tree), so the rules they
 * share live here: hidden files are searched, {@code .git} and {@code node_modules} never, ignore files always apply
 * (with or without a repository), and long lines are cut the same way.
 */
sealed interface Search permits RipgrepSearch, JavaSearch {
    /** Upper bounds on what one call collects before sorting; far above what a tool shows, they only bound memory. */
    int MAX_FILES = 100_000;
    int MAX_HITS = 10_000;
    /** Matching lines longer than this are cut, like {@code read}'s long lines. */
    int MAX_LINE = 2000;

    /** One matching line, numbered from 1. */
    record Hit(Path file, int line, String text) {}

    static Search auto() { return Ripgrep.available() ? new RipgrepSearch() : new JavaSearch(); }

    /** Regular files under the folder {@code root} that no ignore rule hides, absolute, at most {@code max}. */
    List<Path> files(Path root, int max, ToolContext ctx);

    /**
     * Lines matching {@code regex} under {@code root} (a folder, or one file searched whatever its name), at most
     * {@code max}; {@code include} keeps files whose name (or, if it has a {@code /}, path under root) matches the glob.
     */
    List<Hit> grep(String regex, Path root, Optional<String> include, int max, ToolContext ctx);

    static String cut(String line) {
        String text = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        return text.length() > MAX_LINE ? text.substring(0, MAX_LINE) + "... (line truncated)" : text;
    }

    /** ripgrep's reading of a {@code --glob}: a name glob unless it contains a slash, then a path glob under root. */
    static PathMatcher includeMatcher(String glob, Path root) {
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + (glob.startsWith("/") ? glob.substring(1) : glob));
        if (!glob.contains("/")) return p -> m.matches(p.getFileName());
        return p -> m.matches(root.relativize(p));
    }
}
