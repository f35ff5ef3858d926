package dev.lathe.lsp;

import dev.lathe.tools.Effect;
import dev.lathe.tools.PermissionCheck;
import dev.lathe.tools.PermissionSource;
import dev.lathe.tools.ProjectPaths;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolResult;
import dev.lathe.tools.Truncation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.lsp4j.DefinitionParams;
import org.eclipse.lsp4j.DocumentSymbolParams;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.ReferenceContext;
import org.eclipse.lsp4j.ReferenceParams;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.WorkspaceSymbolParams;

/**
 * The {@code lsp} tool (DESIGN §14): definition, references, hover, document and workspace symbols, and diagnostics,
 * answered by the project's language servers ({@link ProjectLanguageServers}). Positions are 1-based in and out, as
 * {@code read} numbers lines; paths in results are relative to the project. It only reads (a server it needs is
 * started, as an edit would start it); asking about a file no server handles is an error naming why.
 */
public final class LspTool implements Tool<LspTool.Args> {
    /** The arguments: {@code operation}, and {@code path}, {@code line}, {@code column} or {@code query} as it needs. */
    public record Args(String operation, Optional<String> path, Optional<Integer> line, Optional<Integer> column, Optional<String> query) {}

    static final List<String> OPERATIONS = List.of("definition", "references", "hover", "documentSymbol", "workspaceSymbol", "diagnostics");
    /** How long one request to a running server may take. */
    static final long REQUEST_SECONDS = 30;
    private static final String DESCRIPTION = load();
    private static final String SCHEMA = """
            {"type":"object","properties":{\
            "operation":{"type":"string","enum":["definition","references","hover","documentSymbol","workspaceSymbol","diagnostics"]},\
            "path":{"type":"string"},"line":{"type":"integer","minimum":1},"column":{"type":"integer","minimum":1},\
            "query":{"type":"string"}},"required":["operation"],"additionalProperties":false}""";

    private final ProjectLanguageServers servers;

    public LspTool(ProjectLanguageServers servers) {
        this.servers = servers;
    }

    @Override public String name() { return "lsp"; }

    @Override public String description() { return DESCRIPTION; }

    @Override public String parametersSchema() { return SCHEMA; }

    @Override public Class<Args> argsType() { return Args.class; }

    @Override public Set<Effect> effects() { return Set.of(Effect.READS_FILES); }

    @Override public PermissionSource permission() { return PermissionSource.checkedByTool(PermissionSource.Pattern.PATH, "path"); }

    @Override public Truncation.Keep truncation() { return Truncation.Keep.HEAD; }

    @Override
    public ToolResult run(Args args, ToolContext ctx) {
        // a cancelled turn interrupts this call's waits (a server starting, a request in flight)
        Thread caller = Thread.currentThread();
        AutoCloseable onCancel = ctx.call().cancellation().onCancel(caller::interrupt);
        try {
            return answer(args, ctx);
        } finally {
            try {
                onCancel.close();
            } catch (Exception e) {
                // unregistering a callback does not fail
            }
            if (ctx.call().cancellation().isCancelled()) Thread.interrupted(); // our interrupt, not the caller's
        }
    }

    private ToolResult answer(Args args, ToolContext ctx) {
        String op = args.operation();
        if (!OPERATIONS.contains(op)) throw new ToolFailure("Unknown operation '" + op + "'; one of: " + String.join(", ", OPERATIONS) + ".");
        if (op.equals("workspaceSymbol") && args.path().isEmpty()) return workspaceSymbols(args, ctx, Optional.empty());
        Path file = permitted(args.path().orElseThrow(() -> new ToolFailure(op + " needs a path.")), ctx);
        if (op.equals("diagnostics")) return ToolResult.of("lsp diagnostics " + servers.shown(file), diagnostics(file));
        ServerConnection c = connection(file);
        if (c.sync(file, servers.published()::mark).isEmpty()) throw new ToolFailure("Not a text file: " + servers.shown(file));
        if (op.equals("workspaceSymbol")) return workspaceSymbols(args, ctx, Optional.of(c));
        if (op.equals("documentSymbol")) {
            var symbols = await(c.server().getTextDocumentService().documentSymbol(new DocumentSymbolParams(id(file))));
            return ToolResult.of("lsp documentSymbol " + servers.shown(file), LspAnswers.symbols(symbols, servers.shown(file)));
        }
        Position at = position(file, args, op);
        String where = servers.shown(file) + ":" + args.line().orElseThrow() + ":" + args.column().orElseThrow();
        String text = switch (op) {
            case "definition" -> LspAnswers.locations(await(c.server().getTextDocumentService().definition(new DefinitionParams(id(file), at))),
                    servers, "No definition found at " + where);
            case "references" -> LspAnswers.references(await(c.server().getTextDocumentService().references(
                    new ReferenceParams(id(file), at, new ReferenceContext(true)))), servers, where);
            default -> LspAnswers.hover(await(c.server().getTextDocumentService().hover(new HoverParams(id(file), at))), where);
        };
        return ToolResult.of("lsp " + op + " " + where, text);
    }

    private ToolResult workspaceSymbols(Args args, ToolContext ctx, Optional<ServerConnection> given) {
        String query = args.query().orElseThrow(() -> new ToolFailure("workspaceSymbol needs a query."));
        if (given.isEmpty()) ctx.guards().permissions().require(PermissionCheck.of("lsp", PermissionSource.Pattern.VALUE, query, "Search symbols " + query));
        List<ServerConnection> asked = given.map(List::of).orElseGet(() -> servers.runners().stream().flatMap(r -> r.running().stream()).toList());
        if (asked.isEmpty()) throw new ToolFailure("No language server is running yet: give a path of a file of the language to start its server.");
        StringBuilder out = new StringBuilder();
        for (ServerConnection c : asked) {
            out.append(LspAnswers.workspaceSymbols(await(c.server().getWorkspaceService().symbol(new WorkspaceSymbolParams(query))), servers));
        }
        String text = out.toString().strip();
        return ToolResult.of("lsp workspaceSymbol " + query, text.isEmpty() ? "No symbols match " + query : text);
    }

    private String diagnostics(Path file) {
        ServerRunner runner = servers.runnerFor(file).orElseThrow(() -> new ToolFailure(noServer(file)));
        long deadline = System.nanoTime() + servers.settings().diagnosticsWait().toNanos();
        try {
            List<String> parts = new ChangeDiagnostics(servers).reportAll(runner, file, deadline);
            return parts.isEmpty() ? "No errors or warnings in " + servers.shown(file) : String.join("\n\n", parts);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolFailure("Cancelled.");
        }
    }

    /** The file of {@code path}, once the user allowed the tool to look at it. */
    private Path permitted(String path, ToolContext ctx) {
        ProjectPaths.Target target = ProjectPaths.target(ctx, path);
        ProjectPaths.checkExternal(ctx, target.real(), false);
        ctx.guards().permissions().require(new PermissionCheck("lsp", PermissionSource.Pattern.PATH, target.patterns(), target.patterns(),
                target.title("Ask the language server about"), Map.of()));
        if (!Files.isRegularFile(target.real())) throw new ToolFailure("File not found: " + target.shown());
        return target.path();
    }

    private ServerConnection connection(Path file) {
        ServerRunner runner = servers.runnerFor(file).orElseThrow(() -> new ToolFailure(noServer(file)));
        try {
            return switch (runner.connection(System.nanoTime() + servers.settings().diagnosticsWait().toNanos())) {
                case ServerRunner.Ready.Connected c -> c.connection();
                case ServerRunner.Ready.NotYet n -> throw new ToolFailure(runner.spec().name() + " " + n.why() + "; ask again in a moment.");
                case ServerRunner.Ready.Failed f -> throw new ToolFailure(runner.spec().name() + " is not available: " + f.reason());
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolFailure("Cancelled.");
        }
    }

    private String noServer(Path file) {
        return "No language server for " + servers.shown(file) + ": " + servers.noServerReason(file) + ".";
    }

    /** The LSP position (0-based, UTF-16 units, as Java strings count) of the 1-based line and column given. */
    private Position position(Path file, Args args, String op) {
        int line = args.line().orElseThrow(() -> new ToolFailure(op + " needs line and column (1-based, as read shows them)."));
        int column = args.column().orElseThrow(() -> new ToolFailure(op + " needs line and column (1-based, as read shows them)."));
        if (line < 1 || column < 1) throw new ToolFailure("line and column are 1-based.");
        long lines = LspAnswers.lineCount(file);
        if (line > lines) throw new ToolFailure(servers.shown(file) + " has " + lines + " lines; line " + line + " is past its end.");
        return new Position(line - 1, column - 1);
    }

    private static TextDocumentIdentifier id(Path file) { return new TextDocumentIdentifier(file.toUri().toString()); }

    private static <T> T await(CompletableFuture<T> request) {
        try {
            return request.get(REQUEST_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            request.cancel(true);
            throw new ToolFailure("The language server did not answer within " + REQUEST_SECONDS + " s.");
        } catch (ExecutionException e) {
            throw new ToolFailure("The language server answered with an error: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            request.cancel(true);
            Thread.currentThread().interrupt();
            throw new ToolFailure("Cancelled.");
        }
    }

    private static String load() {
        try (InputStream in = LspTool.class.getResourceAsStream("lsp.md")) {
            if (in == null) throw new IllegalStateException("missing tool description lsp.md");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
