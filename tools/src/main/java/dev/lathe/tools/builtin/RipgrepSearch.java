package dev.lathe.tools.builtin;

import dev.lathe.tools.ToolContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link Search} by the {@code rg} binary. */
record RipgrepSearch() implements Search {
    /**
     * Flags that make ripgrep walk exactly like {@link FileWalk}: hidden files in, ignore files honoured even outside a
     * git repository, the repository and dependency folders out, unreadable files skipped silently.
     */
    private static final List<String> WALK = List.of("--hidden", "--no-require-git", "--no-messages", "--glob", "!.git", "--glob", "!node_modules");

    @Override
    public List<Path> files(Path root, int max, ToolContext ctx) {
        List<String> args = new ArrayList<>(List.of("--files"));
        args.addAll(WALK);
        return Ripgrep.run(args, root, ctx, max).stream().map(line -> root.resolve(line).normalize()).toList();
    }

    @Override
    public List<Hit> grep(String regex, Path root, Optional<String> include, int max, ToolContext ctx) {
        // --null ends the file name with NUL, so names holding ':' still parse
        List<String> args = new ArrayList<>(List.of("--null", "--line-number", "--with-filename", "--no-heading", "--color", "never"));
        args.addAll(WALK);
        // a --glob would override .gitignore (an ignored Out.java would match *.java), a file type does not; types match
        // names only, so a path glob is applied to rg's output instead
        boolean nameGlob = include.isPresent() && !include.get().contains("/");
        if (nameGlob) args.addAll(List.of("--type-add", "lathe:" + include.get(), "--type", "lathe"));
        Optional<PathMatcher> pathGlob = include.filter(g -> g.contains("/") && Files.isDirectory(root)).map(g -> Search.includeMatcher(g, root));
        args.addAll(List.of("--regexp", regex, "--", root.toString()));
        Path dir = Files.isDirectory(root) ? root : root.getParent();
        List<Hit> hits = new ArrayList<>();
        for (String line : Ripgrep.run(args, dir, ctx, max)) {
            int nul = line.indexOf('\0');
            int colon = nul < 0 ? -1 : line.indexOf(':', nul + 1);
            if (colon < 0) continue; // "binary file matches" notes and the like
            try {
                int number = Integer.parseInt(line.substring(nul + 1, colon));
                Path file = Path.of(line.substring(0, nul)).toAbsolutePath().normalize();
                if (pathGlob.isEmpty() || pathGlob.get().matches(file)) hits.add(new Hit(file, number, Search.cut(line.substring(colon + 1))));
            } catch (NumberFormatException e) {
                // not a match line
            }
        }
        return hits;
    }
}
