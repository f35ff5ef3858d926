package dev.lathe.core.info;

import dev.lathe.llm.Cancellation;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.TextMatch;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.builtin.ProjectSearch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code GET /find/files} and {@code GET /find/text} over the files searches see ({@link ProjectSearch}: ripgrep or the
 * Java walk, {@code .gitignore} honoured, {@code .git} and {@code node_modules} skipped).
 */
final class FileFinder {
    /** More files than this are not ranked: the walk stops there. */
    static final int MAX_FILES = 100_000;
    /** How long one walk serves later queries: a client asks once per keystroke while the user types after {@code @}. */
    static final Duration REUSE = Duration.ofSeconds(3);
    private static final int MAX_LISTINGS = 16;

    /** The files of one folder at one time; the newest-first order is worked out on first use. */
    private static final class Listing {
        final long at;
        final List<String> paths;
        private volatile List<String> newestFirst;

        Listing(long at, List<String> paths) {
            this.at = at;
            this.paths = paths;
        }
    }

    private final ProjectSearch search;
    private final Duration reuse;
    private final Map<Path, Listing> listings = new ConcurrentHashMap<>();

    FileFinder(ProjectSearch search, Duration reuse) {
        this.search = search;
        this.reuse = reuse;
    }

    /**
     * Paths relative to {@code root}, best match first ({@link FuzzyScore}, then shorter, then by name); for an empty
     * query the most recently modified files, shorter paths first among equals. One walk of the folder serves the
     * queries of the next {@link #REUSE}, so a file created in between may be missing for that long.
     */
    List<String> files(Path root, String query, int limit) {
        Listing listing = listing(root);
        if (query.isBlank()) return recent(root, listing).stream().limit(limit).toList();
        List<String> paths = listing.paths;
        record Scored(String path, int score) {}
        Comparator<Scored> better = Comparator.comparingInt(Scored::score).reversed().thenComparingInt(s -> s.path().length())
                .thenComparing(Scored::path);
        // a bounded heap keeps the best `limit` without sorting every match
        var heap = new PriorityQueue<>(better.reversed());
        for (String p : paths) {
            OptionalInt score = FuzzyScore.score(query, p);
            if (score.isEmpty()) continue;
            heap.add(new Scored(p, score.getAsInt()));
            if (heap.size() > limit) heap.poll();
        }
        List<Scored> best = new ArrayList<>(heap);
        best.sort(better);
        return best.stream().map(Scored::path).toList();
    }

    /** Lines matching {@code regex}, by path and line. @throws LatheException.InvalidInput for an invalid regular expression */
    List<TextMatch> text(Path root, String regex, int limit) {
        if (regex.isEmpty()) throw new LatheException.InvalidInput("pattern must not be empty");
        List<ProjectSearch.Hit> hits;
        try {
            hits = search.grep(regex, root, limit, new Cancellation());
        } catch (IllegalArgumentException e) {
            throw new LatheException.InvalidInput(e.getMessage());
        } catch (ToolFailure e) {
            throw new LatheException.Failed("search_failed", e.getMessage());
        }
        return hits.stream()
                .map(h -> new TextMatch(root.relativize(h.file()).toString().replace('\\', '/'), h.line(), h.text()))
                .sorted(Comparator.comparing(TextMatch::path).thenComparingInt(TextMatch::line))
                .limit(limit)
                .toList();
    }

    private Listing listing(Path root) {
        long now = System.nanoTime();
        Listing cached = listings.get(root);
        if (cached != null && now - cached.at < reuse.toNanos()) return cached;
        var fresh = new Listing(now, relative(root, search.files(root, MAX_FILES, new Cancellation())));
        if (listings.size() >= MAX_LISTINGS) listings.clear();
        listings.put(root, fresh);
        return fresh;
    }

    private static List<String> recent(Path root, Listing listing) {
        List<String> out = listing.newestFirst;
        if (out != null) return out;
        record Dated(String path, long modified) {}
        out = listing.paths.stream().map(p -> new Dated(p, modified(root.resolve(p))))
                .sorted(Comparator.comparingLong(Dated::modified).reversed().thenComparingInt(d -> d.path().length()).thenComparing(Dated::path))
                .map(Dated::path).toList();
        listing.newestFirst = out;
        return out;
    }

    private static List<String> relative(Path root, List<Path> files) {
        List<String> out = new ArrayList<>(files.size());
        for (Path f : files) if (f.startsWith(root)) out.add(root.relativize(f).toString().replace('\\', '/'));
        return out;
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
