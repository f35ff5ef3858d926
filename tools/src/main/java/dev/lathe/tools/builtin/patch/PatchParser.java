package dev.lathe.tools.builtin.patch;

import dev.lathe.tools.ToolFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the {@code *** Begin Patch} format. Strict where a mistake could change the wrong thing (a patch without its
 * {@code *** End Patch} may have been cut off, so it is refused) and lenient where intent is clear (text before
 * {@code *** Begin Patch}, such as a shell heredoc line, is ignored; an empty line inside a hunk is an empty
 * context line; the first hunk may omit its {@code @@}).
 */
public final class PatchParser {
    private static final String BEGIN = "*** Begin Patch";
    private static final String END = "*** End Patch";
    private static final String ADD = "*** Add File: ";
    private static final String DELETE = "*** Delete File: ";
    private static final String UPDATE = "*** Update File: ";
    private static final String MOVE = "*** Move to: ";
    private static final String END_OF_FILE = "*** End of File";

    private final List<String> lines;
    private int at;

    private PatchParser(List<String> lines) {
        this.lines = lines;
    }

    public static Patch parse(String patchText) {
        List<String> lines = List.of(patchText.replace("\r\n", "\n").split("\n", -1));
        int begin = 0;
        while (begin < lines.size() && !lines.get(begin).strip().equals(BEGIN)) begin++;
        if (begin == lines.size()) throw new ToolFailure("patchText must start with a line '" + BEGIN + "'.");
        int end = lines.size() - 1;
        while (end > begin && !lines.get(end).strip().equals(END)) end--;
        if (end == begin) throw new ToolFailure("patchText must end with a line '" + END + "'; nothing was changed.");
        var parser = new PatchParser(lines.subList(begin + 1, end));
        Patch patch = new Patch(parser.changes());
        if (patch.changes().isEmpty()) throw new ToolFailure("The patch changes no file.");
        return patch;
    }

    private List<Patch.FileChange> changes() {
        List<Patch.FileChange> out = new ArrayList<>();
        while (at < lines.size()) {
            String line = lines.get(at);
            if (line.startsWith(ADD)) out.add(add(path(line, ADD)));
            else if (line.startsWith(DELETE)) {
                out.add(new Patch.FileChange.Delete(path(line, DELETE)));
                at++;
            } else if (line.startsWith(UPDATE)) out.add(update(path(line, UPDATE)));
            else if (line.isBlank()) at++;
            else throw new ToolFailure("Unexpected line in the patch: '" + line
                    + "'. Expected '*** Add File: ', '*** Delete File: ' or '*** Update File: '.");
        }
        return out;
    }

    private static String path(String line, String marker) {
        String path = line.substring(marker.length()).strip();
        if (path.isEmpty()) throw new ToolFailure("Missing path after '" + marker.strip() + "'.");
        return path;
    }

    private Patch.FileChange add(String path) {
        at++;
        var content = new StringBuilder();
        while (at < lines.size() && !lines.get(at).startsWith("*** ")) {
            String line = lines.get(at++);
            if (line.startsWith("+")) content.append(line, 1, line.length()).append('\n');
            else if (!line.isEmpty()) throw new ToolFailure("In '" + ADD + path + "' every line must start with '+': '" + line + "'.");
        }
        return new Patch.FileChange.Add(path, content.toString());
    }

    private Patch.FileChange update(String path) {
        at++;
        Optional<String> moveTo = Optional.empty();
        if (at < lines.size() && lines.get(at).startsWith(MOVE)) moveTo = Optional.of(path(lines.get(at++), MOVE));
        List<Patch.Hunk> hunks = new ArrayList<>();
        HunkBuilder current = null;
        while (at < lines.size() && !isFileMarker(lines.get(at))) {
            String line = lines.get(at++);
            if (line.startsWith("@@")) {
                if (current != null) hunks.add(current.build());
                current = new HunkBuilder(line.substring(2).replaceAll("@@\\s*$", "").strip());
            } else if (line.strip().equals(END_OF_FILE)) {
                if (current == null) throw new ToolFailure("'" + END_OF_FILE + "' before any hunk in " + path + ".");
                current.endOfFile = true;
            } else {
                if (current == null) current = new HunkBuilder("");
                current.line(line, path);
            }
        }
        if (current != null) hunks.add(current.build());
        if (hunks.isEmpty() && moveTo.isEmpty()) throw new ToolFailure("'" + UPDATE + path + "' has no hunks.");
        return new Patch.FileChange.Update(path, moveTo, hunks);
    }

    private static boolean isFileMarker(String line) {
        return line.startsWith(ADD) || line.startsWith(DELETE) || line.startsWith(UPDATE);
    }

    private static final class HunkBuilder {
        final String header;
        final List<Patch.Line> lines = new ArrayList<>();
        boolean endOfFile;

        HunkBuilder(String header) {
            this.header = header;
        }

        void line(String line, String path) {
            if (line.isEmpty()) {
                lines.add(new Patch.Line(Patch.Kind.CONTEXT, ""));
                return;
            }
            String body = line.substring(1);
            switch (line.charAt(0)) {
                case ' ' -> lines.add(new Patch.Line(Patch.Kind.CONTEXT, body));
                case '-' -> lines.add(new Patch.Line(Patch.Kind.REMOVED, body));
                case '+' -> lines.add(new Patch.Line(Patch.Kind.ADDED, body));
                default -> throw new ToolFailure("In '" + UPDATE + path + "' a hunk line must start with ' ', '-' or '+': '" + line + "'.");
            }
        }

        Patch.Hunk build() { return new Patch.Hunk(header, lines, endOfFile); }
    }
}
