package dev.lathe.tools.builtin;

import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.tools.Effect;
import dev.lathe.tools.PermissionCheck;
import dev.lathe.tools.PermissionSource;
import dev.lathe.tools.ProjectPaths;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolResult;
import dev.lathe.tools.Truncation;
import dev.lathe.tools.builtin.patch.HunkApplier;
import dev.lathe.tools.builtin.patch.Patch;
import dev.lathe.tools.builtin.patch.PatchParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code apply_patch}: the {@code *** Begin Patch} format. All or nothing: every change is computed in memory against
 * a staged view of the files (so a later change sees an earlier one on the same path), one {@code edit} permission is
 * asked for every touched path, and only then is anything written.
 */
final class ApplyPatchTool implements Tool<ApplyPatchTool.Args> {
    record Args(String patchText) {}

    private static final String DESCRIPTION = Builtins.description("apply_patch");
    private static final String SCHEMA = """
            {"type":"object","properties":{\
            "patchText":{"type":"string","description":"From *** Begin Patch to *** End Patch"}},\
            "required":["patchText"],"additionalProperties":false}""";

    @Override public String name() { return "apply_patch"; }

    @Override public String description() { return DESCRIPTION; }

    @Override public String parametersSchema() { return SCHEMA; }

    @Override public Class<Args> argsType() { return Args.class; }

    @Override public Set<Effect> effects() { return Set.of(Effect.READS_FILES, Effect.WRITES_FILES); }

    @Override public PermissionSource permission() { return PermissionSource.checkedByTool(PermissionSource.Pattern.PATCH, "patchText"); }

    @Override public Truncation.Keep truncation() { return Truncation.Keep.HEAD; }

    @Override
    public ToolResult run(Args args, ToolContext ctx) {
        Patch patch = PatchParser.parse(args.patchText());
        // every path decided on its real path and staged under it: two names of one file are one file
        Map<Path, ProjectPaths.Target> touched = new LinkedHashMap<>();
        for (Patch.FileChange change : patch.changes()) {
            var t = ProjectPaths.target(ctx, change.path());
            touched.putIfAbsent(t.real(), t);
            if (change instanceof Patch.FileChange.Update u) u.moveTo().map(m -> ProjectPaths.target(ctx, m)).ifPresent(m -> touched.putIfAbsent(m.real(), m));
        }
        for (Path p : touched.keySet()) ProjectPaths.checkExternalWrite(ctx, p);
        var staged = new Staged(ctx);
        List<String> summary = new ArrayList<>();
        for (Patch.FileChange change : patch.changes()) summary.add(staged.apply(change));
        List<String> shown = touched.values().stream().map(ProjectPaths.Target::shown).toList();
        List<String> patterns = touched.values().stream().flatMap(t -> t.patterns().stream()).distinct().toList();
        String diff = staged.diff();
        var change = new ToolDisplay.FileChange(shown, diff);
        ctx.guards().permissions().require(new PermissionCheck("edit", PermissionSource.Pattern.PATH, patterns, patterns, "Apply patch to " + String.join(", ", shown), Map.of("diff", diff),
                Optional.of(change)));
        staged.write();
        return new ToolResult("Success. Updated the following files:\n" + String.join("\n", summary) + staged.notes,
                "Patch: " + shown.size() + " file(s)", Map.of("files", String.join("\n", shown), "diff", diff)).withChangedFiles(shown)
                .withDisplay(change);
    }

    /** The files as the patch leaves them, in memory: {@code null} content means deleted. */
    private static final class Staged {
        private final ToolContext ctx;
        private final Map<Path, TextFile> original = new HashMap<>();
        private final Map<Path, Optional<FileStamp>> stamps = new HashMap<>();
        private final Map<Path, TextFile> after = new LinkedHashMap<>();
        /** Why the editor's copy of a file could not be read, for the result. */
        private final StringBuilder notes = new StringBuilder();

        Staged(ToolContext ctx) {
            this.ctx = ctx;
        }

        String apply(Patch.FileChange change) {
            var t = ProjectPaths.target(ctx, change.path());
            Path file = t.real();
            String shown = t.shown();
            return switch (change) {
                case Patch.FileChange.Add add -> {
                    if (current(file) != null) throw new ToolFailure("apply_patch failed: cannot add " + shown
                            + ", it already exists; nothing was changed. Use '*** Update File:' to change it.");
                    after.put(file, TextFile.NEW.withText(add.content()));
                    yield "A " + shown;
                }
                case Patch.FileChange.Delete delete -> {
                    existing(file, shown);
                    after.put(file, null);
                    yield "D " + shown;
                }
                case Patch.FileChange.Update update -> {
                    TextFile before = existing(file, shown);
                    String text = HunkApplier.apply(shown, before.text(), update.hunks());
                    if (update.moveTo().isEmpty()) {
                        after.put(file, before.withText(text));
                        yield "M " + shown;
                    }
                    var moved = ProjectPaths.target(ctx, update.moveTo().get());
                    Path target = moved.real();
                    String targetShown = moved.shown();
                    if (!target.equals(file) && current(target) != null) throw new ToolFailure("apply_patch failed: cannot move "
                            + shown + " to " + targetShown + ", which already exists; nothing was changed.");
                    after.put(file, null);
                    after.put(target, before.withText(text));
                    yield "M " + targetShown;
                }
            };
        }

        private TextFile existing(Path file, String shown) {
            TextFile t = current(file);
            if (t == null) throw new ToolFailure("apply_patch failed: " + shown + " does not exist; nothing was changed." + ReadTool.suggestions(file));
            return t;
        }

        /** The file as earlier changes of this patch left it, or as it is on disk; {@code null} when absent. */
        private TextFile current(Path file) {
            if (after.containsKey(file)) return after.get(file);
            return original(file);
        }

        private TextFile original(Path file) {
            if (original.containsKey(file)) return original.get(file);
            TextFile t = null;
            if (Files.isDirectory(file)) throw new ToolFailure("apply_patch failed: " + ProjectPaths.pattern(ctx, file) + " is a folder; nothing was changed.");
            stamps.put(file, FileStamp.of(file));
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                FileReads.shared().requireUnchanged(ctx.call().sessionId(), file, ProjectPaths.pattern(ctx, file));
                try {
                    TextFile.requireRegular(file, "patch");
                } catch (IOException e) {
                    throw new ToolFailure("apply_patch failed: cannot read " + ProjectPaths.pattern(ctx, file) + ": " + e.getMessage(), e);
                }
                if (TextFile.looksBinary(file)) throw new ToolFailure("apply_patch failed: " + ProjectPaths.pattern(ctx, file) + " is a binary file; nothing was changed.");
                // the editor's buffer when an editor attached to the session offers it, else the disk
                t = EditorText.current(ctx, file, List.of(ProjectPaths.pattern(ctx, file)), TextFile.read(file), notes);
            }
            original.put(file, t);
            return t;
        }

        String diff() {
            var out = new StringBuilder();
            for (var e : after.entrySet()) {
                TextFile before = original(e.getKey());
                String shown = ProjectPaths.pattern(ctx, e.getKey());
                out.append(LineDiff.unified(shown, before == null ? "" : before.text(), e.getValue() == null ? "" : e.getValue().text()));
            }
            return out.toString();
        }

        void write() {
            // every file still as it was read, before the first is written: a patch is all or nothing
            for (Path p : after.keySet()) FileReads.requireSame(stamps.getOrDefault(p, Optional.empty()), p, ProjectPaths.pattern(ctx, p));
            // every new content on disk beside its file before anything is replaced or deleted: a full disk fails it whole
            List<AtomicWrite.Staged> staged = new ArrayList<>();
            try {
                for (var e : after.entrySet()) {
                    if (e.getValue() != null) staged.add(e.getValue().stage(e.getKey(), ProjectPaths.pattern(ctx, e.getKey()), ctx.folders().project()));
                }
            } catch (RuntimeException x) {
                staged.forEach(AtomicWrite.Staged::abort);
                if (x instanceof ToolFailure f) throw new ToolFailure("apply_patch failed: " + f.getMessage() + "; nothing was changed.", f);
                throw x;
            }
            var commits = staged.iterator();
            for (var e : after.entrySet()) {
                String shown = ProjectPaths.pattern(ctx, e.getKey());
                AtomicWrite.Staged next = null;
                try {
                    if (e.getValue() == null) {
                        Files.deleteIfExists(e.getKey());
                    } else {
                        next = commits.next();
                        // through the editor attached to the session when it takes writes (the disk checked after), else the staged file
                        if (EditorText.throughEditor(ctx, e.getKey(), shown, e.getValue())) next.abort();
                        else next.commit();
                    }
                } catch (IOException | ToolFailure x) {
                    if (next != null && x instanceof ToolFailure) next.abort();
                    commits.forEachRemaining(AtomicWrite.Staged::abort);
                    throw new ToolFailure("apply_patch failed at " + shown + ": " + x.getMessage() + "; the files before it in the patch were "
                            + "changed, it and those after it were not.", x);
                }
                FileReads.shared().saw(ctx.call().sessionId(), e.getKey());
            }
        }
    }
}
