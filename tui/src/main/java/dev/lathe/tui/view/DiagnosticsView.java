package dev.lathe.tui.view;

import dev.lathe.protocol.session.Wrapper;
import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Theme;
import dev.lathe.tui.text.Wrap;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jline.utils.AttributedString;

/**
 * The language servers' report a tool result carries (DESIGN §18: a blank line, {@code <diagnostics file="PATH">}, one
 * {@code ERROR [LINE:COL] MESSAGE} a line, {@code </diagnostics>}) shown as a person reads it: under the call that
 * caused it, one {@code ✗ path:line:col message} line per problem, in the error colour, instead of the raw tags.
 */
final class DiagnosticsView {
    /** The opening of a block, as {@link Wrapper#DIAGNOSTICS} writes it, up to its attribute. */
    private static final String OPENING = "<" + Wrapper.DIAGNOSTICS.tag() + " ";
    private static final Pattern BLOCK = Pattern.compile("\\n*" + Pattern.quote(OPENING) + "file=\"([^\"]*)\">\\n?(.*?)" + Pattern.quote(Wrapper.DIAGNOSTICS.closing())
            + "\\n?", Pattern.DOTALL);
    private static final Pattern PROBLEM = Pattern.compile("(ERROR|WARN|WARNING|INFO|HINT) \\[(\\d+):(\\d+)\\] (.*)");
    /** Problems shown under a call while details are off; the rest are counted. */
    static final int SHOWN = 5;

    private final Theme theme;

    DiagnosticsView(Theme theme) { this.theme = theme; }

    /** One line of a report: a problem at a place, or what else the block says (a count of the rest, "not ready"). */
    record Line(String file, String severity, int line, int column, String message) {
        boolean isProblem() { return line > 0; }
    }

    /** The lines of every {@code <diagnostics>} block in {@code output}, in order. */
    static List<Line> parse(String output) {
        var out = new ArrayList<Line>();
        if (output == null || !output.contains(OPENING)) return out;
        Matcher block = BLOCK.matcher(output);
        while (block.find()) {
            // the path and the messages as the server wrote them: the block escapes them for the model, not for a person
            String file = Wrapper.unescape(block.group(1));
            for (String raw : Wrapper.unescape(block.group(2)).split("\n")) {
                String text = raw.strip();
                if (text.isEmpty()) continue;
                Matcher p = PROBLEM.matcher(text);
                out.add(p.matches() ? new Line(file, p.group(1), Integer.parseInt(p.group(2)), Integer.parseInt(p.group(3)), p.group(4))
                        : new Line(file, "", 0, 0, text));
            }
        }
        return out;
    }

    /** {@code output} without its {@code <diagnostics>} blocks (they are shown as {@link #render} lines instead). */
    static String without(String output) {
        if (output == null || !output.contains(OPENING)) return output;
        return BLOCK.matcher(output).replaceAll("\n").strip();
    }

    /** The report's lines at {@code width}, indented under the call; at most {@code max} problems, then how many more. */
    List<AttributedString> render(String output, int width, int max) {
        List<Line> lines = parse(output);
        var out = new ArrayList<AttributedString>();
        int shown = 0;
        for (Line l : lines) {
            if (shown == max) {
                out.add(indent(theme.paint(Role.MUTED, "… +" + Footer.count(lines.size() - shown, "line", "lines") + " (ctrl+o for details)")));
                break;
            }
            shown++;
            if (!l.isProblem()) {
                out.add(indent(Wrap.truncate(theme.paint(Role.MUTED, l.file() + ": " + l.message()), width - 2)));
                continue;
            }
            Role role = l.severity().equals("ERROR") ? Role.ERROR : Role.WARNING;
            String mark = l.severity().equals("ERROR") ? "✗ " : "⚠ ";
            out.add(indent(Wrap.truncate(theme.paint(role, mark + l.file() + ":" + l.line() + ":" + l.column() + " " + l.message()), width - 2)));
        }
        return out;
    }

    private AttributedString indent(AttributedString line) {
        return AttributedString.join(AttributedString.EMPTY, theme.paint(Role.BORDER, "  "), line);
    }
}
