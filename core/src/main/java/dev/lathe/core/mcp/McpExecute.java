package dev.lathe.core.mcp;

import dev.lathe.core.toolcall.NestedCalls;
import dev.lathe.core.toolcall.SecretMask;
import dev.lathe.core.toolcall.ToolCallPipeline;
import dev.lathe.mcp.bridge.CallResults;
import dev.lathe.tools.Effect;
import dev.lathe.tools.PermissionRejected;
import dev.lathe.tools.PermissionSource;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolResult;
import dev.lathe.tools.Truncation;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * {@code mcp_execute {code}} (DESIGN §28): the model's JavaScript, an async function body, run in {@link CodeSandbox};
 * {@code await tools.NAME(args)} is a call of a tool of a server in Code Mode, run through the same tool pipeline as a
 * direct call ({@link ToolCallPipeline#NESTED}: hooks, permissions, audit), and gives the tool's text, or its structured
 * content parsed. What {@code return} gives is the result. A denied call throws inside the script with the denial's
 * words; a call the user refused ends the turn after the script, as a direct call's refusal does.
 */
final class McpExecute implements Tool<McpExecute.Args> {
    static final String NAME = "mcp_execute";
    private static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"code\":{\"type\":\"string\",\"description\":"
            + "\"The body of an async JavaScript function: `const a = await tools.NAME({...}); return ...;`\"}},\"required\":[\"code\"]}";
    private static final String DESCRIPTION = """
            Run JavaScript that calls the user's MCP tools (find them and their schemas with mcp_search) in one step. \
            The code is an async function body: `await tools.NAME(args)` gives the tool's text (or an object for a \
            structured result), `tools['a-b'](args)` for names with '-'; a failed or denied call throws. `return` \
            gives your result. No files, network, require or process: only tools.""";
    private static final Set<Effect> EFFECTS = Set.copyOf(EnumSet.of(Effect.MAY_CHANGE_ANY_FILE, Effect.RUNS_PROCESSES, Effect.REACHES_NETWORK));

    private final CodeSandbox sandbox;
    private final Function<ToolContext, List<Tool<?>>> tools;

    McpExecute(CodeSandbox sandbox, Function<ToolContext, List<Tool<?>>> tools) {
        this.sandbox = sandbox;
        this.tools = tools;
    }

    /** The script: an async function body. */
    record Args(String code) {}

    @Override public String name() { return NAME; }

    @Override public String description() { return DESCRIPTION; }

    @Override public String parametersSchema() { return SCHEMA; }

    @Override public Class<Args> argsType() { return Args.class; }

    /** Whatever the tools it calls do: each of them is checked as it is called. */
    @Override public Set<Effect> effects() { return EFFECTS; }

    @Override public PermissionSource permission() { return PermissionSource.notChecked(); }

    @Override public Truncation.Keep truncation() { return Truncation.Keep.HEAD; }

    @Override
    public ToolResult run(Args args, ToolContext ctx) {
        if (args.code() == null || args.code().isBlank()) throw new ToolFailure("code is empty: give an async function body that calls tools.NAME(args)");
        if (!ToolCallPipeline.NESTED.isBound()) throw new ToolFailure("mcp_execute runs only as a session's tool call");
        NestedCalls nested = ToolCallPipeline.NESTED.get();
        sandbox.problem().ifPresent(p -> { throw new ToolFailure(p); });
        List<String> names = tools.apply(ctx).stream().map(Tool::name).toList();
        var calls = new AtomicInteger();
        var refused = new AtomicReference<PermissionRejected>();
        String result;
        try {
            result = sandbox.run(args.code(), names, (tool, argsJson) -> call(nested, names, tool, argsJson, calls, refused, ctx), ctx.call().cancellation());
        } catch (ToolFailure e) {
            // a script that did not catch the refusal fails with it: the refusal, not the failure, says what the turn does
            if (refused.get() != null) throw refused.get();
            throw e;
        }
        if (refused.get() != null) throw refused.get();
        return ToolResult.of(NAME + " (" + calls.get() + (calls.get() == 1 ? " call)" : " calls)"), SecretMask.apply(result, ctx.guards().secrets()));
    }

    /** One {@code tools.NAME(args)} of the script, run as a call of its own; a refusal that stops the turn is kept. */
    private static CodeSandbox.Reply call(NestedCalls nested, List<String> names, String tool, String argsJson, AtomicInteger calls,
            AtomicReference<PermissionRejected> refused, ToolContext ctx) {
        if (!names.contains(tool)) return new CodeSandbox.Reply.Error("no tool " + tool + " (mcp_search lists them)");
        calls.incrementAndGet();
        try {
            ToolResult r = nested.run(tool, argsJson);
            Optional<String> structured = Optional.ofNullable(r.metadata().get(CallResults.STRUCTURED))
                    .map(json -> SecretMask.apply(json, ctx.guards().secrets()));
            return new CodeSandbox.Reply.Text(r.output(), structured);
        } catch (PermissionRejected e) {
            if (e.then() == PermissionRejected.Then.STOP_TURN) refused.compareAndSet(null, e);
            return new CodeSandbox.Reply.Error("permission denied for " + tool + ": " + e.getMessage());
        } catch (ToolFailure e) {
            return new CodeSandbox.Reply.Error(e.getMessage());
        }
    }
}
