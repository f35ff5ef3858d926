package dev.lathe.lsp;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.ExecuteCommandOptions;
import org.eclipse.lsp4j.ExecuteCommandParams;

/**
 * What tsserver sees in a file now, asked of it directly: typescript-language-server sends no document versions, does
 * not publish a file that stays clean, and publishes each kind of diagnostics (syntactic, semantic) on its own after a
 * delay of 300 ms or more, so its publishes alone cannot tell when a change's diagnostics are complete
 * (docs/decisions.md). It offers the command {@code typescript.tsserverRequest}, which forwards a request to
 * tsserver; {@code syntacticDiagnosticsSync} and {@code semanticDiagnosticsSync} answer for the file as it is now
 * (tsserver handles requests in order, after the change already sent).
 */
final class TsserverCheck {
    static final String COMMAND = "typescript.tsserverRequest";

    private TsserverCheck() {}

    /** Whether {@code c} can be asked. */
    static boolean offered(ServerConnection c) {
        ExecuteCommandOptions commands = c.capabilities().getExecuteCommandProvider();
        return commands != null && commands.getCommands() != null && commands.getCommands().contains(COMMAND);
    }

    /**
     * How many syntactic and semantic problems tsserver sees in {@code file} now (its suggestions, published as hints,
     * not counted); empty when it could not say in time or answered in a shape not understood.
     */
    static Optional<Integer> problems(ServerConnection c, Path file, long deadlineNanos) throws InterruptedException {
        int total = 0;
        for (String request : List.of("syntacticDiagnosticsSync", "semanticDiagnosticsSync")) {
            Optional<Integer> count = count(c, request, file, deadlineNanos);
            if (count.isEmpty()) return Optional.empty();
            total += count.get();
        }
        return Optional.of(total);
    }

    /** The problems of a publish tsserver's count covers: all but hints (its suggestions). */
    static int counted(PublishedDiagnostics.Published published) {
        return (int) published.diagnostics().stream().filter(d -> d.getSeverity() != org.eclipse.lsp4j.DiagnosticSeverity.Hint).count();
    }

    private static Optional<Integer> count(ServerConnection c, String request, Path file, long deadlineNanos) throws InterruptedException {
        var params = new ExecuteCommandParams(COMMAND, List.of(request, Map.of("file", file.toUri().toString())));
        try {
            Object answer = c.server().getWorkspaceService().executeCommand(params)
                    .get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            return bodySize(answer);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return Optional.empty();
        }
    }

    /**
     * The size of the {@code body} array of a tsserver response ({@code {"success":true,"body":[...]}}): LSP4J hands an
     * untyped result over as Gson made it, maps and lists (or a {@code JsonObject}).
     */
    private static Optional<Integer> bodySize(Object answer) {
        Object body = switch (answer) {
            case Map<?, ?> map -> map.get("body");
            case JsonObject json -> json.get("body");
            case null, default -> null;
        };
        return switch (body) {
            case List<?> list -> Optional.of(list.size());
            case JsonArray array -> Optional.of(array.size());
            case null, default -> Optional.empty();
        };
    }
}
