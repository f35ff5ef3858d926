package dev.lathe.tools.builtin;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolFailure;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
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
        Pattern pattern;
        try {
            pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new ToolFailure("invalid regular expression: " + e.getMessage());
        }
        List<Path> files;
        if (Files.isDirectory(root)) {
            Optional<PathMatcher> only = include.map(g -> Search.includeMatcher(g, root));
            files = FileWalk.files(root, MAX_FILES).stream().filter(f -> only.isEmpty() || only.get().matches(f)).toList();
        } else {
            files = List.of(root);
        }
        AtomicInteger found = new AtomicInteger();
        List<Hit> hits = files.parallelStream().flatMap(f -> {
            if (ctx.cancellation().isCancelled() || found.get() >= max) return java.util.stream.Stream.<Hit>empty();
            List<Hit> inFile = search(pattern, f);
            found.addAndGet(inFile.size());
            return inFile.stream();
        }).toList();
        if (ctx.cancellation().isCancelled()) throw new ToolFailure("search cancelled");
        return hits.size() > max ? hits.subList(0, max) : hits;
    }

    private static List<Hit> search(Pattern pattern, Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return List.of(); // unreadable: skipped, as ripgrep --no-messages does
        }
        if (TextFile.hasNul(bytes)) return List.of();
        String text;
        try {
            // invalid UTF-8 becomes U+FFFD instead of hiding the whole file, much as ripgrep searches it lossily
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return List.of();
        }
        List<Hit> out = new ArrayList<>();
        int number = 0;
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) end = text.length();
            number++;
            String line = text.substring(start, end);
            if (pattern.matcher(line).find()) out.add(new Hit(file, number, Search.cut(line)));
            start = end + 1;
        }
        return out;
    }
}
