package dev.lathe.tools.builtin.edit;

import java.util.ArrayList;
import java.util.List;

/** Leading whitespace: measuring it and carrying the file's indentation over to a replacement. */
final class Indentation {
    private Indentation() {}

    static String leading(String line) {
        int k = 0;
        while (k < line.length() && (line.charAt(k) == ' ' || line.charAt(k) == '\t')) k++;
        return line.substring(0, k);
    }

    /** The shortest indentation among non-blank lines (they all start with it when indentation is consistent). */
    static String common(List<String> lines) {
        String best = null;
        for (String l : lines) {
            if (l.isBlank()) continue;
            String indent = leading(l);
            if (best == null || indent.length() < best.length()) best = indent;
        }
        return best == null ? "" : best;
    }

    static List<String> dedent(List<String> lines) {
        int n = common(lines).length();
        return lines.stream().map(l -> l.isBlank() ? "" : l.substring(Math.min(n, leading(l).length()))).toList();
    }

    /**
     * Line by line: where the model wrote a replacement line with the indentation of its {@code oldString} line but
     * the file's line is indented differently, the file's indentation is used. Models often drop or change
     * indentation when they copy, and a tolerant match must not write their mistake into the file. Replacement lines
     * past the end of {@code oldString} follow the correction of its last line.
     */
    static String repairLineByLine(List<String> found, List<String> wanted, String replacement) {
        if (replacement.isEmpty()) return replacement;
        boolean newline = replacement.endsWith("\n");
        List<String> out = new ArrayList<>();
        List<String> lines = Lines.split(replacement);
        for (int j = 0; j < lines.size(); j++) {
            int k = Math.min(j, Math.min(wanted.size(), found.size()) - 1);
            String line = lines.get(j);
            String want = leading(wanted.get(k));
            String have = leading(found.get(k));
            boolean fix = !want.equals(have) && !line.isBlank() && leading(line).startsWith(want);
            out.add(fix ? have + line.substring(want.length()) : line);
        }
        return String.join("\n", out) + (newline ? "\n" : "");
    }

    /**
     * The replacement moved as a whole: {@code oldString}'s common indentation is taken off every line and the found
     * block's put on, so the replacement's own relative indentation (nested blocks) survives.
     */
    static String reindent(List<String> found, List<String> wanted, String replacement) {
        if (replacement.isEmpty()) return replacement;
        boolean newline = replacement.endsWith("\n");
        String target = common(found);
        List<String> lines = Lines.split(replacement);
        String wantedIndent = common(wanted);
        // newString normally shares oldString's indentation; if it does not, its own common indentation is the base
        boolean sharesIndent = lines.stream().filter(l -> !l.isBlank()).allMatch(l -> l.startsWith(wantedIndent));
        String source = sharesIndent ? wantedIndent : common(lines);
        List<String> out = new ArrayList<>();
        for (String l : lines) out.add(l.isBlank() ? "" : target + l.substring(source.length()));
        return String.join("\n", out) + (newline ? "\n" : "");
    }
}
