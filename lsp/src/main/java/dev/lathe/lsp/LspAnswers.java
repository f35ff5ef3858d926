package dev.lathe.lsp;

import dev.lathe.tools.FileGateway;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.LocationLink;
import org.eclipse.lsp4j.MarkedString;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.SymbolInformation;
import org.eclipse.lsp4j.WorkspaceSymbol;
import org.eclipse.lsp4j.jsonrpc.messages.Either;

/**
 * Server answers as the model reads them: locations {@code path:line:column} (1-based, relative to the project) with
 * the line's text, symbols one a line, nested by indentation, at most {@link #MAX_ITEMS} of anything.
 */
final class LspAnswers {
    static final int MAX_ITEMS = 100;
    private static final int MAX_LINE_SHOWN = 200;

    private LspAnswers() {}

    static String locations(Either<List<? extends Location>, List<? extends LocationLink>> answer, ProjectLanguageServers servers, String none) {
        List<String> lines = answer == null ? List.of() : answer.isLeft()
                ? answer.getLeft().stream().map(l -> location(l.getUri(), l.getRange(), servers)).toList()
                : answer.getRight().stream().map(l -> location(l.getTargetUri(), l.getTargetSelectionRange(), servers)).toList();
        return lines.isEmpty() ? none : capped(lines, "locations");
    }

    static String references(List<? extends Location> refs, ProjectLanguageServers servers, String where) {
        if (refs == null || refs.isEmpty()) return "No references found at " + where;
        List<String> lines = refs.stream().map(l -> location(l.getUri(), l.getRange(), servers)).toList();
        return refs.size() + (refs.size() == 1 ? " reference:\n" : " references:\n") + capped(lines, "references");
    }

    static String hover(Hover hover, String where) {
        if (hover == null || hover.getContents() == null) return "No hover information at " + where;
        String text = hover.getContents().isRight() ? hover.getContents().getRight().getValue()
                : String.join("\n\n", hover.getContents().getLeft().stream().map(LspAnswers::marked).toList());
        return text.isBlank() ? "No hover information at " + where : text.strip();
    }

    static String symbols(List<Either<SymbolInformation, DocumentSymbol>> symbols, String shownFile) {
        if (symbols == null || symbols.isEmpty()) return "No symbols in " + shownFile;
        List<String> lines = new ArrayList<>();
        for (var s : symbols) {
            if (s.isRight()) nested(s.getRight(), 0, lines);
            else lines.add(s.getLeft().getKind() + " " + s.getLeft().getName() + " " + position(s.getLeft().getLocation().getRange())
                    + Optional.ofNullable(s.getLeft().getContainerName()).filter(c -> !c.isBlank()).map(c -> " (in " + c + ")").orElse(""));
        }
        return capped(lines, "symbols");
    }

    static String workspaceSymbols(Either<List<? extends SymbolInformation>, List<? extends WorkspaceSymbol>> answer, ProjectLanguageServers servers) {
        if (answer == null) return "";
        List<String> lines = answer.isLeft()
                ? answer.getLeft().stream().map(s -> s.getKind() + " " + s.getName() + " " + place(s.getLocation().getUri(), s.getLocation().getRange(), servers)).toList()
                : answer.getRight().stream().map(s -> s.getKind() + " " + s.getName() + " " + (s.getLocation().isLeft()
                        ? place(s.getLocation().getLeft().getUri(), s.getLocation().getLeft().getRange(), servers)
                        : shown(s.getLocation().getRight().getUri(), servers))).toList();
        return lines.isEmpty() ? "" : capped(lines, "symbols") + "\n";
    }

    /** The number of lines of {@code file} (a last line without a newline counts). */
    static long lineCount(Path file) {
        try (Stream<String> lines = lines(file)) {
            return Math.max(1, lines.count());
        } catch (IOException | java.io.UncheckedIOException e) {
            return Long.MAX_VALUE; // unreadable here: let the server judge the position
        }
    }

    private static void nested(DocumentSymbol s, int depth, List<String> lines) {
        lines.add("  ".repeat(depth) + s.getKind() + " " + s.getName() + " " + position(s.getSelectionRange() != null ? s.getSelectionRange() : s.getRange()));
        if (s.getChildren() != null) for (DocumentSymbol child : s.getChildren()) nested(child, depth + 1, lines);
    }

    private static String location(String uri, Range range, ProjectLanguageServers servers) {
        String text = PublishedDiagnostics.fileOf(uri).flatMap(f -> lineText(f, range.getStart().getLine())).map(t -> ": " + t).orElse("");
        return place(uri, range, servers) + text;
    }

    private static String place(String uri, Range range, ProjectLanguageServers servers) {
        return shown(uri, servers) + ":" + position(range);
    }

    private static String shown(String uri, ProjectLanguageServers servers) {
        return PublishedDiagnostics.fileOf(uri).map(servers::shown).orElse(uri);
    }

    private static String position(Range range) {
        return (range.getStart().getLine() + 1) + ":" + (range.getStart().getCharacter() + 1);
    }

    /** The lines of a file a language server names, through the gateway's one handle (a FIFO or device is refused). */
    private static Stream<String> lines(Path file) throws IOException {
        var in = FileGateway.anywhere().open(file).in();
        var reader = new java.io.BufferedReader(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
        return reader.lines().onClose(() -> {
            try {
                reader.close();
            } catch (IOException e) {
                // nothing more to release
            }
        });
    }

    private static Optional<String> lineText(Path file, int zeroBasedLine) {
        try (Stream<String> lines = lines(file)) {
            return lines.skip(zeroBasedLine).findFirst().map(String::strip)
                    .map(t -> t.length() > MAX_LINE_SHOWN ? t.substring(0, MAX_LINE_SHOWN) + "…" : t);
        } catch (IOException | java.io.UncheckedIOException e) {
            return Optional.empty();
        }
    }

    private static String marked(Either<String, MarkedString> part) {
        return part.isLeft() ? part.getLeft() : "```" + part.getRight().getLanguage() + "\n" + part.getRight().getValue() + "\n```";
    }

    private static String capped(List<String> lines, String what) {
        if (lines.size() <= MAX_ITEMS) return String.join("\n", lines);
        return String.join("\n", lines.subList(0, MAX_ITEMS)) + "\n... and " + (lines.size() - MAX_ITEMS) + " more " + what;
    }
}
