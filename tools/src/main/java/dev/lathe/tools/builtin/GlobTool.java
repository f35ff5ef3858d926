package dev.lathe.tools.builtin;

import dev.lathe.tools.PermissionCheck;
import dev.lathe.tools.ProjectPaths;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolResult;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    @Override
    public ToolResult run(Args args, ToolContext ctx) {
        Path root = args.path().map(p -> ProjectPaths.resolve(ctx, p)).orElse(ctx.projectDir());
        if (!Files.isDirectory(root)) throw new ToolFailure("not a folder: " + root);
        ProjectPaths.checkExternal(ctx, root, true);
        ctx.permissions().require(PermissionCheck.of("glob", args.pattern(), "Find " + args.pattern()));
        List<Path> found = new ArrayList<>();
        if (Ripgrep.available()) {
            for (String line : Ripgrep.run(List.of("--files", "--glob", args.pattern()), root, ctx, 100_000)) found.add(root.resolve(line).normalize());
        } else {
            String glob = args.pattern().startsWith("**/") || args.pattern().contains("/") ? args.pattern() : "**/" + args.pattern();
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
            PathMatcher direct = FileSystems.getDefault().getPathMatcher("glob:" + args.pattern());
            for (Path f : FileWalk.files(root, 200_000)) {
                Path rel = root.relativize(f);
                if (matcher.matches(rel) || direct.matches(rel)) found.add(f);
            }
        }
        if (found.isEmpty()) return ToolResult.of(args.pattern(), "No files found");
        found.sort(Comparator.comparingLong(FileWalk::modified).reversed().thenComparing(Path::toString));
        List<String> shown = found.stream().limit(MAX_FILES).map(Path::toString).toList();
        String more = found.size() > MAX_FILES ? "\n(Showing " + MAX_FILES + " of " + found.size() + " files; use a more specific pattern.)" : "";
        return new ToolResult(String.join("\n", shown) + more, args.pattern(), Map.of("count", Integer.toString(found.size())));
    }
}
