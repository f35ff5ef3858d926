package dev.lathe.lsp;

import dev.lathe.protocol.session.Wrapper;
import java.util.ArrayList;
import java.util.List;

/**
 * The text of DESIGN §18 for one file: {@code <diagnostics file="REL/PATH">}, one problem a line
 * ({@code ERROR [LINE:COL] MESSAGE}), at most {@link #MAX_PER_FILE} and a line counting the rest, {@code </diagnostics>}.
 * The messages are the server's text (a server may quote the code it checks): {@link Wrapper#DIAGNOSTICS} escapes them.
 */
final class DiagnosticsReport {
    static final int MAX_PER_FILE = 20;

    private DiagnosticsReport() {}

    /** The problems an edit reports: errors, and warnings when {@code warnings}. */
    static List<LspProblem> shown(List<LspProblem> problems, boolean warnings) {
        return problems.stream().filter(p -> p.severity().equals(LspProblem.ERROR) || warnings && p.severity().equals(LspProblem.WARNING)).toList();
    }

    static String block(String relPath, List<LspProblem> problems) {
        List<String> lines = new ArrayList<>();
        problems.stream().limit(MAX_PER_FILE).forEach(p -> lines.add(p.format()));
        if (problems.size() > MAX_PER_FILE) {
            int more = problems.size() - MAX_PER_FILE;
            boolean onlyErrors = problems.stream().allMatch(p -> p.severity().equals(LspProblem.ERROR));
            lines.add("... and " + more + " more " + (onlyErrors ? (more == 1 ? "error" : "errors") : (more == 1 ? "problem" : "problems")));
        }
        return Wrapper.DIAGNOSTICS.wrap(String.join("\n", lines), relPath);
    }
}
