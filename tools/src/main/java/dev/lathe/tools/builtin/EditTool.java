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
import dev.lathe.tools.builtin.edit.MatcherChain;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code edit}: replace {@code oldString} with {@code newString}, exactly or through the tolerant matchers of
 * {@link MatcherChain}. Matching happens on LF text; {@link TextFile} restores CRLF and the BOM on write. With an
 * editor attached to the session ({@link EditorText}) the edit applies to the editor's text and is saved through it.
 */
final class EditTool implements Tool<EditTool.Args> {
    record Args(String path, String oldString, String newString, Optional<Boolean> replaceAll) {}

    private static final String DESCRIPTION = Builtins.description("edit");
    private static final String SCHEMA = """
            {"type":"object","properties":{\
            "path":{"type":"string","description":"Relative to the project folder, or absolute"},\
            "oldString":{"type":"string","description":"Exact text to replace"},\
            "newString":{"type":"string"},\
            "replaceAll":{"type":"boolean"}},\
            "required":["path","oldString","newString"],"additionalProperties":false}""";

    @Override public String name() { return "edit"; }

    @Override public String description() { return DESCRIPTION; }

    @Override public String parametersSchema() { return SCHEMA; }

    @Override public Class<Args> argsType() { return Args.class; }

    @Override public Set<Effect> effects() { return Set.of(Effect.READS_FILES, Effect.WRITES_FILES); }

    @Override public PermissionSource permission() { return PermissionSource.checkedByTool(PermissionSource.Pattern.PATH, "path"); }

    @Override public Truncation.Keep truncation() { return Truncation.Keep.HEAD; }

    @Override
    public ToolResult run(Args args, ToolContext ctx) {
        ProjectPaths.Target target = ProjectPaths.target(ctx, args.path());
        // decided on the real path, read and written there without following a link swapped in since
        Path file = target.real();
        String shown = target.shown();
        String oldText = args.oldString().replace("\r\n", "\n");
        String newText = args.newString().replace("\r\n", "\n");
        if (oldText.equals(newText)) throw new ToolFailure("oldString and newString are the same; nothing to change.");
        ProjectPaths.checkExternalWrite(ctx, file);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            if (!oldText.isEmpty()) throw new ToolFailure("File not found: " + shown + ReadTool.suggestions(target.path()));
            return apply(ctx, target, Optional.empty(), TextFile.NEW, newText, "Created " + shown + ".");
        }
        if (Files.isDirectory(file)) throw new ToolFailure(shown + " is a folder");
        FileReads.shared().requireUnchanged(ctx.call().sessionId(), file, shown);
        Optional<FileStamp> taken = FileStamp.of(file);
        // the editor's buffer when an editor attached to the session offers it (unsaved changes included), else the disk
        var notes = new StringBuilder();
        TextFile before = EditorText.current(ctx, file, target.patterns(), TextFile.read(file), notes);
        if (oldText.isEmpty()) {
            if (!before.text().isEmpty()) throw new ToolFailure("oldString is empty but " + shown + " is not; use write to replace a whole file.");
            return apply(ctx, target, taken, before, newText, "Wrote " + shown + "." + notes);
        }
        boolean all = args.replaceAll().orElse(false);
        return switch (MatcherChain.replace(before.text(), oldText, newText, all)) {
            case MatcherChain.Outcome.Replaced r -> {
                String how = r.matcher().equals("exact") ? "" : " (matched " + r.matcher() + ")";
                yield apply(ctx, target, taken, before, r.text(), "Edited " + shown + ": " + r.count() + " replacement(s)" + how + "." + notes);
            }
            case MatcherChain.Outcome.Ambiguous a -> throw new ToolFailure("Found " + a.count() + " matches for oldString in " + shown
                    + ". Include more surrounding lines in oldString to identify one place, or set replaceAll to change every one.");
            case MatcherChain.Outcome.NotFound n -> throw new ToolFailure("oldString was not found in " + shown
                    + ". Read the file again and copy the text exactly, including whitespace, without the line-number prefix."
                    + (n.closest().isEmpty() ? "" : "\nThe most similar lines in the file:\n" + n.closest()));
        };
    }

    private static ToolResult apply(ToolContext ctx, ProjectPaths.Target target, Optional<FileStamp> taken, TextFile before, String after, String message) {
        String shown = target.shown();
        String diff = LineDiff.unified(shown, before.text(), after);
        var change = new ToolDisplay.FileChange(List.of(shown), diff);
        ctx.guards().permissions().require(new PermissionCheck("edit", PermissionSource.Pattern.PATH, target.patterns(), target.patterns(), target.title("Edit"),
                Map.of("diff", diff), Optional.of(change)));
        FileReads.requireSame(taken, target.real(), shown);
        EditorText.write(ctx, target.real(), shown, before.withText(after));
        FileReads.shared().saw(ctx.call().sessionId(), target.real());
        if (!before.encoding().isUtf8()) message += " It kept its " + before.encoding().charset().name() + " encoding.";
        return new ToolResult(message, shown, Map.of("path", shown, "diff", diff)).withChangedFiles(List.of(shown)).withDisplay(change);
    }
}
