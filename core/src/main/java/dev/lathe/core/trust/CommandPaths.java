package dev.lathe.core.trust;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A command line as {@code allowedCommands} compares it (decision 557): split into words the way the shell splits them
 * (quotes and backslashes taken away, so {@code /etc/lathe/hooks/".."} is seen as the {@code ..} it is), and each word
 * that is a path put in the form the kernel will open: {@code .} and {@code ..} resolved and, for an absolute path,
 * each existing link followed, from the root down. So {@code /etc/lathe/hooks/../../../bin/sh} is compared as
 * {@code /bin/sh}, and a link inside an admitted folder as the file it leads to. A path word with an unquoted
 * {@code * ? [ ] { }} has no one form (the shell makes other words of it: {@code hooks/{../../..,x}/bin/sh}), so its
 * command is not admitted. Operators ({@code ;} {@code |} …) and line breaks stay in the words, for the pattern's
 * {@code *} to refuse as before. A pattern is put in the same form up to its first {@code *}.
 */
public final class CommandPaths {
    private CommandPaths() {}

    public static final int MAX_LINE = 64 * 1024;

    /** One word as the shell reads it, and whether it holds an unquoted character the shell expands into other words. */
    private record Word(String text, boolean expands) {}

    /** {@code commandLine} in the form the policy compares; empty when a path in it has no one form. */
    public static Optional<String> canonical(String commandLine) {
        // each path word costs a walk of the file system: a line longer than any real command is not admitted
        if (commandLine.length() > MAX_LINE) return Optional.empty();
        List<String> out = new ArrayList<>();
        for (Word w : words(commandLine)) {
            if (!w.text().contains("/")) {
                out.add(w.text());
                continue;
            }
            if (w.expands()) return Optional.empty();
            Optional<String> path = path(w.text());
            if (path.isEmpty()) return Optional.empty();
            out.add(path.get());
        }
        return Optional.of(String.join(" ", out));
    }

    /** {@code pattern} in the same form: each path word's part before its first {@code *} up to the last {@code /}. */
    public static String canonicalPattern(String pattern) {
        List<String> out = new ArrayList<>();
        for (Word w : words(pattern)) {
            String text = w.text();
            int star = text.indexOf('*');
            String head = star < 0 ? text : text.substring(0, star);
            int slash = head.lastIndexOf('/');
            if (slash < 0) {
                out.add(text);
                continue;
            }
            String folder = text.substring(0, slash + 1);
            out.add(path(folder).map(f -> f.endsWith("/") ? f : f + "/").orElse(folder) + text.substring(slash + 1));
        }
        return String.join(" ", out);
    }

    /** The path's one form, a trailing {@code /} kept (so {@code hooks/} never becomes a prefix of {@code hooksevil}). */
    private static Optional<String> path(String text) {
        Path p;
        try {
            p = Path.of(text);
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
        String form = (p.isAbsolute() ? physical(p) : p.normalize()).toString();
        if (text.endsWith("/") && !form.endsWith("/")) form += "/";
        return Optional.of(form);
    }

    /**
     * {@code absolute} as the kernel walks it: each name in turn, a link followed as soon as it is met, {@code ..} the
     * parent of where the walk really is; once a name does not exist the rest is only normalised.
     */
    private static Path physical(Path absolute) {
        Path at = absolute.getRoot();
        boolean exists = true;
        for (Path name : absolute) {
            String s = name.toString();
            if (s.equals(".")) continue;
            if (s.equals("..")) {
                if (at.getParent() != null) at = at.getParent();
                continue;
            }
            at = at.resolve(s);
            if (!exists) continue;
            try {
                at = at.toRealPath();
            } catch (IOException | SecurityException e) {
                exists = false;
            }
        }
        return at;
    }

    /**
     * The words of {@code line} split at unquoted spaces and tabs, with quotes and backslashes taken away. A line break
     * does not split: it stays in its word for the pattern to refuse.
     */
    private static List<Word> words(String line) {
        List<Word> out = new ArrayList<>();
        var word = new StringBuilder();
        boolean started = false;
        boolean expands = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote == '\'') {
                if (c == '\'') quote = 0;
                else word.append(c);
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else if (c == '\\' && i + 1 < line.length() && "$`\"\\".indexOf(line.charAt(i + 1)) >= 0) {
                    word.append(line.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (c == ' ' || c == '\t') {
                if (started) out.add(new Word(word.toString(), expands));
                word.setLength(0);
                started = false;
                expands = false;
            } else {
                started = true;
                if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '\\' && i + 1 < line.length()) {
                    word.append(line.charAt(++i));
                } else {
                    if ("*?[]{}".indexOf(c) >= 0) expands = true;
                    word.append(c);
                }
            }
        }
        if (started) out.add(new Word(word.toString(), expands));
        return out;
    }
}
