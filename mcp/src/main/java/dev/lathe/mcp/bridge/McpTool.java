package dev.lathe.mcp.bridge;

import dev.lathe.protocol.session.CallProgress;
import dev.lathe.tools.Effect;
import dev.lathe.tools.PermissionSource;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolResult;
import dev.lathe.tools.Truncation;
import dev.lathe.mcp.client.ServerClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tool {@code definition} of MCP server {@code server}, offered as {@code NAME_TOOL} ({@link McpToolName}).
 *
 * <p>It declares what the server says of it: a tool annotated {@code readOnlyHint} reads (files, the network) and
 * changes nothing; any other may do anything (change any file, run processes, reach the network), so a step that
 * calls it is snapshotted whole and a read-only agent is not offered it. The pipeline checks its permission with its
 * Lathe name as the rule key and {@code *} as the pattern ({@link PermissionSource#wholeTool()}), so by default it asks.
 *
 * <p>A call never throws anything but {@link ToolFailure}: a server that is down, errs, does not answer within
 * {@code timeout} (counted from its last progress report, when it sends them) or is cancelled gives the model an error
 * it can read, and the turn goes on.
 */
public final class McpTool implements Tool<McpArguments> {
    private static final Set<Effect> READ_ONLY = Set.copyOf(EnumSet.of(Effect.READS_FILES, Effect.REACHES_NETWORK));
    private static final Set<Effect> ANYTHING = Set.copyOf(EnumSet.of(Effect.MAY_CHANGE_ANY_FILE, Effect.RUNS_PROCESSES, Effect.REACHES_NETWORK));

    private final String server;
    private final ServerClient client;
    private final McpSchema.Tool definition;
    private final Duration timeout;
    private final String name;
    private final String schema;
    private final RunningCalls calls;

    /** A tool whose server's elicitations find nobody to ask (its calls are registered nowhere else). */
    public McpTool(String server, ServerClient client, McpSchema.Tool definition, Duration timeout) {
        this(server, client, definition, timeout, new RunningCalls());
    }

    /** A tool whose calls are entered in {@code calls} while they run, so the server's elicitations reach their session. */
    public McpTool(String server, ServerClient client, McpSchema.Tool definition, Duration timeout, RunningCalls calls) {
        this.calls = calls;
        this.server = server;
        this.client = client;
        this.definition = definition;
        this.timeout = timeout;
        this.name = McpToolName.of(server, definition.name());
        this.schema = InputSchemas.toJson(definition.inputSchema());
    }

    /** The server this tool belongs to, as configured. */
    public String server() { return server; }

    /** Whether this tool calls through {@code current}, the server's live connection (not one that has ended). */
    public boolean callsThrough(ServerClient current) { return client == current; }

    /** The tool's own name on its server. */
    public String serverToolName() { return definition.name(); }

    @Override public String name() { return name; }

    @Override public String description() {
        if (definition.description() != null && !definition.description().isBlank()) return definition.description();
        return definition.title() != null ? definition.title() : definition.name();
    }

    @Override public String parametersSchema() { return schema; }

    @Override public Class<McpArguments> argsType() { return McpArguments.class; }

    @Override public Set<Effect> effects() {
        var hints = definition.annotations();
        return hints != null && Boolean.TRUE.equals(hints.readOnlyHint()) ? READ_ONLY : ANYTHING;
    }

    @Override public PermissionSource permission() { return PermissionSource.wholeTool(); }

    @Override public Truncation.Keep truncation() { return Truncation.Keep.HEAD; }

    @Override public ToolResult run(McpArguments args, ToolContext ctx) {
        var request = new McpSchema.CallToolRequest(definition.name(), args.values());
        // entered before the request goes out (the server may ask for input as soon as it reads it), left when the
        // call ends however it ends, which abandons the questions still open for it
        var lastReport = new AtomicLong(System.nanoTime());
        RunningCalls.Call running = calls.enter(server, ctx, Optional.of(() -> lastReport.get() + timeout.toNanos()));
        CompletableFuture<McpSchema.CallToolResult> call = new CompletableFuture<>();
        Thread.ofVirtual().name("mcp-call-" + name).start(() -> {
            try {
                call.complete(client.callTool(request, note -> {
                    lastReport.set(System.nanoTime());
                    ctx.call().progress().progress(progressOf(note));
                }));
            } catch (Throwable t) {
                call.completeExceptionally(t);
            }
        });
        try (running; AutoCloseable _ = ctx.call().cancellation().onCancel(() -> call.cancel(true))) {
            return CallResults.convert(title(args), awaitResetOnProgress(call, lastReport));
        } catch (TimeoutException e) {
            call.cancel(true);
            throw notAnswered();
        } catch (CancellationException e) {
            throw new ToolFailure("cancelled");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            // a client's own request timeout may fire first (a stateless one bounds a call by the same duration): one message
            if (timedOut(cause)) throw notAnswered();
            throw new ToolFailure("MCP server " + server + " failed on " + definition.name() + ": " + message(cause), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolFailure("cancelled");
        } catch (ToolFailure e) {
            throw e;
        } catch (Exception e) {
            throw new ToolFailure("MCP server " + server + " failed on " + definition.name() + ": " + message(e), e);
        }
    }

    /**
     * The call's result, waiting {@code timeout} from the later of its start and its server's last progress report
     * (MCP's {@code resetTimeoutOnProgress}): a long call that keeps reporting is not cut, a silent one is.
     */
    private McpSchema.CallToolResult awaitResetOnProgress(CompletableFuture<McpSchema.CallToolResult> call, AtomicLong lastReport)
            throws InterruptedException, ExecutionException, TimeoutException {
        while (true) {
            long left = lastReport.get() + timeout.toNanos() - System.nanoTime();
            if (left <= 0) throw new TimeoutException();
            try {
                return call.get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // a report came while we waited: the window starts again from it
            }
        }
    }

    private static CallProgress progressOf(McpSchema.ProgressNotification note) {
        return new CallProgress(note.progress() == null ? 0 : note.progress(), Optional.ofNullable(note.total()),
                Optional.ofNullable(note.message()));
    }

    private ToolFailure notAnswered() {
        return new ToolFailure("MCP server " + server + " did not answer " + definition.name() + " within " + timeout.toSeconds() + " s.");
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TimeoutException) return true;
        }
        return false;
    }

    /**
     * What a client shows beside the tool's name: its arguments as {@code key=value}, single-line, at most
     * {@value #TITLE_LIMIT} characters ({@code message=hello}); empty when it took none (the name is shown anyway).
     */
    static String title(McpArguments args) {
        if (args.values().isEmpty()) return "";
        var out = new StringBuilder();
        for (var e : args.values().entrySet()) {
            if (!out.isEmpty()) out.append(' ');
            out.append(e.getKey()).append('=').append(String.valueOf(e.getValue()).replaceAll("\\s+", " "));
            if (out.length() > TITLE_LIMIT) break;
        }
        return out.length() > TITLE_LIMIT ? out.substring(0, TITLE_LIMIT - 1) + "…" : out.toString();
    }

    private static final int TITLE_LIMIT = 80;

    private static String message(Throwable t) {
        return t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getSimpleName() : t.getMessage();
    }
}
