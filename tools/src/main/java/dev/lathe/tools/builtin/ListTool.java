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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/** {@code list}: an indented tree of a folder, without dependency and build folders. */
final class ListTool implements Tool<ListTool.Args> {
    record Args(Optional<String> path, Optional<List<String>> ignore) {}

    static final int MAX_ENTRIES = 100;
    private static final String DESCRIPTION = Builtins.description("list");
    private static final String SCHEMA = """
            {"type":"object","properties":{\
            "path":{"type":"string","description":"Folder to list (default: the project folder)"},\
            "ignore":{"type":"array","items":{"type":"string"},"description":"Glob patterns of paths to leave out"}},\
            "required":[],"additionalProperties":false}""";

    @Override public String name() { return "list"; }

    @Override public String description() { return DESCRIPTION; }

    @Override public String parametersSchema() { return SCHEMA; }

    @Override public Class<Args> argsType() { return Args.class; }

    @Override
    public ToolResult run(Args args, ToolContext ctx) {
        Path root = args.path().map(p -> ProjectPaths.resolve(ctx, p)).orElse(ctx.projectDir());
        if (!Files.isDirectory(root)) throw new ToolFailure("not a folder: " + root);
        ProjectPaths.checkExternal(ctx, root, true);
        ctx.permissions().require(PermissionCheck.of("list", ProjectPaths.pattern(ctx, root), "List " + root));
        List<PathMatcher> ignores = args.ignore().orElse(List.of()).stream()
                .map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
        List<Path> files = new ArrayList<>();
        if (Ripgrep.available()) {
            for (String line : Ripgrep.run(List.of("--files"), root, ctx, 10_000)) files.add(Path.of(line));
        } else {
            for (Path f : FileWalk.files(root, 10_000)) files.add(root.relativize(f));
        }
        Map<String, TreeSet<String>> tree = new TreeMap<>();
        int count = 0;
        for (Path rel : files.stream().sorted().toList()) {
            if (ignores.stream().anyMatch(m -> m.matches(rel))) continue;
            if (count++ >= MAX_ENTRIES) break;
            String parent = rel.getParent() == null ? "" : rel.getParent().toString() + "/";
            for (Path p = rel.getParent(); p != null; p = p.getParent()) {
                String pp = p.getParent() == null ? "" : p.getParent().toString() + "/";
                tree.computeIfAbsent(pp, _ -> new TreeSet<>()).add(p.getFileName() + "/");
            }
            tree.computeIfAbsent(parent, _ -> new TreeSet<>()).add(rel.getFileName().toString());
        }
        var out = new StringBuilder(root.toString()).append("/\n");
        render(tree, "", 1, out);
        if (count > MAX_ENTRIES) out.append("(Showing the first ").append(MAX_ENTRIES).append(" files; list a subfolder to see more.)\n");
        return new ToolResult(out.toString(), root.toString(), Map.of("count", Integer.toString(Math.min(count, MAX_ENTRIES))));
    }

    private static void render(Map<String, TreeSet<String>> tree, String dir, int depth, StringBuilder out) {
        for (String name : tree.getOrDefault(dir, new TreeSet<>())) {
            out.append("  ".repeat(depth)).append(name).append('\n');
            if (name.endsWith("/")) render(tree, dir + name, depth + 1, out);
        }
    }
}
