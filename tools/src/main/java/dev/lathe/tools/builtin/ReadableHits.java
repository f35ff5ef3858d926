package dev.lathe.tools.builtin;

import dev.lathe.tools.FileGateway;
import dev.lathe.tools.PermissionCheck;
import dev.lathe.tools.PermissionSource;
import dev.lathe.tools.ProjectPaths;
import dev.lathe.tools.ToolContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The grep hits the model may see: each file a hit comes from passes {@link FileGateway}, the one guard of project
 * files (DESIGN §24), with the session's {@code read} deny rules, before any line of it is shown. So a file a rule
 * denies never shows, by its own name, through a link (its real path is judged too) or as a hard link (its other names
 * in the project are), whether ripgrep or the Java walk found it and whether or not a sandbox runs the search. The
 * sandbox used to hide denied files itself, by walking the whole project, and refused to search a tree too large to
 * walk (issue 53); a file is now judged when it is found, and only the files that have hits are.
 */
final class ReadableHits {
    /** The hits kept, and how many files were left out because a read rule denies them (or they could not be judged). */
    record Kept(List<Search.Hit> hits, int filesLeftOut) {}

    private ReadableHits() {}

    /** {@code hits} from files under {@code root} (real), without those of files the rules deny. */
    static Kept of(List<Search.Hit> hits, Path root, ToolContext ctx) {
        Path project = ProjectPaths.real(ctx.folders().project());
        FileGateway.ReadRules rules = path -> denied(ctx, project, path) ? FileGateway.Hold.DENY : FileGateway.Hold.NONE;
        FileGateway gateway = FileGateway.of(project, rules);
        if (!root.startsWith(project)) gateway = gateway.alsoWithin(root);
        Map<Path, Boolean> readable = new HashMap<>();
        List<Search.Hit> kept = new ArrayList<>(hits.size());
        int leftOut = 0;
        for (Search.Hit h : hits) {
            Path file = h.file().toAbsolutePath().normalize();
            Boolean ok = readable.get(file);
            if (ok == null) {
                ok = readable(gateway, file);
                readable.put(file, ok);
                if (!ok) leftOut++;
            }
            if (ok) kept.add(h);
        }
        return new Kept(kept, leftOut);
    }

    private static boolean readable(FileGateway gateway, Path file) {
        try (FileGateway.Opened _ = gateway.open(file)) {
            return true;
        } catch (IOException | RuntimeException e) {
            // refused (a denied name, a link out, too many names to judge) or gone since the search: nothing of it shows
            return false;
        }
    }

    private static boolean denied(ToolContext ctx, Path project, Path path) {
        ProjectPaths.Target t = ProjectPaths.target(project, path);
        var check = new PermissionCheck("read", PermissionSource.Pattern.PATH, t.patterns(), t.patterns(), "Read " + t.shown(), Map.of());
        return ctx.guards().permissions().denies(check);
    }
}
