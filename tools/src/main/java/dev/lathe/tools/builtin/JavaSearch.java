package dev.lathe.tools.builtin;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.lathe.tools.FileGateway;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link Search} without ripgrep: {@link FileWalk} for files and RE2/J for patterns, because a model-written regex must
 * not be able to hang the JVM with catastrophic backtracking (RE2 runs in linear time). Files are searched in parallel.
 */
record JavaSearch() implements Search {
    @Override
    public List<Path> files(Path root, int max, ToolContext ctx) { return FileWalk.files(root, max); }

    @Override
    public List<Hit> grep(String regex, Path root, Optional<String> include, int max, ToolContext ctx) {
        Lines pattern = Lines.compile(regex);
        List<Path> files;
        if (Files.isDirectory(root)) {
            Optional<PathMatcher> only = include.map(g -> Search.includeMatcher(g, root));
            files = FileWalk.files(root, MAX_FILES).stream().filter(f -> only.isEmpty() || only.get().matches(f)).toList();
        } else {
            files = List.of(root);
        }
        AtomicInteger found = new AtomicInteger();
        List<Hit> hits = files.parallelStream().flatMap(f -> {
            if (ctx.call().cancellation().isCancelled() || found.get() >= max) return java.util.stream.Stream.<Hit>empty();
            List<Hit> inFile = search(pattern, f);
            found.addAndGet(inFile.size());
            return inFile.stream();
        }).toList();
        if (ctx.call().cancellation().isCancelled()) throw new ToolFailure("search cancelled");
        return hits.size() > max ? hits.subList(0, max) : hits;
    }

    /**
     * A pattern matched against single lines, as ripgrep matches it, plus the same pattern in multi-line mode to find
     * candidate lines in a whole file at once: one scan per file instead of a matcher per line, which is most of the
     * cost when nearly every file has no match. A line counts only if it matches on its own.
     *
     * <p>Why a whole-file scan misses no line: a match inside a line is also a match at the same place in the file
     * ({@code ^}, {@code $} and {@code \b} see a line break where the line's own ends were), so the leftmost match from
     * any line start begins no later than the first line that matches. {@code \A}, {@code \z} and a flag group turning
     * multi-line mode off break that, so those patterns are matched line by line.
     */
    record Lines(Pattern line, Optional<Pattern> file) {
        private static final java.util.regex.Pattern NO_MULTILINE = java.util.regex.Pattern.compile("\\\\[Az]|\\(\\?[a-zA-Z]*-[a-zA-Z]*m");

        static Lines compile(String regex) {
            try {
                Optional<Pattern> file = NO_MULTILINE.matcher(regex).find() ? Optional.empty() : Optional.of(Pattern.compile(regex, Pattern.MULTILINE));
                return new Lines(Pattern.compile(regex), file);
            } catch (PatternSyntaxException e) {
                throw new ToolFailure("invalid regular expression: " + e.getMessage());
            }
        }
    }

    /** Files above this size are searched line by line as they stream by, never loaded whole (see {@link #searchLarge}). */
    static final long WHOLE_FILE_MAX = TextFile.MAX_BYTES;
    /** How much of one line a streamed search matches against: a longer line is matched on its beginning. */
    static final int LARGE_LINE_MAX = 64 * 1024;

    static List<Hit> search(Lines pattern, Path file) {
        byte[] bytes;
        try {
            // only regular files: a FIFO would block the read; the walk yields none, a path given may be one
            if (!Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return List.of();
            if (Files.size(file) > WHOLE_FILE_MAX) return searchLarge(pattern, file);
            // through the gateway: one no-follow handle on the file checked, never a FIFO or a device swapped in since;
            // its read rules are judged on the hits (ReadableHits), the tool's permission and real-path checks came first
            bytes = FileGateway.anywhere().readAllBytes(file);
        } catch (IOException e) {
            return List.of(); // unreadable: skipped, as ripgrep --no-messages does
        }
        if (TextFile.hasNul(bytes)) return List.of();
        // invalid UTF-8 becomes U+FFFD instead of hiding the whole file, much as ripgrep searches it lossily
        String text = new String(bytes, StandardCharsets.UTF_8);
        List<Hit> out = new ArrayList<>();
        int number = 1;
        int start = 0;
        if (pattern.file().isPresent()) {
            Matcher m = pattern.file().get().matcher(text);
            boolean acrossLines = false;
            while (start < text.length() && m.find(start)) {
                for (int nl = text.indexOf('\n', start); nl >= 0 && nl < m.start(); nl = text.indexOf('\n', start)) {
                    number++;
                    start = nl + 1;
                }
                if (start >= text.length()) break; // an empty match after the last line break: no line there
                int end = lineEnd(text, start);
                String line = text.substring(start, end);
                // a candidate that fails on its own matched across a line break ((?s), \n): finish line by line
                acrossLines = !pattern.line().matcher(line).find();
                if (acrossLines) break;
                out.add(new Hit(file, number, Search.cut(line)));
                number++;
                start = end + 1;
            }
            if (!acrossLines) return out;
        }
        for (; start < text.length(); number++) {
            int end = lineEnd(text, start);
            String line = text.substring(start, end);
            if (pattern.line().matcher(line).find()) out.add(new Hit(file, number, Search.cut(line)));
            start = end + 1;
        }
        return out;
    }

    /**
     * A file too large to hold, searched in bounded memory: line by line (a pattern that spans lines is matched within
     * each line only), each line up to {@link #LARGE_LINE_MAX} characters, invalid UTF-8 replaced; a NUL in the first
     * block marks it binary and skips it, as for small files.
     */
    private static List<Hit> searchLarge(Lines pattern, Path file) {
        List<Hit> out = new ArrayList<>();
        try (var in = new java.io.BufferedInputStream(FileGateway.anywhere().open(file).in(), 64 * 1024)) {
            in.mark(8192);
            if (TextFile.hasNul(in.readNBytes(8192))) return List.of();
            in.reset();
            var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPLACE);
            try (var lines = new LineReader(in, decoder, LARGE_LINE_MAX, LineReader.Breaks.LF)) {
                int number = 0;
                for (LineReader.Line line = lines.next(); line != null; line = lines.next()) {
                    number++;
                    if (pattern.line().matcher(line.text()).find()) out.add(new Hit(file, number, Search.cut(line.text())));
                }
            }
        } catch (IOException e) {
            return out; // unreadable or gone: what was found so far, as ripgrep --no-messages does
        }
        return out;
    }

    private static int lineEnd(String text, int start) {
        int end = text.indexOf('\n', start);
        return end < 0 ? text.length() : end;
    }
}
