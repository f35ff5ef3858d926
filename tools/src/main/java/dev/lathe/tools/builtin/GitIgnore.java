package dev.lathe.tools.builtin;

import dev.lathe.tools.FileGateway;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The rules of one {@code .gitignore} file, as git reads them: blank lines and {@code #} comments skipped, {@code !}
 * re-includes, a trailing {@code /} matches folders only, a pattern with a {@code /} before its end is anchored to the
 * file's folder (otherwise it matches a name at any depth), {@code *} and {@code ?} stay within one path segment and
 * {@code **} crosses them. Later rules win. Used by the pure-Java walk when ripgrep is not installed.
 */
final class GitIgnore {
    private record Rule(Pattern pattern, boolean negated, boolean directoryOnly) {}

    private static final List<String> FILES = List.of(".gitignore", ".ignore", ".rgignore");

    /** The most of one ignore file read: a file of patterns, far below this; a longer one is not applied. */
    static final long MAX_BYTES = 4 << 20;

    private final Path base;
    private final List<Rule> rules;

    private GitIgnore(Path base, List<Rule> rules) {
        this.base = base;
        this.rules = rules;
    }

    /**
     * The rules of {@code dir}'s ignore files, in ripgrep's order of precedence (later wins): {@code .gitignore}, then
     * {@code .ignore}, then {@code .rgignore}. Empty when there are none.
     */
    static GitIgnore in(Path dir) {
        List<Rule> rules = new ArrayList<>();
        for (String name : FILES) {
            Path file = dir.resolve(name);
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) continue;
            try {
                // through the gateway, as git reads it: a link there is not followed out of the folder (git ignores a
                // linked .gitignore), a FIFO or a device is refused rather than waited on, a huge file is not held
                String text = FileGateway.of(dir, FileGateway.ReadRules.NONE).readString(file, MAX_BYTES);
                text.lines().forEach(line -> parse(line).ifPresent(rules::add));
            } catch (IOException | RuntimeException e) {
                // unreadable, refused or not UTF-8: ignore nothing rather than fail the search
            }
        }
        return new GitIgnore(dir, rules);
    }

    boolean isEmpty() { return rules.isEmpty(); }

    /** Whether these rules decide {@code path}: empty when none matches, else ignored (true) or re-included (false). */
    java.util.Optional<Boolean> decide(Path path, boolean directory) {
        // most folders have no ignore file, and every file is checked against each folder above it
        if (rules.isEmpty()) return java.util.Optional.empty();
        String relative = base.relativize(path).toString().replace('\\', '/');
        java.util.Optional<Boolean> out = java.util.Optional.empty();
        for (Rule r : rules) {
            if (r.directoryOnly() && !directory) continue;
            if (r.pattern().matcher(relative).matches()) out = java.util.Optional.of(!r.negated());
        }
        return out;
    }

    private static java.util.Optional<Rule> parse(String raw) {
        String line = raw.stripTrailing();
        if (line.isEmpty() || line.startsWith("#")) return java.util.Optional.empty();
        boolean negated = line.startsWith("!");
        if (negated) line = line.substring(1);
        if (line.startsWith("\\")) line = line.substring(1);
        boolean directoryOnly = line.endsWith("/");
        if (directoryOnly) line = line.substring(0, line.length() - 1);
        boolean anchored = line.contains("/");
        if (line.startsWith("/")) line = line.substring(1);
        if (line.isEmpty()) return java.util.Optional.empty();
        String regex = (anchored ? "" : "(?:.*/)?") + toRegex(line);
        return java.util.Optional.of(new Rule(Pattern.compile(regex), negated, directoryOnly));
    }

    private static String toRegex(String glob) {
        var sb = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                boolean slashAfter = i + 2 < glob.length() && glob.charAt(i + 2) == '/';
                sb.append(slashAfter ? "(?:.*/)?" : ".*");
                i += slashAfter ? 2 : 1;
            } else if (c == '*') {
                sb.append("[^/]*");
            } else if (c == '?') {
                sb.append("[^/]");
            } else if (c == '[') {
                int close = glob.indexOf(']', i);
                if (close < 0) {
                    sb.append("\\[");
                } else {
                    sb.append('[').append(glob, i + 1, close).append(']');
                    i = close;
                }
            } else {
                sb.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return sb.toString();
    }
}
