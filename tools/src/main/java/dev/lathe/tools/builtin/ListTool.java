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
import java.util.TreeMap;
import java.util.TreeSet;

/** {@code list}: an indented tree of a folder, without dependency and build folders. */
final class ListTool implements Tool<ListTool.Args> {
    record Args(Optional<String> path, Optional<List<String>> ignore) {}

    static final int MAX_ENTRIES = 100;
    private static final String DESCRIPTION = Builtins.description("list");
    private static final String SCHEMA = """
            {"type":"object","properties":{\
            "path":{"type":"string","description":"Default: the project folder"},\
            "ignore":{"type":"array","items":{"type":"string"},"description":"Globs to leave out"}},\
            "required":[],"additionalProperties":false}""";

    @Override public String name() { return "list"; }

    @Override public String description() { return DESCRIPTION; }

    @Override public String parametersSchema() { return SCHEMA; }

    @Override public Class<Args> argsType() { return Args.class; }

    @Override public Set<Effect> effects() { return Set.of(Effect.READS_FILES); }

    @Override public PermissionSource permission() { return PermissionSource.checkedByTool(PermissionSource.Pattern.PATH, "path"); }

    @Override public Truncation.Keep truncation() { return Truncation.Keep.HEAD; }

    private final Search search;

    ListTool() { this(Search.auto()); }

    /** With a given search, so a test can run the ripgrep and the Java paths on one tree. */
    ListTool(Search search) { this.search = search; }

    @Override
    public ToolResult run(Args args, ToolContext ctx) {
        // the real folder is listed and checked: a link in the project to a folder outside is outside
        Path root = ProjectPaths.real(args.path().map(p -> ProjectPaths.resolve(ctx, p)).orElse(ctx.folders().project()));
        if (!Files.isDirectory(root)) throw new ToolFailure("not a folder: " + root);
        ProjectPaths.checkExternal(ctx, root, true);
        ctx.guards().permissions().require(PermissionCheck.of("list", PermissionSource.Pattern.PATH, ProjectPaths.pattern(ctx, root), "List " + root));
        List<PathMatcher> ignores = args.ignore().orElse(List.of()).stream()
                .map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
        List<Path> files = new ArrayList<>();
        for (Path f : search.files(root, Search.MAX_FILES, ctx)) {
            Path rel = root.relativize(f);
            if (ignores.stream().noneMatch(m -> m.matches(rel))) files.add(f);
        }
        // over the cap, the newest files are the ones kept (what the user works on), then shown as a sorted tree
        FileWalk.sortNewestFirst(files);
        // a file a read rule denies is not named, under any of its names, as grep shows none of its lines (decision 385)
        ReadableHits.KeptFiles readable = ReadableHits.firstReadable(files, MAX_ENTRIES, root, ctx);
        int count = files.size() - readable.filesLeftOut();
        Map<String, TreeSet<String>> tree = new TreeMap<>();
        for (Path f : readable.files()) {
            Path rel = root.relativize(f);
            String parent = rel.getParent() == null ? "" : rel.getParent().toString() + "/";
            for (Path p = rel.getParent(); p != null; p = p.getParent()) {
                String pp = p.getParent() == null ? "" : p.getParent().toString() + "/";
                tree.computeIfAbsent(pp, _ -> new TreeSet<>()).add(p.getFileName() + "/");
            }
            tree.computeIfAbsent(parent, _ -> new TreeSet<>()).add(rel.getFileName().toString());
        }
        var out = new StringBuilder(root.toString()).append("/\n");
        render(tree, "", 1, out);
        if (count > MAX_ENTRIES) {
            out.append("\n(results truncated: showing the first ").append(MAX_ENTRIES).append(" of ").append(count)
                    .append(" files, the newest; list a subfolder or add ignore patterns to see more.)\n");
        }
        if (readable.filesLeftOut() > 0) out.append('\n').append(ReadableHits.note(readable.filesLeftOut())).append('\n');
        return new ToolResult(Truncation.apply(out.toString(), Truncation.Keep.HEAD, ctx), root.toString(),
                Map.of("count", Integer.toString(Math.min(count, MAX_ENTRIES)), "truncated", Boolean.toString(count > MAX_ENTRIES)));
    }

    private static void render(Map<String, TreeSet<String>> tree, String dir, int depth, StringBuilder out) {
        for (String name : tree.getOrDefault(dir, new TreeSet<>())) {
            out.append("  ".repeat(depth)).append(name).append('\n');
            if (name.endsWith("/")) render(tree, dir + name, depth + 1, out);
        }
    }
}
