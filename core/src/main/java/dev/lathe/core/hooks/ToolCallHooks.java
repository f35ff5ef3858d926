package dev.lathe.core.hooks;

import dev.lathe.core.toolcall.Origin;
import dev.lathe.core.toolcall.PostCallHook;
import dev.lathe.core.toolcall.PreCallHook;
import dev.lathe.core.toolcall.ToolCall;
import dev.lathe.tools.CallAsking;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolResult;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code PreToolUse}, {@code PostToolUse} and {@code PostToolUseFailure} on the pipeline's seams, for the model's calls (a user's shell command
 * and a custom command's {@code !cmd} fire no tool hooks, as in Claude Code).
 *
 * <p>Before the call, after its arguments were validated and before the permission gate: a block (exit 2,
 * {@code permissionDecision: "deny"}, {@code continue: false}) is the call's error, which the model reads, and the turn
 * goes on; an {@code updatedInput} becomes the call's arguments (validated again by the pipeline). {@code allow}
 * and {@code ask} go on to the permission gate ({@link dev.lathe.tools.CallAsking.Hook}): an allow answers what the rules would
 * ask, an ask asks even where the rules allow, and a deny rule denies whatever a hook said; {@code defer} is no answer. After a successful call, each hook's
 * {@code additionalContext} and a block's reason are added after the tool's output.
 *
 * <p>A hook that fails, times out or cannot be read is logged and never breaks the call.
 */
public final class ToolCallHooks implements PreCallHook, PostCallHook {
    private static final System.Logger LOG = System.getLogger(ToolCallHooks.class.getName());

    /**
     * What a session's calls run under, found in one look at its project's files: its hooks, its MCP server names (its
     * client's included, as hooks see them: {@code mcp__NAME__TOOL}), and the bash rules its hook commands are held to
     * (its project's and the managed policy's, decision 563). {@link #NONE} for an unknown session.
     */
    public record Found(List<Hook> hooks, Set<String> mcpServers, CommandRules rules) {
        public static final Found NONE = new Found(List.of(), Set.of(), line -> Optional.of("its session's project is not open"));

        public Found {
            hooks = List.copyOf(hooks);
            mcpServers = Set.copyOf(mcpServers);
        }
    }

    /** The project a session's calls run in, as that session's configuration has it (its client's environment included). */
    @FunctionalInterface
    public interface ProjectHooks {
        Found look(String sessionId);
    }

    /** How many sessions' last looks {@link #looked} keeps at most; all are let go when more would be. */
    private static final int LOOKS_KEPT = 4_096;

    private final ProjectHooks projects;
    /**
     * Per session, the hooks its latest call's {@code PreToolUse} look found, taken by that call's post-call hooks: one
     * look at the configuration per call, its decision point (decision 535), instead of a second look at every file
     * after it ran. A call that never reaches them (blocked, rejected) leaves its entry until the session's next call.
     */
    private final Map<String, Looked> looked = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, String> processEnv;
    private final HttpClient http;
    private final HookRunLog runLog;
    private final HookStops stops;
    private final SessionHooks.Transcripts transcripts;

    public ToolCallHooks(ProjectHooks projects, Map<String, String> processEnv, HttpClient http, HookRunLog runLog) {
        this(projects, processEnv, http, runLog, new HookStops(), SessionHooks.Transcripts.NONE);
    }

    /**
     * @param stops where a hook's {@code continue: false} is left for the turn, which stops after the step's calls
     * @param transcripts the sessions' Claude Code transcripts ({@code transcript_path}), synced before hooks run
     */
    public ToolCallHooks(ProjectHooks projects, Map<String, String> processEnv, HttpClient http, HookRunLog runLog, HookStops stops,
            SessionHooks.Transcripts transcripts) {
        this.projects = projects;
        this.runLog = runLog;
        this.processEnv = Map.copyOf(processEnv);
        this.http = http;
        this.stops = stops;
        this.transcripts = transcripts;
    }

    /**
     * Fires {@code input}; aborting the turn interrupts the firing, which kills the hooks' processes at once instead of
     * waiting for their timeouts (up to 600 s). The interrupt is taken back before returning: the call's own
     * cancellation already says it was aborted, and a set flag would break the file channels written after.
     */
    private static HookOutcome fire(HookEngine engine, ToolCall call, HookInput input) {
        Thread firing = Thread.currentThread();
        var cancellation = call.ctx().call().cancellation();
        try (AutoCloseable _ = cancellation.onCancel(firing::interrupt)) {
            return engine.fire(input);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e); // unregistering a callback does not throw
        } finally {
            if (cancellation.isCancelled()) Thread.interrupted();
        }
    }

    @Override
    public Decision before(ToolCall call, Tool<?> tool) {
        Optional<HookEngine> engine = engine(call, HookEvent.PRE_TOOL_USE);
        if (engine.isEmpty()) return new Decision.Proceed(call.argsJson());
        HookOutcome outcome;
        try {
            outcome = fire(engine.get(), call, new HookInput(common(call), new HookInput.PreToolUse(call.tool(), call.argsJson(), call.callId())));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "PreToolUse hooks failed; the call goes on", e);
            return new Decision.Proceed(call.argsJson());
        }
        // an abort cut the hooks short: they decided nothing, and a guard that never answered must not let the call through
        if (call.ctx().call().cancellation().isCancelled()) return new Decision.Block("The turn was aborted before the call ran.");
        report(call, outcome);
        return preToolUse(outcome, call.argsJson(), reason -> stops.request(call.sessionId(), reason));
    }

    /**
     * What a {@code PreToolUse} outcome decides for a call with {@code argsJson}, whoever runs the tool (the pipeline for
     * Lathe's own, an ACP agent for its calls): {@code stop} is told a {@code continue: false}'s reason.
     */
    public static Decision preToolUse(HookOutcome outcome, String argsJson, java.util.function.Consumer<String> stop) {
        return switch (outcome.verdict()) {
            case HookOutcome.Verdict.Block b -> new Decision.Block("Blocked by a PreToolUse hook: " + b.reason());
            case HookOutcome.Verdict.Stop s -> {
                stop.accept(s.reason());
                yield new Decision.Block("Stopped by a PreToolUse hook" + (s.reason().isBlank() ? "" : ": " + s.reason()));
            }
            case HookOutcome.Verdict.Allow _ -> new Decision.Proceed(outcome.updatedInput().orElse(argsJson), CallAsking.Hook.ALLOW);
            case HookOutcome.Verdict.Ask _ -> new Decision.Proceed(outcome.updatedInput().orElse(argsJson), CallAsking.Hook.ASK);
            case HookOutcome.Verdict.None _, HookOutcome.Verdict.Defer _ -> new Decision.Proceed(outcome.updatedInput().orElse(argsJson));
        };
    }

    @Override
    public Added after(ToolCall call, Tool<?> tool, ToolResult result) {
        Optional<HookEngine> engine = engine(call, HookEvent.POST_TOOL_USE);
        if (engine.isEmpty()) return Added.NOTHING;
        HookOutcome outcome;
        try {
            outcome = fire(engine.get(), call, new HookInput(common(call), new HookInput.PostToolUse(call.tool(), call.argsJson(), result.output(),
                    call.callId())));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "PostToolUse hooks failed", e);
            return Added.NOTHING;
        }
        report(call, outcome);
        return postToolUse(outcome, reason -> stops.request(call.sessionId(), reason));
    }

    /**
     * What a {@code PostToolUse} outcome adds after a call's result, whoever ran the tool: its context and a block's
     * reason; {@code stop} is told a {@code continue: false}'s reason.
     */
    public static Added postToolUse(HookOutcome outcome, java.util.function.Consumer<String> stop) {
        var text = new StringBuilder(outcome.joinedContext());
        switch (outcome.verdict()) {
            case HookOutcome.Verdict.Block b -> text.append(text.isEmpty() ? "" : "\n\n").append("PostToolUse hook feedback: ").append(b.reason());
            case HookOutcome.Verdict.Stop s -> {
                stop.accept(s.reason());
                text.append(text.isEmpty() ? "" : "\n\n").append("A PostToolUse hook asked to stop: ").append(s.reason());
            }
            case HookOutcome.Verdict.None _, HookOutcome.Verdict.Allow _, HookOutcome.Verdict.Ask _, HookOutcome.Verdict.Defer _ -> { }
        }
        return Added.context(text.toString());
    }

    /** {@code PostToolUseFailure}: its {@code additionalContext} (and a block's reason) follow the error the model reads. */
    @Override
    public Added failed(ToolCall call, Tool<?> tool, String error, boolean interrupted) {
        Optional<HookEngine> engine = engine(call, HookEvent.POST_TOOL_USE_FAILURE);
        if (engine.isEmpty()) return Added.NOTHING;
        HookOutcome outcome;
        try {
            // not tied to the abort: a call the abort interrupted is what this event reports (is_interrupt)
            outcome = engine.get().fire(new HookInput(common(call), new HookInput.PostToolUseFailure(call.tool(), call.argsJson(), call.callId(), error,
                    interrupted ? HookInput.Interrupt.INTERRUPTED : HookInput.Interrupt.FAILED)));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "PostToolUseFailure hooks failed", e);
            return Added.NOTHING;
        }
        report(call, outcome);
        var text = new StringBuilder(outcome.joinedContext());
        switch (outcome.verdict()) {
            case HookOutcome.Verdict.Block b -> text.append(text.isEmpty() ? "" : "\n\n").append("PostToolUseFailure hook feedback: ").append(b.reason());
            case HookOutcome.Verdict.Stop s -> stops.request(call.sessionId(), s.reason());
            case HookOutcome.Verdict.None _, HookOutcome.Verdict.Allow _, HookOutcome.Verdict.Ask _, HookOutcome.Verdict.Defer _ -> { }
        }
        return Added.context(text.toString());
    }

    private record Looked(String callId, Found found) {}

    private Optional<HookEngine> engine(ToolCall call, HookEvent event) {
        if (call.origin() != Origin.MODEL) return Optional.empty();
        Path dir = call.ctx().folders().project();
        Found found;
        try {
            found = lookFor(call, event);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot read the hooks of " + dir, e);
            return Optional.empty();
        }
        if (found.hooks().stream().noneMatch(h -> h.event() == event)) return Optional.empty();
        return Optional.of(HookEngine.create(found.hooks(), new ClaudeToolNames(found.mcpServers()), dir, processEnv, call.ctx().guards().secrets(),
                http, found.rules()));
    }

    /**
     * The hooks of {@code call}'s session for {@code event}: looked up at {@code PreToolUse}, where the call is decided;
     * its post-call hooks reuse that look (a hook added while the call ran fires from the next call on, as one added
     * a moment later would). A call with no look of its own kept (another call of the session came between) looks again.
     */
    private Found lookFor(ToolCall call, HookEvent event) {
        String session = call.sessionId();
        String callId = call.ctx().call().id();
        if (event == HookEvent.PRE_TOOL_USE) {
            Found found = projects.look(session);
            // counted only when a session is new to the map: size() sums the map's counters
            if (looked.put(session, new Looked(callId, found)) == null && looked.size() > LOOKS_KEPT) looked.clear();
            return found;
        }
        Looked before = looked.get(session);
        if (before != null && java.util.Objects.equals(before.callId(), callId) && looked.remove(session, before)) return before.found();
        return projects.look(session);
    }

    private HookInput.Common common(ToolCall call) {
        Optional<Path> transcript;
        try {
            transcript = Optional.ofNullable(transcripts.sync(call.sessionId()));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot write the transcript of " + call.sessionId() + " for its hooks", e);
            transcript = Optional.empty();
        }
        return new HookInput.Common(call.sessionId(), transcript, call.ctx().folders().project(), "default");
    }

    /**
     * Failing, slow and talking hooks are never silent: the runs go to the turn and the audit log (the run log warns of
     * a failed or slow one), the other notices (a hook's {@code systemMessage}) to the server log.
     */
    private void report(ToolCall call, HookOutcome outcome) {
        Set<String> runs = outcome.runs().stream().map(HookRun::describe).collect(java.util.stream.Collectors.toSet());
        for (String notice : outcome.notices()) if (!runs.contains(notice)) LOG.log(System.Logger.Level.WARNING, notice);
        try {
            runLog.record(call.sessionId(), Optional.of(call.callId()), outcome.runs());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot record the hook runs of call " + call.callId(), e);
        }
    }
}
