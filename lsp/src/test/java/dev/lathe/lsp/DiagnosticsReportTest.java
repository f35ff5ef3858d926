package dev.lathe.lsp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.MarkupContent;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.junit.jupiter.api.Test;

/** DESIGN §18's diagnostics text: 1-based positions, errors only unless warnings are asked, 20 a file and a count. */
class DiagnosticsReportTest {
    @Test
    void atMostTwentyAFileAndALineCountingTheRest() {
        List<LspProblem> problems = IntStream.rangeClosed(1, 23).mapToObj(i -> new LspProblem("ERROR", i, 1, "bad " + i)).toList();
        String block = DiagnosticsReport.block("src/a.py", problems);
        assertThat(block.lines().toList()).hasSize(23).startsWith("<diagnostics file=\"src/a.py\">", "ERROR [1:1] bad 1")
                .endsWith("ERROR [20:1] bad 20", "... and 3 more errors", "</diagnostics>");
    }

    @Test
    void errorsOnlyUnlessWarningsAreAsked() {
        var error = new LspProblem("ERROR", 2, 3, "e");
        var warning = new LspProblem("WARNING", 1, 1, "w");
        var hint = new LspProblem("HINT", 1, 1, "h");
        assertThat(DiagnosticsReport.shown(List.of(warning, error, hint), false)).containsExactly(error);
        assertThat(DiagnosticsReport.shown(List.of(warning, error, hint), true)).containsExactly(warning, error);
    }

    @Test
    void lspPositionsBecomeOneBasedAndMessagesOneLine() {
        var d = new Diagnostic(new Range(new Position(4, 6), new Position(4, 9)), "first line\n  second line", DiagnosticSeverity.Error, "pyright");
        assertThat(Problems.of(d)).isEqualTo(new LspProblem("ERROR", 5, 7, "first line second line"));
        var markup = new Diagnostic();
        markup.setRange(new Range(new Position(0, 0), new Position(0, 1)));
        markup.setMessage(Either.forRight(new MarkupContent("markdown", "**bold**")));
        assertThat(Problems.of(markup)).as("no severity is an error").isEqualTo(new LspProblem("ERROR", 1, 1, "**bold**"));
    }
}
