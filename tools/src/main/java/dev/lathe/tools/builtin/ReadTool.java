package dev.lathe.tools.builtin;

import dev.lathe.protocol.session.Attachment;
import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.tools.EditorFiles;
import dev.lathe.tools.Effect;
import dev.lathe.tools.PermissionCheck;
import dev.lathe.tools.PermissionSource;
import dev.lathe.tools.ProjectPaths;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolResult;
import dev.lathe.tools.Truncation;
import dev.lathe.tools.builtin.edit.Similarity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code read}: a numbered window of a text file, or a folder listing. With an editor attached to the session that
 * offers its files, a text file's lines are the editor's (its buffer, saved or not); images, binary files and folders
 * always come from the disk.
 */
final class ReadTool implements Tool<ReadTool.Args> {
    record Args(String path, Optional<Integer> offset, Optional<Integer> limit) {}

    static final int DEFAULT_LIMIT = 2000;
    static final int MAX_LINE = 2000;
    static final int MAX_BYTES = 50 * 1024;
    private static final String DESCRIPTION = Builtins.description("read");
    private static final String SCHEMA = """
            {"type":"object","properties":{\
            "path":{"type":"string","description":"Relative to the project folder, or absolute"},\
            "offset":{"type":"integer","description":"First line (1-based)","minimum":1},\
            "limit":{"type":"integer","description":"Default 2000","minimum":1}},\
            "required":["path"],"additionalProperties":false}""";

    @Override public String name() { return Builtins.READ_FILE; }

    @Override public String description() { return DESCRIPTION; }

    @Override public String parametersSchema() { return SCHEMA; }

    @Override public Class<Args> argsType() { return Args.class; }

    /** Asked for at every call (does it change files? what may it do?): one set, not one per ask. */
    private static final Set<Effect> EFFECTS = Set.of(Effect.READS_FILES);

    @Override public Set<Effect> effects() { return EFFECTS; }

    @Override public PermissionSource permission() { return PermissionSource.checkedByTool(PermissionSource.Pattern.PATH, "path"); }

    @Override public Truncation.Keep truncation() { return Truncation.Keep.HEAD; }

    @Override
    public ToolResult run(Args args, ToolContext ctx) {
        ProjectPaths.Target target = ProjectPaths.target(ctx, args.path());
        // decided on the real path, opened at the real path without following a link swapped in since
        Path file = target.real();
        String shown = target.shown();
        ProjectPaths.checkExternal(ctx, file, Files.isDirectory(file));
        ctx.guards().permissions().require(new PermissionCheck("read", PermissionSource.Pattern.PATH, target.patterns(), target.patterns(),
                target.title("Read"), Map.of()));
        if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) return listing(file, shown);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) throw new ToolFailure("File not found: " + shown + suggestions(target.path()));
        try {
            TextFile.requireRegular(file, "read");
        } catch (IOException e) {
            throw new ToolFailure("cannot read " + shown + ": " + e.getMessage(), e);
        }
        HardLinks.refuseDeniedAlias(ctx, file, shown);
        Optional<String> image = imageType(file);
        if (image.isPresent()) return image(file, shown, image.get());
        if (TextFile.looksBinaryByContent(file)) throw new ToolFailure("Cannot read binary file: " + shown + " (it is not text; inspect it with a command instead)");
        int offset = Math.max(1, args.offset().orElse(1));
        int limit = Math.max(1, args.limit().orElse(DEFAULT_LIMIT));
        // what the model sees is this version: an edit of a version it has not seen is refused (FileReads)
        FileReads.shared().saw(ctx.call().sessionId(), file);
        Window window;
        TextEncoding encoding = TextEncoding.UTF_8;
        String note = "";
        // the editor's buffer when an editor attached to the session offers it (unsaved changes included), else the disk
        EditorFiles.Read fromEditor = EditorText.small(file) ? ctx.session().editorFiles().read(file) : new EditorFiles.Read.NotOffered();
        try {
            window = switch (fromEditor) {
                case EditorFiles.Read.Text t -> window(new java.io.ByteArrayInputStream(t.content().getBytes(StandardCharsets.UTF_8)), encoding, offset, limit);
                case EditorFiles.Read.NotOffered _ -> window(file, encoding, offset, limit);
                case EditorFiles.Read.Failed f -> {
                    note = EditorText.readFailed(f.why()).strip();
                    yield window(file, encoding, offset, limit);
                }
            };
        } catch (java.nio.charset.CharacterCodingException notUtf8) {
            encoding = guess(file);
            try {
                window = window(file, encoding, offset, limit);
            } catch (IOException e) {
                throw new ToolFailure("cannot read " + shown + ": " + e.getMessage(), e);
            }
        } catch (IOException e) {
            throw new ToolFailure("cannot read " + shown + ": " + e.getMessage(), e);
        }
        int lineNo = window.lines();
        int shownLines = window.shown();
        var out = window.text();
        if (lineNo < offset && lineNo > 0) throw new ToolFailure("offset " + offset + " is beyond the end of " + shown + " (" + lineNo + " lines)");
        int last = offset + shownLines - 1;
        if (window.more()) {
            out.append("\n(").append(window.byteCap() ? "Output capped at 50 KB. " : "").append("More lines follow. Use offset=").append(last + 1)
                    .append(" to read beyond line ").append(last).append(".)");
        } else {
            out.append("\n(End of file: ").append(lineNo).append(" lines.)");
        }
        if (!encoding.isUtf8()) out.append("\n(").append(encoding.note()).append(")");
        if (!note.isEmpty()) out.append("\n").append(note);
        Map<String, String> meta = encoding.isUtf8() ? Map.of("path", shown, "lines", Integer.toString(shownLines))
                : Map.of("path", shown, "lines", Integer.toString(shownLines), "encoding", encoding.charset().name());
        return new ToolResult(out.toString(), shown, meta).withDisplay(new ToolDisplay.FileRead(shown));
    }

    /** The numbered lines shown, how many lines were read to get them, and whether more follow. */
    private record Window(StringBuilder text, int lines, int shown, boolean more, boolean byteCap) {}

    /**
     * Reads the window from {@code offset}, in bounded memory (lines before it are read past, long lines cut as they are
     * read); a strict UTF-8 decoder throws on the first invalid byte, so the caller can read again with a guess.
     */
    private static Window window(Path file, TextEncoding encoding, int offset, int limit) throws IOException {
        return window(TextFile.open(file), encoding, offset, limit);
    }

    /** As above, over {@code in} (closed here). */
    private static Window window(java.io.InputStream in, TextEncoding encoding, int offset, int limit) throws IOException {
        var out = new StringBuilder();
        int lineNo = 0;
        int shownLines = 0;
        int bytes = 0;
        boolean more = false;
        boolean byteCap = false;
        var decoder = encoding.charset().newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        try (var reader = new LineReader(in, decoder, MAX_LINE, LineReader.Breaks.ANY)) {
            LineReader.Line next;
            while ((next = reader.next()) != null) {
                lineNo++;
                if (lineNo < offset) continue;
                if (shownLines >= limit) {
                    more = true;
                    break;
                }
                String line = next.text();
                if (lineNo == 1 && line.startsWith("\uFEFF")) line = line.substring(1);
                String cut = next.cut() > 0 ? line + "... (line truncated to " + MAX_LINE + " characters)" : line;
                String numbered = numbered(lineNo, cut);
                int size = utf8Length(numbered);
                // the byte cap is checked before adding, so a window never exceeds 50 KB (one line alone always fits: 2,000 chars)
                if (bytes + size > MAX_BYTES && shownLines > 0) {
                    more = true;
                    byteCap = true;
                    break;
                }
                out.append(numbered);
                bytes += size;
                shownLines++;
            }
        }
        return new Window(out, lineNo, shownLines, more, byteCap);
    }

    /** The single-byte guess for a file that is not UTF-8, from its first megabyte. */
    private static TextEncoding guess(Path file) {
        try (var in = TextFile.open(file)) {
            byte[] head = in.readNBytes(1024 * 1024);
            return TextEncoding.singleByte(head, 0, head.length);
        } catch (IOException e) {
            return TextEncoding.LATIN_1;
        }
    }

    private static ToolResult listing(Path dir, String shown) {
        try (Stream<Path> children = Files.list(dir)) {
            List<String> names = children.sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .map(p -> p.getFileName() + (Files.isDirectory(p) ? "/" : "")).toList();
            return ToolResult.of(shown, names.isEmpty() ? "(empty folder)" : String.join("\n", names));
        } catch (IOException e) {
            throw new ToolFailure("cannot list " + shown + ": " + e.getMessage(), e);
        }
    }

    /** "Did you mean" from the same folder: names sharing the base name or close in spelling. */
    static String suggestions(Path missing) {
        Path dir = missing.getParent();
        if (dir == null || !Files.isDirectory(dir)) return "";
        String wanted = missing.getFileName().toString().toLowerCase(Locale.ROOT);
        try (Stream<Path> children = Files.list(dir)) {
            List<String> close = children.map(p -> p.getFileName().toString())
                    .filter(n -> similar(n.toLowerCase(Locale.ROOT), wanted))
                    .sorted(Comparator.comparingInt((String n) -> Similarity.distance(n.toLowerCase(Locale.ROOT), wanted)).thenComparing(n -> n))
                    .limit(3).toList();
            return close.isEmpty() ? "" : ". Did you mean " + String.join(", ", close.stream().map(n -> dir.resolve(n).toString()).toList()) + "?";
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean similar(String a, String b) {
        String stemA = a.contains(".") ? a.substring(0, a.lastIndexOf('.')) : a;
        String stemB = b.contains(".") ? b.substring(0, b.lastIndexOf('.')) : b;
        return (!stemA.isEmpty() && stemA.equals(stemB)) || a.contains(b) || b.contains(a) || Similarity.distance(a, b) <= Math.max(1, b.length() / 4);
    }


    static final long MAX_IMAGE_BYTES = 5L * 1024 * 1024;

    /** Files the model can look at, by their first bytes (names lie): png, jpeg, gif, webp images and PDF documents. */
    static Optional<String> imageType(Path file) {
        byte[] head;
        try (var in = TextFile.open(file)) {
            head = in.readNBytes(12);
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
        if (head.length >= 8 && (head[0] & 0xff) == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G') return Optional.of("image/png");
        if (head.length >= 3 && (head[0] & 0xff) == 0xff && (head[1] & 0xff) == 0xd8 && (head[2] & 0xff) == 0xff) return Optional.of("image/jpeg");
        if (head.length >= 6 && head[0] == 'G' && head[1] == 'I' && head[2] == 'F' && head[3] == '8') return Optional.of("image/gif");
        if (head.length >= 5 && head[0] == '%' && head[1] == 'P' && head[2] == 'D' && head[3] == 'F' && head[4] == '-') return Optional.of("application/pdf");
        if (head.length >= 12 && head[0] == 'R' && head[1] == 'I' && head[2] == 'F' && head[3] == 'F' && head[8] == 'W' && head[9] == 'E'
                && head[10] == 'B' && head[11] == 'P') return Optional.of("image/webp");
        return Optional.empty();
    }

    private static ToolResult image(Path file, String shown, String mime) {
        byte[] bytes;
        try {
            try (var in = TextFile.open(file)) {
                bytes = in.readNBytes((int) MAX_IMAGE_BYTES + 1);
            }
            if (bytes.length > MAX_IMAGE_BYTES) throw new ToolFailure("File too large to attach (over 5 MB): " + shown);
        } catch (java.io.IOException e) {
            throw new ToolFailure("Cannot read " + shown + ": " + e.getMessage());
        }
        var attachment = new Attachment(mime, file.getFileName().toString(),
                "data:" + mime + ";base64," + java.util.Base64.getEncoder().encodeToString(bytes));
        String kind = mime.equals("application/pdf") ? "Document " : "Image ";
        return new ToolResult(kind + shown + " (" + mime + ", " + bytes.length + " bytes) is attached for you to look at.", shown,
                Map.of("path", shown, "mime", mime), java.util.List.of(attachment)).withDisplay(new ToolDisplay.FileRead(shown));
    }

    /**
     * {@code line} after its number, right-aligned in six columns and a tab, as {@code cat -n} prints it (what
     * {@code "%6d\t%s%n"} made; a formatter per line was a sixth of a read's CPU).
     */
    static String numbered(int lineNo, String line) {
        String number = Integer.toString(lineNo);
        var out = new StringBuilder(8 + line.length());
        for (int i = number.length(); i < 6; i++) out.append(' ');
        return out.append(number).append('\t').append(line).append(System.lineSeparator()).toString();
    }

    /** The bytes {@code text} takes in UTF-8, counted without encoding it. */
    static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) bytes++;
            else if (c < 0x800) bytes += 2;
            else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes++; // a lone surrogate is encoded as '?'
            } else bytes += 3;
        }
        return bytes;
    }
}
