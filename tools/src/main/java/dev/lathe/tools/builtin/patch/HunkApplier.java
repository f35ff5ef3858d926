package dev.lathe.tools.builtin.patch;

import dev.lathe.tools.ToolFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Applies an update's hunks to one file's text (LF line endings). Hunks are located in order, each searching forward
 * from where the previous one ended, so a context that repeats in the file binds to the occurrence the patch meant.
 * Every hunk is located before anything changes; a hunk that cannot be found fails the whole file.
 */
public final class HunkApplier {
    private HunkApplier() {}

    private record Replacement(int at, int length, List<String> lines) {}

    public static String apply(String shownPath, String text, List<Patch.Hunk> hunks) {
        boolean finalNewline = text.isEmpty() || text.endsWith("\n");
        List<String> lines = new ArrayList<>(text.isEmpty() ? List.of() : List.of((finalNewline ? text.substring(0, text.length() - 1) : text).split("\n", -1)));
        List<Replacement> plan = new ArrayList<>();
        int cursor = 0;
        for (int h = 0; h < hunks.size(); h++) {
            Patch.Hunk hunk = hunks.get(h);
            if (!hunk.header().isEmpty()) {
                int header = seek(lines, List.of(hunk.header()), cursor, false);
                // an unknown header is only a hint; the context lines still have to match
                if (header >= 0) cursor = header + 1;
            }
            Replacement r = locate(lines, hunk, cursor);
            if (r == null) throw notFound(shownPath, h, hunks.size(), hunk);
            plan.add(r);
            cursor = r.at() + r.length();
        }
        for (Replacement r : plan.reversed()) {
            lines.subList(r.at(), r.at() + r.length()).clear();
            lines.addAll(r.at(), r.lines());
        }
        if (lines.isEmpty()) return "";
        return String.join("\n", lines) + (finalNewline ? "\n" : "");
    }

    private static Replacement locate(List<String> lines, Patch.Hunk hunk, int from) {
        if (hunk.oldLines().isEmpty()) return new Replacement(lines.size(), 0, hunk.newLines());
        int at = seek(lines, hunk.oldLines(), from, hunk.endOfFile());
        List<Patch.Line> last = hunk.lines();
        if (at < 0 && hunk.oldLines().size() > 1 && last.getLast().kind() == Patch.Kind.CONTEXT && last.getLast().text().isEmpty()) {
            // a trailing empty context line is usually the patch's own final newline, not a blank line in the file
            hunk = new Patch.Hunk(hunk.header(), last.subList(0, last.size() - 1), hunk.endOfFile());
            at = seek(lines, hunk.oldLines(), from, hunk.endOfFile());
        }
        return at < 0 ? null : new Replacement(at, hunk.oldLines().size(), replacement(lines, at, hunk));
    }

    /**
     * The hunk's new lines, with context lines taken from the file rather than the patch: a context line matched
     * loosely (trimmed, typographic quotes) stays exactly as the file has it.
     */
    private static List<String> replacement(List<String> lines, int at, Patch.Hunk hunk) {
        List<String> out = new ArrayList<>();
        int i = at;
        for (Patch.Line line : hunk.lines()) {
            switch (line.kind()) {
                case CONTEXT -> out.add(lines.get(i++));
                case REMOVED -> i++;
                case ADDED -> out.add(line.text());
            }
        }
        return out;
    }

    /** The first position at or after {@code from} where {@code wanted} matches, at the strictest level that finds one. */
    static int seek(List<String> lines, List<String> wanted, int from, boolean endOfFile) {
        int lastStart = lines.size() - wanted.size();
        if (lastStart < from) return -1;
        for (ContextLevel level : ContextLevel.values()) {
            if (endOfFile && level.sameAt(lines, lastStart, wanted)) return lastStart;
            for (int i = from; i <= lastStart; i++) if (level.sameAt(lines, i, wanted)) return i;
        }
        return -1;
    }

    private static ToolFailure notFound(String path, int index, int count, Patch.Hunk hunk) {
        String firstLines = hunk.oldLines().stream().limit(3).map(l -> "    " + l).collect(Collectors.joining("\n"));
        return new ToolFailure("apply_patch failed: hunk " + (index + 1) + " of " + count + " for " + path
                + " does not match the file; nothing was changed. The hunk's first context lines:\n" + firstLines
                + "\nRead the file again and make the ' ' and '-' lines match it exactly, in file order.");
    }
}
