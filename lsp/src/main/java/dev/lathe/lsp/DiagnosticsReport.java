package dev.lathe.lsp;

import java.util.List;

/**
 * The text of DESIGN §18 for one file: {@code <diagnostics file="REL/PATH">}, one problem a line
 * ({@code ERROR [LINE:COL] MESSAGE}), at most {@link #MAX_PER_FILE} and a line counting the rest, {@code </diagnostics>}.
 */
final class DiagnosticsReport {
    static final int MAX_PER_FILE = 20;

    private DiagnosticsReport() {}

    /** The problems an edit reports: errors, and warnings when {@code warnings}. */
    static List<LspProblem> shown(List<LspProblem> problems, boolean warnings) {
        return problems.stream().filter(p -> p.severity().equals(LspProblem.ERROR) || warnings && p.severity().equals(LspProblem.WARNING)).toList();
    }

    static String block(String relPath, List<LspProblem> problems) {
        StringBuilder out = new StringBuilder("<diagnostics file=\"").append(relPath).append("\">\n");
        problems.stream().limit(MAX_PER_FILE).forEach(p -> out.append(p.format()).append('\n'));
        if (problems.size() > MAX_PER_FILE) {
            int more = problems.size() - MAX_PER_FILE;
            boolean onlyErrors = problems.stream().allMatch(p -> p.severity().equals(LspProblem.ERROR));
            out.append("... and ").append(more).append(" more ").append(onlyErrors ? (more == 1 ? "error" : "errors") : (more == 1 ? "problem" : "problems"))
                    .append('\n');
        }
        return out.append("</diagnostics>").toString();
    }
}
