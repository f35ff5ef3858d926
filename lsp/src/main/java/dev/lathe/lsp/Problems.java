package dev.lathe.lsp;

import java.util.Comparator;
import java.util.List;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DiagnosticSeverity;

/** LSP diagnostics as {@link LspProblem}s: 1-based positions, the message on one line, sorted by position. */
final class Problems {
    private Problems() {}

    static List<LspProblem> of(List<Diagnostic> diagnostics) {
        return diagnostics.stream().map(Problems::of)
                .sorted(Comparator.comparingInt(LspProblem::line).thenComparingInt(LspProblem::column)).toList();
    }

    static LspProblem of(Diagnostic d) {
        var start = d.getRange() == null ? null : d.getRange().getStart();
        int line = start == null ? 1 : start.getLine() + 1;
        int column = start == null ? 1 : start.getCharacter() + 1;
        // LSP4J 1.0: the message is a string or markup
        String message = d.getMessage() == null ? "" : d.getMessage().isLeft() ? d.getMessage().getLeft() : d.getMessage().getRight().getValue();
        return new LspProblem(severity(d.getSeverity()), line, column, message.strip().replaceAll("\\s*\\R\\s*", " "));
    }

    /** A diagnostic without a severity is an error: the client decides, and hiding a real error is worse. */
    private static String severity(DiagnosticSeverity severity) {
        if (severity == null) return LspProblem.ERROR;
        return switch (severity) {
            case Error -> LspProblem.ERROR;
            case Warning -> LspProblem.WARNING;
            case Information -> LspProblem.INFO;
            case Hint -> LspProblem.HINT;
        };
    }
}
