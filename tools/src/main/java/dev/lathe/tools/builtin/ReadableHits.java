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
 * The grep hits, and the glob and list files, the model may see: each file a hit comes from passes {@link FileGateway}, the one guard of project
 * files (DESIGN §24), with the session's {@code read} deny rules, before any line of it is shown. So a file a rule
 * denies never shows, by its own name, through a link (its real path is judged too) or as a hard link (its other names
 * in the project are), whether ripgrep or the Java walk found it and whether or not a sandbox runs the search. The
 * sandbox used to hide denied files itself, by walking the whole project, and refused to search a tree too large to
 * walk (issue 53); a file is now judged when it is found, and only the files that have hits are. glob and list name
 * files the same way, so they judge the files they show by the same rules: the three tools agree.
 */
final class ReadableHits {
    /** The hits kept, and how many files were left out because a read rule denies them (or they could not be judged). */
    record Kept(List<Search.Hit> hits, int filesLeftOut) {}

    /** The files kept, and how many were left out on the way because a read rule denies them (or they could not be judged). */
    record KeptFiles(List<Path> files, int filesLeftOut) {}

    private ReadableHits() {}

    /** {@code hits} from files under {@code root} (real), without those of files the rules deny. */
    static Kept of(List<Search.Hit> hits, Path root, ToolContext ctx) {
        FileGateway gateway = gateway(root, ctx);
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

    /**
     * The first {@code max} of {@code files} (under {@code root}, real, in the order given) that the rules let be read.
     * Only as many files are judged as it takes to fill {@code max}: a glob or a listing of 100,000 files shows a
     * hundred, and judging a file costs an open. So a denied file past those is not counted as left out.
     */
    static KeptFiles firstReadable(List<Path> files, int max, Path root, ToolContext ctx) {
        FileGateway gateway = gateway(root, ctx);
        List<Path> kept = new ArrayList<>(Math.min(max, files.size()));
        int leftOut = 0;
        for (Path f : files) {
            if (kept.size() >= max) break;
            if (readable(gateway, f.toAbsolutePath().normalize())) kept.add(f);
            else leftOut++;
        }
        return new KeptFiles(kept, leftOut);
    }

    /** The line under a glob's or a listing's files saying how many a read rule left out; empty when none. */
    static String note(int filesLeftOut) {
        if (filesLeftOut == 0) return "";
        return "(" + filesLeftOut + (filesLeftOut == 1 ? " file left out: a read rule denies it.)" : " files left out: a read rule denies them.)");
    }

    private static FileGateway gateway(Path root, ToolContext ctx) {
        Path project = ProjectPaths.real(ctx.folders().project());
        FileGateway.ReadRules rules = path -> denied(ctx, project, path) ? FileGateway.Hold.DENY : FileGateway.Hold.NONE;
        FileGateway gateway = FileGateway.of(project, rules);
        return root.startsWith(project) ? gateway : gateway.alsoWithin(root);
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
