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
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code write}: create or overwrite a file, keeping an existing file's BOM and line endings; through the editor
 * attached to the session when it takes writes ({@link EditorText}), the diff shown against the editor's text.
 */
final class WriteTool implements Tool<WriteTool.Args> {
    record Args(String path, String content) {}

    private static final String DESCRIPTION = Builtins.description("write");
    private static final String SCHEMA = """
            {"type":"object","properties":{\
            "path":{"type":"string","description":"Relative to the project folder, or absolute"},\
            "content":{"type":"string"}},\
            "required":["path","content"],"additionalProperties":false}""";

    @Override public String name() { return "write"; }

    @Override public String description() { return DESCRIPTION; }

    @Override public String parametersSchema() { return SCHEMA; }

    @Override public Class<Args> argsType() { return Args.class; }

    @Override public Set<Effect> effects() { return Set.of(Effect.WRITES_FILES); }

    @Override public PermissionSource permission() { return PermissionSource.checkedByTool(PermissionSource.Pattern.PATH, "path"); }

    @Override public Truncation.Keep truncation() { return Truncation.Keep.HEAD; }

    @Override
    public ToolResult run(Args args, ToolContext ctx) {
        ProjectPaths.Target target = ProjectPaths.target(ctx, args.path());
        // decided on the real path (a linked parent folder included), written there without following a link swapped in since
        Path file = target.real();
        String shown = target.shown();
        if (Files.isDirectory(file)) throw new ToolFailure(shown + " is a folder");
        ProjectPaths.checkExternalWrite(ctx, file);
        boolean exists = Files.exists(file, LinkOption.NOFOLLOW_LINKS);
        if (exists) FileReads.shared().requireUnchanged(ctx.call().sessionId(), file, shown);
        Optional<FileStamp> taken = FileStamp.of(file);
        var notes = new StringBuilder();
        TextFile before = exists ? previous(file) : TextFile.NEW;
        if (before != TextFile.NEW) before = EditorText.current(ctx, file, target.patterns(), before, notes);
        String content = args.content().replace("\r\n", "\n");
        String diff = LineDiff.unified(shown, before.text(), content);
        var change = new ToolDisplay.FileChange(List.of(shown), diff);
        ctx.guards().permissions().require(new PermissionCheck("edit", PermissionSource.Pattern.PATH, target.patterns(), target.patterns(), target.title("Write"),
                Map.of("diff", diff), Optional.of(change)));
        FileReads.requireSame(taken, file, shown);
        EditorText.write(ctx, file, shown, before.withText(content));
        FileReads.shared().saw(ctx.call().sessionId(), file);
        long lines = content.isEmpty() ? 0 : content.lines().count();
        String verb = !exists ? "Created " : before == TextFile.NEW ? "Replaced " : "Wrote ";
        return new ToolResult(verb + shown + " (" + lines + " lines)." + notes, shown, Map.of("path", shown, "diff", diff))
                .withChangedFiles(List.of(shown)).withDisplay(change);
    }

    /**
     * The file being replaced, for its encoding, line endings and the diff; a binary or very large file is replaced
     * whole (as new UTF-8 text), a FIFO, device or socket is refused.
     */
    private static TextFile previous(Path file) {
        try {
            TextFile.requireRegular(file, "write");
            if (Files.size(file) > TextFile.MAX_BYTES || TextFile.looksBinaryByContent(file)) return TextFile.NEW;
        } catch (java.io.IOException e) {
            throw new ToolFailure("cannot write " + file + ": " + e.getMessage(), e);
        }
        return TextFile.read(file);
    }
}
