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
            "pattern":{"type":"string","description":"e.g. src/**/*.ts"},\
            "path":{"type":"string","description":"Default: the project folder"}},\
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
        // the folder searched is its real path, checked as such: a link in the project to a folder outside is outside
        Path given = args.path().map(p -> ProjectPaths.resolve(ctx, p)).orElse(ctx.folders().project());
        Path root = ProjectPaths.real(given);
        if (!Files.isDirectory(root)) throw new ToolFailure("not a folder: " + root);
        String pattern = confined(args.pattern(), root);
        ProjectPaths.checkExternal(ctx, root, true);
        ctx.guards().permissions().require(PermissionCheck.of("glob", PermissionSource.Pattern.VALUE, args.pattern(), "Find " + args.pattern()));
        PathMatcher matcher = matcher(pattern);
        // ripgrep only walks; the glob is matched here for both paths, so they cannot disagree on glob dialects. Neither
        // follows links, and a result outside the root (which neither should give) is dropped, never shown.
        List<Path> matched = new ArrayList<>();
        for (Path f : search.files(root, Search.MAX_FILES, ctx)) {
            Path n = f.toAbsolutePath().normalize();
            if (n.startsWith(root) && matcher.matches(root.relativize(n))) matched.add(n);
        }
        FileWalk.sortNewestFirst(matched);
        // a file a read rule denies is not named, under any of its names, as grep shows none of its lines (decision 385)
        ReadableHits.KeptFiles readable = ReadableHits.firstReadable(matched, MAX_FILES, root, ctx);
        String leftOut = ReadableHits.note(readable.filesLeftOut());
        if (readable.files().isEmpty()) return ToolResult.of(args.pattern(), "No files found" + (leftOut.isEmpty() ? "" : "\n" + leftOut));
        int total = matched.size() - readable.filesLeftOut();
        // shown under the folder as named (the same files; a project reached through a link keeps its name)
        List<String> shown = readable.files().stream().map(n -> given.resolve(root.relativize(n)).toString()).toList();
        String more = total > MAX_FILES
                ? "\n\n(results truncated: showing " + MAX_FILES + " of " + total + " files, newest first; use a more specific pattern or path.)" : "";
        String note = leftOut.isEmpty() ? "" : "\n\n" + leftOut;
        return new ToolResult(Truncation.apply(String.join("\n", shown) + more + note, Truncation.Keep.HEAD, ctx), args.pattern(),
                Map.of("count", Integer.toString(total), "truncated", Boolean.toString(total > MAX_FILES)));
    }

    /**
     * {@code pattern} as a glob relative to {@code root}, refused when it would climb out of it: a {@code ..} segment,
     * or an absolute path that is not under the root (an absolute one under it is made relative). A pattern is never a
     * way to reach files the search folder (the one the permission check saw) does not hold.
     */
    static String confined(String pattern, Path root) {
        for (String segment : pattern.replace('\\', '/').split("/")) {
            if (segment.equals("..")) throw new ToolFailure("glob pattern '" + pattern + "' climbs out of the search folder with '..'; "
                    + "patterns are relative to the search folder: pass the folder to search as path instead");
        }
        if (pattern.startsWith("/")) {
            String under = root.toString().endsWith("/") ? root.toString() : root + "/";
            if (pattern.startsWith(under)) return pattern.substring(under.length());
            // "/src/**" has always meant the search folder's src: kept, as it cannot leave the folder
        }
        return pattern;
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
