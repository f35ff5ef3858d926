package dev.lathe.tools.builtin;

import dev.lathe.tools.Effect;
import dev.lathe.tools.PermissionCheck;
import dev.lathe.tools.PermissionSource;
import dev.lathe.tools.ProjectPaths;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolResult;
import dev.lathe.tools.Truncation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code grep}: regex search over file contents, newest files first. */
final class GrepTool implements Tool<GrepTool.Args> {
    record Args(String pattern, Optional<String> path, Optional<String> include) {}

    static final int MAX_MATCHES = 100;
    private static final String DESCRIPTION = Builtins.description("grep");
    private static final String SCHEMA = """
            {"type":"object","properties":{\
            "pattern":{"type":"string"},\
            "path":{"type":"string","description":"Default: the project folder"},\
            "include":{"type":"string"}},\
            "required":["pattern"],"additionalProperties":false}""";

    @Override public String name() { return "grep"; }

    @Override public String description() { return DESCRIPTION; }

    @Override public String parametersSchema() { return SCHEMA; }

    @Override public Class<Args> argsType() { return Args.class; }

    @Override public Set<Effect> effects() { return Set.of(Effect.READS_FILES); }

    @Override public PermissionSource permission() { return PermissionSource.checkedByTool(PermissionSource.Pattern.VALUE, "pattern"); }

    @Override public Truncation.Keep truncation() { return Truncation.Keep.HEAD; }

    private final Search search;

    GrepTool() { this(Search.auto()); }

    /** With a given search, so a test can run the ripgrep and the Java paths on one tree. */
    GrepTool(Search search) { this.search = search; }

    @Override
    public ToolResult run(Args args, ToolContext ctx) {
        // the folder or file searched is its real path, checked as such: a link in the project to a folder outside is outside
        Path given = args.path().map(p -> ProjectPaths.resolve(ctx, p)).orElse(ctx.folders().project());
        Path root = ProjectPaths.real(given);
        if (!Files.exists(root)) throw new ToolFailure("path does not exist: " + root);
        if (!Files.isDirectory(root)) {
            try {
                // a FIFO or a device named as the path would block the search (ripgrep's or ours) forever
                TextFile.requireRegular(root, "search");
            } catch (java.io.IOException e) {
                throw new ToolFailure("cannot search " + root + ": " + e.getMessage(), e);
            }
        }
        if (args.pattern().isEmpty()) throw new ToolFailure("pattern must not be empty");
        args.include().ifPresent(g -> GlobTool.confined(g, root));
        ProjectPaths.checkExternal(ctx, root, Files.isDirectory(root));
        ctx.guards().permissions().require(PermissionCheck.of("grep", PermissionSource.Pattern.VALUE, args.pattern(), "Search for " + args.pattern()));
        // a hit outside the root (which neither search should give: links are not followed) is dropped, never shown
        List<Search.Hit> found = search.grep(args.pattern(), root, args.include(), Search.MAX_HITS, ctx).stream()
                .filter(h -> h.file().toAbsolutePath().normalize().startsWith(root)).toList();
        // nothing of a file a read rule denies is shown, under any of its names (the search itself reads everything)
        ReadableHits.Kept readable = ReadableHits.of(found, root, ctx);
        List<Search.Hit> hits = readable.hits().stream()
                // shown under the path as named (the same files; a project reached through a link keeps its name)
                .map(h -> new Search.Hit(given.resolve(root.relativize(h.file().toAbsolutePath().normalize())).normalize(), h.line(), h.text()))
                .toList();
        String leftOut = readable.filesLeftOut() == 0 ? ""
                : "\n(" + readable.filesLeftOut() + (readable.filesLeftOut() == 1 ? " file" : " files") + " with matches left out: a read rule denies "
                        + (readable.filesLeftOut() == 1 ? "it" : "them") + ".)\n";
        if (hits.isEmpty()) return ToolResult.of(args.pattern(), "No files found" + leftOut);
        Map<Path, List<Search.Hit>> byFile = new HashMap<>();
        for (Search.Hit h : hits) byFile.computeIfAbsent(h.file(), _ -> new ArrayList<>()).add(h);
        List<Path> files = new ArrayList<>(byFile.keySet());
        // newest first: the file the user just touched is most likely the one wanted; the path breaks ties so output is stable
        FileWalk.sortNewestFirst(files);
        int total = hits.size();
        var out = new StringBuilder("Found " + total + (total >= Search.MAX_HITS ? "+" : "") + " match(es).\n");
        int shown = 0;
        for (Path f : files) {
            if (shown >= MAX_MATCHES) break;
            out.append(f).append(":\n");
            List<Search.Hit> inFile = byFile.get(f);
            inFile.sort(Comparator.comparingInt(Search.Hit::line));
            for (Search.Hit h : inFile) {
                if (shown >= MAX_MATCHES) break;
                out.append("  Line ").append(h.line()).append(": ").append(h.text()).append('\n');
                shown++;
            }
        }
        if (total > shown) {
            out.append("\n(results truncated: showing ").append(shown).append(" of ").append(total)
                    .append(" matches; use a more specific pattern, path or include.)\n");
        }
        out.append(leftOut);
        return new ToolResult(Truncation.apply(out.toString(), Truncation.Keep.HEAD, ctx), args.pattern(),
                Map.of("matches", Integer.toString(total), "truncated", Boolean.toString(total > shown)));
    }
}
