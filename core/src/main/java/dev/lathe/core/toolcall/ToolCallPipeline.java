package dev.lathe.core.toolcall;

import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.tools.CallAsking;
import dev.lathe.tools.Effect;
import dev.lathe.tools.LimitReached;
import dev.lathe.tools.PermissionRejected;
import dev.lathe.tools.PermissionSource;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolExecutor;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolRegistry;
import dev.lathe.tools.ToolResult;
import dev.lathe.tools.Truncation;
import java.util.Optional;
import java.util.Set;

/**
 * The one path every tool call takes, in this order:
 *
 * <ol>
 *   <li><b>argument validation</b> — the tool exists (and was offered to the caller), the JSON arguments fit its
 *       record ({@link ToolExecutor#parse}); a failure tells the model how to fix the call;
 *   <li><b>pre-call hooks</b> ({@link PreCallHook}, in order) — may block the call or rewrite its arguments, which are
 *       validated again;
 *   <li><b>loop guard</b> ({@link LoopGuard}) — the model's same call with the same input the third time in a row (or
 *       more) must pass the {@code doom_loop} permission, an ask by default;
 *   <li><b>permission gate</b> — for a tool that does not check itself ({@link DeclaredPermission}); the built-ins ask
 *       inside {@code run} with richer questions;
 *   <li><b>execution</b> — {@link Tool#run}, with {@link ToolCallSeams#launcher} starting every process it runs (the
 *       sandbox seam); the part is told the arguments that will run and what the tool announces from them just
 *       before the gate ({@link PartRecorder#validated});
 *   <li><b>post-call hooks</b> ({@link PostCallHook}, in order) — may add context for the model;
 *   <li><b>diagnostics</b> for the files the result says it changed ({@link dev.lathe.tools.Diagnostics});
 *   <li><b>truncation</b> of the tool's own output at the end the tool declares ({@link Tool#truncation}), the full
 *       text saved; what the hooks added and the diagnostics are appended after it, whole — they are short, and a
 *       nested {@code AGENTS.md} cut off a long read would be lost (the hook marks it surfaced);
 *   <li><b>audit record</b> ({@link AuditLog}) — every call, also those refused or failed, with its verdict, once;
 *   <li><b>stored part</b> ({@link PartRecorder#completed} or {@link PartRecorder#failed}).
 * </ol>
 *
 * <p>The part is marked running by its owner when the call starts, before this runs (and before a file-writing call
 * waits for its turn), as it was before the pipeline existed.
 *
 * <p>The call's context comes as its owner built it ({@link CallPorts}); this is the one place it is wrapped for the
 * call (decision 523): its permissions get the project's network policy in front ({@link CallPorts.Network}), are
 * timed ({@link AskWaits}: an ask's wait is no part of the call's run, told to the part before it ends) and carry the
 * caller on every check ({@link CallerOnChecks}); its launcher gets the session's sandbox for this call over the
 * seam's.
 *
 * <p>{@link #run} then returns the result, or rethrows what stopped the call — {@link ToolFailure} (the model can fix
 * it), {@link PermissionRejected}, or any other runtime exception (a crash) — so the caller decides what that means for
 * its turn or command. The pipeline is immutable and shared; a step adds its own post-call hook with
 * {@link #withPostCallHook}, and the derived pipeline keeps the same {@link LoopGuard}, so the count of repeated calls
 * runs across steps.
 */
public final class ToolCallPipeline {
    /**
     * While a tool runs, how it runs other tools through this pipeline as calls of their own ({@link NestedCalls}):
     * bound here, never built elsewhere, so no tool can reach another but through every step above.
     */
    public static final ScopedValue<NestedCalls> NESTED = ScopedValue.newInstance();

    private final ToolRegistry registry;
    private final ToolExecutor tools;
    private final ToolCallSeams seams;
    private final ExtensionTools extensions;
    private final LoopGuard loopGuard;

    public ToolCallPipeline(ToolRegistry registry, ToolCallSeams seams) {
        this(registry, seams, ExtensionTools.NONE);
    }

    /** A pipeline that also runs {@code extensions}' tools (MCP), offered or not, when the registry has no such name. */
    public ToolCallPipeline(ToolRegistry registry, ToolCallSeams seams, ExtensionTools extensions) {
        this(registry, seams, extensions, new LoopGuard());
    }

    /** As above, with {@code loopGuard} counting the model's repeated calls (one guard per server: it is per session inside). */
    public ToolCallPipeline(ToolRegistry registry, ToolCallSeams seams, ExtensionTools extensions, LoopGuard loopGuard) {
        this.loopGuard = loopGuard;
        this.registry = registry;
        this.tools = new ToolExecutor(registry);
        this.seams = seams;
        this.extensions = extensions;
    }

    /** This pipeline with {@code hook} run after the configured post-call hooks. */
    public ToolCallPipeline withPostCallHook(PostCallHook hook) {
        return new ToolCallPipeline(registry, seams.withPostCall(hook), extensions, loopGuard);
    }

    /** The guard against repeated calls this pipeline and every one derived from it share. */
    public LoopGuard loopGuard() { return loopGuard; }

    /** What the tool called {@code name} declares it may do; empty when there is no such tool. */
    public Optional<Set<Effect>> effects(String name) {
        try {
            return Optional.of(tools.find(name).effects());
        } catch (ToolFailure e) {
            return Optional.empty();
        }
    }

    /**
     * Whether the built-in tool called {@code name} has its permission decided, by this pipeline or by the tool itself
     * (not {@link PermissionSource#notChecked}); false for an extension tool or an unknown name.
     */
    public boolean checksPermission(String name) {
        return registry.find(name).map(tool -> !tool.permission().equals(PermissionSource.notChecked())).orElse(false);
    }

    /** What the tool called {@code name} in the project at {@code projectDir} declares, extension tools included. */
    public Optional<Set<Effect>> effects(java.nio.file.Path projectDir, String name) {
        return effects(name).or(() -> extensions.find(projectDir, name).map(Tool::effects));
    }

    /** As {@link #effects(java.nio.file.Path, String)}, with the extension tools session {@code sessionId} sees. */
    public Optional<Set<Effect>> effects(java.nio.file.Path projectDir, String sessionId, String name) {
        return effects(name).or(() -> extensions.find(projectDir, sessionId, name).map(Tool::effects));
    }

    /** Runs {@code call} through every step; see the class comment for the order and what is thrown. */
    public ToolResult run(ToolCall call, PartRecorder part) {
        long started = System.currentTimeMillis();
        AuditRecord.Verdict verdict = AuditRecord.Verdict.INVALID;
        ToolResult result;
        // the call as it runs, once it may run: a failure then is the tool's own (PostToolUseFailure)
        ToolCall running = null;
        Tool<?> runningTool = null;
        // the call's asks: the project's network policy first (a URL it refuses is refused before anyone is asked), timed
        var asks = new AskWaits(call.network().inFrontOf(call.ctx().guards().permissions(), call.tool()));
        try {
            Tool<?> tool = validTool(call);
            Record args = ToolExecutor.parse(tool, call.argsJson());
            String argsJson = call.argsJson();
            CallAsking.Hook asking = CallAsking.Hook.AS_RULES_SAY;
            for (PreCallHook hook : seams.preCall()) {
                switch (hook.before(call.with(argsJson, call.ctx()), tool)) {
                    case PreCallHook.Decision.Proceed p -> {
                        if (!p.argsJson().equals(argsJson)) args = ToolExecutor.parse(tool, p.argsJson());
                        argsJson = p.argsJson();
                        asking = asking.and(p.permission());
                    }
                    case PreCallHook.Decision.Block b -> {
                        verdict = AuditRecord.Verdict.BLOCKED;
                        throw new ToolFailure(b.reason());
                    }
                }
            }
            part.validated(argsJson, announce(tool, args));
            // a session's sandbox (put on the context where the call was made) wraps the command, then the seam starts it
            ToolContext ctx = call.ctx().withLauncher(call.ctx().guards().launcher().forCallOver(call.ctx(), seams.launcher()));
            // every check the tool makes says which call asks (as it runs now) and what the hooks said about asking: it
            // reaches the permission gate through whatever wraps it (the network policy), which passes checks on
            ctx = ctx.withPermissions(new CallerOnChecks(asks, new CallAsking(call.tool(), argsJson, asking)));
            verdict = AuditRecord.Verdict.REJECTED;
            loopGuard.check(call, ctx);
            DeclaredPermission.check(tool, argsJson, ctx);
            verdict = AuditRecord.Verdict.FAILED;
            running = call.with(argsJson, ctx);
            runningTool = tool;
            Tool<?> runs = tool;
            Record parsed = args;
            ToolContext runsIn = ctx;
            ToolResult own = ScopedValue.where(NESTED, nested(call, asks)).call(() -> execute(runs, parsed, runsIn));
            ToolCall ran = call.with(argsJson, ctx);
            var added = new StringBuilder();
            java.util.Map<String, String> metadata = own.metadata();
            for (PostCallHook hook : seams.postCall()) {
                PostCallHook.Added more = hook.after(ran, tool, own);
                if (!more.context().isBlank()) added.append("\n\n").append(more.context().strip());
                if (!more.metadata().isEmpty()) {
                    metadata = new java.util.HashMap<>(metadata);
                    metadata.putAll(more.metadata());
                }
            }
            added.append(diagnostics(own, ctx));
            ctx.guards().launcher().takeNotice().ifPresent(n -> added.append("\n\n").append(n));
            // the server's known secrets never leave a call, whatever the tool printed or read (DESIGN §26)
            result = own.withOutput(SecretMask.apply(Truncation.apply(own.output(), tool.truncation(), ctx) + added, ctx.guards().secrets()))
                    .withMetadata(metadata);
        } catch (PermissionRejected e) {
            part.heldByAsks(asks.heldMillis());
            if (e.rejection().isPresent()) {
                audit(call, AuditRecord.Verdict.REJECTED, e.getMessage(), started);
                part.rejected(e.getMessage(), e.rejection().get());
            } else {
                end(call, part, AuditRecord.Verdict.REJECTED, e.getMessage(), started);
            }
            throw e;
        } catch (LimitReached e) {
            part.heldByAsks(asks.heldMillis());
            end(call, part, AuditRecord.Verdict.FAILED, e.getMessage(), started);
            throw e;
        } catch (ToolFailure e) {
            ToolFailure failure = masked(running != null ? afterFailure(running, runningTool, e) : e, call.ctx().guards().secrets());
            part.heldByAsks(asks.heldMillis());
            end(call, part, verdict, failure.getMessage(), started);
            throw failure;
        } catch (RuntimeException | Error e) {
            // an Error too (a class the tool needs failed to start): its part must not be left running
            part.heldByAsks(asks.heldMillis());
            end(call, part, AuditRecord.Verdict.CRASHED, "Internal error in tool " + call.tool() + ": " + e, started);
            throw e;
        }
        // outside the try: a part store that fails is not a second outcome of the call (audited once, no Failed part
        // after the Completed one); the caller sees the exception
        audit(call, AuditRecord.Verdict.COMPLETED, "", started);
        part.heldByAsks(asks.heldMillis());
        part.completed(result);
        return result;
    }

    /**
     * Calls made by the tool of {@code outer}: each as {@code outer}'s caller would make it, in its context before this
     * pipeline wrapped it for the outer tool (the nested call's own checks name the nested tool), offered only itself.
     * They ask through the outer call's {@code asks}: the outer call's network policy already in front, and their waits
     * held the outer call too.
     */
    private NestedCalls nested(ToolCall outer, AskWaits asks) {
        return (tool, argsJson) -> run(new ToolCall(tool, argsJson, outer.ctx().withPermissions(asks), outer.origin(), Optional.of(Set.of(tool)),
                CallPorts.Network.OPEN), PartRecorder.NONE);
    }

    /** {@code e} with the server's known secrets masked in its message (a failed command's output is its message). */
    private static ToolFailure masked(ToolFailure e, java.util.Set<String> secrets) {
        String message = SecretMask.apply(e.getMessage(), secrets);
        return message.equals(e.getMessage()) ? e : new ToolFailure(message, e);
    }

    /** The failure of a call that ran, with what the post-call hooks add after its error. */
    private ToolFailure afterFailure(ToolCall call, Tool<?> tool, ToolFailure e) {
        var added = new StringBuilder();
        boolean interrupted = call.ctx().call().cancellation().isCancelled();
        for (PostCallHook hook : seams.postCall()) {
            try {
                String more = hook.failed(call, tool, e.getMessage(), interrupted).context();
                if (!more.isBlank()) added.append("\n\n").append(more.strip());
            } catch (RuntimeException hookFailure) {
                System.getLogger(ToolCallPipeline.class.getName()).log(System.Logger.Level.WARNING, "a post-call hook failed after a failed call", hookFailure);
            }
        }
        return added.isEmpty() ? e : new ToolFailure(e.getMessage() + added, e);
    }

    private Tool<?> validTool(ToolCall call) {
        if (call.ctx().call().cancellation().isCancelled()) throw new ToolFailure("Tool execution aborted");
        Optional<Tool<?>> extension = registry.find(call.tool()).isPresent() ? Optional.empty()
                : extensions.find(call.ctx().folders().project(), call.ctx().call().sessionId(), call.tool());
        // an extension tool deferred behind tool_search may be called by its exact name (DESIGN §18), where the
        // caller was offered tool_search (an agent denied it gets no deferred tools either)
        boolean searching = call.offered().map(o -> o.contains(ExtensionTools.SEARCH_TOOL)).orElse(true);
        if (extension.isPresent() && searching) return extension.get();
        if (call.offered().isPresent() && !call.offered().get().contains(call.tool())) {
            // the same answer as for a tool that does not exist: the model learns what it may call
            throw new ToolFailure("Unknown tool '" + call.tool() + "'. Available tools: " + String.join(", ",
                    call.offered().get().stream().sorted().toList()) + ".");
        }
        return extension.isPresent() ? extension.get() : tools.find(call.tool());
    }

    @SuppressWarnings("unchecked")
    private static <A extends Record> Optional<ToolDisplay> announce(Tool<A> tool, Record args) {
        return tool.announce((A) args);
    }

    @SuppressWarnings("unchecked")
    private static <A extends Record> ToolResult execute(Tool<A> tool, Record args, ToolContext ctx) {
        return tool.run((A) args, ctx);
    }

    /** The diagnostics for the files {@code result} changed, to append after its output; empty when none. */
    private String diagnostics(ToolResult result, ToolContext ctx) {
        if (result.changedFiles().isEmpty()) return "";
        String report = seams.diagnostics().report(result.changedFiles(), ctx);
        return report.isBlank() ? "" : "\n\n" + report.strip();
    }

    private void end(ToolCall call, PartRecorder part, AuditRecord.Verdict verdict, String detail, long started) {
        audit(call, verdict, detail, started);
        part.failed(detail);
    }

    private void audit(ToolCall call, AuditRecord.Verdict verdict, String detail, long started) {
        try {
            seams.audit().record(new AuditRecord(call.sessionId(), call.callId(), call.tool(), call.origin(), verdict, detail, started,
                    System.currentTimeMillis()));
        } catch (RuntimeException e) {
            // an audit sink that fails must not change the call's outcome
            System.getLogger(ToolCallPipeline.class.getName()).log(System.Logger.Level.WARNING, "audit log failed", e);
        }
    }
}
