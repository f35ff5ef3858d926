package dev.lathe.tools.builtin;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.lathe.tools.PermissionCheck;
import dev.lathe.tools.ProjectPaths;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code grep}: regex search over file contents, newest files first. */
final class GrepTool implements Tool<GrepTool.Args> {
    record Args(String pattern, Optional<String> path, Optional<String> include) {}

    static final int MAX_MATCHES = 100;
    private static final String DESCRIPTION = Builtins.description("grep");
    private static final String SCHEMA = """
            {"type":"object","properties":{\
            "pattern":{"type":"string","description":"Regular expression to search for"},\
            "path":{"type":"string","description":"Folder or file to search (default: the project folder)"},\
            "include":{"type":"string","description":"Only files matching this glob, e.g. *.java or *.{ts,tsx}"}},\
            "required":["pattern"],"additionalProperties":false}""";

    @Override public String name() { return "grep"; }

    @Override public String description() { return DESCRIPTION; }

    @Override public String parametersSchema() { return SCHEMA; }

    @Override public Class<Args> argsType() { return Args.class; }

    @Override
    public ToolResult run(Args args, ToolContext ctx) {
        Path root = args.path().map(p -> ProjectPaths.resolve(ctx, p)).orElse(ctx.projectDir());
        if (!Files.exists(root)) throw new ToolFailure("path does not exist: " + root);
        ProjectPaths.checkExternal(ctx, root, Files.isDirectory(root));
        ctx.permissions().require(PermissionCheck.of("grep", args.pattern(), "Search for " + args.pattern()));
        Map<Path, List<String>> byFile = Ripgrep.available() ? withRipgrep(args, root, ctx) : inJava(args, root);
        if (byFile.isEmpty()) return ToolResult.of(args.pattern(), "No files found");
        List<Path> files = new ArrayList<>(byFile.keySet());
        files.sort(Comparator.comparingLong(FileWalk::modified).reversed().thenComparing(Path::toString));
        var out = new StringBuilder();
        int shown = 0;
        int total = byFile.values().stream().mapToInt(List::size).sum();
        for (Path f : files) {
            if (shown >= MAX_MATCHES) break;
            out.append(f).append(":\n");
            for (String m : byFile.get(f)) {
                if (shown++ >= MAX_MATCHES) break;
                out.append("  ").append(m).append('\n');
            }
        }
        String header = "Found " + total + " match(es)" + (total > MAX_MATCHES ? ", showing the first " + MAX_MATCHES + "; narrow the search" : "") + ".\n";
        return new ToolResult(header + out, args.pattern(), Map.of("matches", Integer.toString(total)));
    }

    private static Map<Path, List<String>> withRipgrep(Args args, Path root, ToolContext ctx) {
        List<String> rgArgs = new ArrayList<>(List.of("--line-number", "--with-filename", "--no-heading", "--color", "never", "--max-columns", "500"));
        args.include().ifPresent(g -> rgArgs.addAll(List.of("--glob", g)));
        rgArgs.addAll(List.of("-e", args.pattern(), root.toString()));
        Map<Path, List<String>> out = new LinkedHashMap<>();
        for (String line : Ripgrep.run(rgArgs, root.toFile().isDirectory() ? root : root.getParent(), ctx, 5000)) {
            int first = line.indexOf(':');
            int second = first < 0 ? -1 : line.indexOf(':', first + 1);
            if (second < 0) continue;
            out.computeIfAbsent(Path.of(line.substring(0, first)), _ -> new ArrayList<>())
                    .add("Line " + line.substring(first + 1, second) + ": " + line.substring(second + 1));
        }
        return out;
    }

    private static Map<Path, List<String>> inJava(Args args, Path root) {
        Pattern pattern;
        try {
            pattern = Pattern.compile(args.pattern());
        } catch (PatternSyntaxException e) {
            throw new ToolFailure("invalid regular expression: " + e.getMessage());
        }
        Optional<PathMatcher> include = args.include().map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g));
        List<Path> files = Files.isDirectory(root) ? FileWalk.files(root, 100_000) : List.of(root);
        Map<Path, List<String>> out = new LinkedHashMap<>();
        for (Path f : files) {
            if (include.isPresent() && !include.get().matches(f.getFileName())) continue;
            if (TextFile.looksBinary(f)) continue;
            try {
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    if (pattern.matcher(lines.get(i)).find()) out.computeIfAbsent(f, _ -> new ArrayList<>()).add("Line " + (i + 1) + ": " + lines.get(i));
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                // unreadable or not UTF-8: skip it, as ripgrep would
            }
        }
        return out;
    }
}
