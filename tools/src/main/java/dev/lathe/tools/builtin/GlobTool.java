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
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code glob}: file paths matching a glob pattern, newest first. */
final class GlobTool implements Tool<GlobTool.Args> {
    record Args(String pattern, Optional<String> path) {}

    static final int MAX_FILES = 100;
    private static final String DESCRIPTION = Builtins.description("glob");
    private static final String SCHEMA = """
            {"type":"object","properties":{\
            "pattern":{"type":"string","description":"Glob pattern, e.g. **/*.java or src/**/test_*.py"},\
            "path":{"type":"string","description":"Folder to search (default: the project folder)"}},\
            "required":["pattern"],"additionalProperties":false}""";

    @Override public String name() { return "glob"; }

    @Override public String description() { return DESCRIPTION; }

    @Override public String parametersSchema() { return SCHEMA; }

    @Override public Class<Args> argsType() { return Args.class; }

    @Override public Set<Effect> effects() { return Set.of(Effect.READS_FILES); }

    @Override public PermissionSource permission() { return PermissionSource.checkedByTool(PermissionSource.Pattern.VALUE, "pattern"); }

    @Override public Truncation.Keep truncation() { return Truncation.Keep.HEAD; }

    private final Search search;

    GlobTool() { this(Search.auto()); }

    /** With a given search, so a test can run the ripgrep and the Java paths on one tree. */
    GlobTool(Search search) { this.search = search; }

    @Override
    public ToolResult run(Args args, ToolContext ctx) {
        Path root = args.path().map(p -> ProjectPaths.resolve(ctx, p)).orElse(ctx.projectDir());
        if (!Files.isDirectory(root)) throw new ToolFailure("not a folder: " + root);
        ProjectPaths.checkExternal(ctx, root, true);
        ctx.permissions().require(PermissionCheck.of("glob", PermissionSource.Pattern.VALUE, args.pattern(), "Find " + args.pattern()));
        PathMatcher matcher = matcher(args.pattern());
        // ripgrep only walks; the glob is matched here for both paths, so they cannot disagree on glob dialects
        List<Path> found = new ArrayList<>();
        for (Path f : search.files(root, Search.MAX_FILES, ctx)) if (matcher.matches(root.relativize(f))) found.add(f);
        if (found.isEmpty()) return ToolResult.of(args.pattern(), "No files found");
        FileWalk.sortNewestFirst(found);
        List<String> shown = found.stream().limit(MAX_FILES).map(Path::toString).toList();
        String more = found.size() > MAX_FILES
                ? "\n\n(results truncated: showing " + MAX_FILES + " of " + found.size() + " files, newest first; use a more specific pattern or path.)" : "";
        return new ToolResult(Truncation.apply(String.join("\n", shown) + more, Truncation.Keep.HEAD, ctx), args.pattern(),
                Map.of("count", Integer.toString(found.size()), "truncated", Boolean.toString(found.size() > MAX_FILES)));
    }

    /**
     * A glob over paths relative to the search folder. As in ripgrep and gitignore, a pattern without {@code /} matches
     * a file name at any depth, and a leading {@code **}{@code /} also matches at the top level (Java's own glob needs
     * at least one folder there).
     */
    static PathMatcher matcher(String pattern) {
        String glob = pattern.startsWith("./") ? pattern.substring(2) : pattern.startsWith("/") ? pattern.substring(1) : pattern;
        var fs = FileSystems.getDefault();
        if (!glob.contains("/")) {
            PathMatcher name = fs.getPathMatcher("glob:" + glob);
            return p -> name.matches(p.getFileName());
        }
        PathMatcher full = fs.getPathMatcher("glob:" + glob);
        if (!glob.startsWith("**/")) return full;
        PathMatcher top = fs.getPathMatcher("glob:" + glob.substring(3));
        return p -> full.matches(p) || top.matches(p);
    }
}
