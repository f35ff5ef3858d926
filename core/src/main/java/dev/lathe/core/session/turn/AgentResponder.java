package dev.lathe.core.session.turn;

import dev.lathe.core.session.context.LiveProject;
import dev.lathe.core.acpagent.AgentConnection;
import dev.lathe.core.acpagent.AgentEngines;
import dev.lathe.core.acpagent.AgentFailure;
import dev.lathe.core.acpagent.AgentPermissions;
import dev.lathe.core.acpagent.AgentPrompt;
import dev.lathe.core.acpagent.AgentToolCall;
import dev.lathe.core.acpagent.AgentToolStates;
import dev.lathe.core.acpagent.AgentUpdate;
import dev.lathe.core.acpagent.PermissionAsk;
import dev.lathe.core.agent.Agent;
import dev.lathe.core.ask.PermissionGate;
import dev.lathe.core.context.ContextBuilder;
import dev.lathe.core.hooks.SessionHooks;
import dev.lathe.core.model.ResolvedModel;
import dev.lathe.core.project.Project;
import dev.lathe.core.project.OneLook;
import dev.lathe.core.session.context.ConversationText;
import dev.lathe.core.session.context.Secrets;
import dev.lathe.core.session.journal.Journal;
import dev.lathe.core.session.journal.LiveText;
import dev.lathe.core.session.journal.SessionTodos;
import dev.lathe.core.toolcall.PreCallHook;
import dev.lathe.llm.Cancellation;
import dev.lathe.llm.StopReason;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.MessageError;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.ToolRejection;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.UserMessage;
import dev.lathe.tools.CallAsking;
import dev.lathe.tools.PermissionCheck;
import dev.lathe.tools.PermissionRejected;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The answer in a {@link Turn} given by an ACP agent ({@link Responder}; a model {@code acp/NAME}, DESIGN §14): the
 * user's prompt goes to the agent's session ({@code session/prompt}), and what it streams is stored as the parts of one assistant message, as a model's turn's
 * would be — its text and reasoning, its tool calls with their results and diffs, one step start and finish with the
 * usage it reported. The agent runs its own tools; its permission requests are decided by Lathe's rules through the
 * same {@link PermissionGate} as Lathe's tools (a deny rule refuses without asking, what is left to ask is asked of the
 * user) and the answer is sent back as an {@code allow_once} or a reject option, never {@code allow_always} (see
 * {@link PermissionAsk}). The agent's plan is the session's todo list. An abort cancels the agent's prompt; a plain "no"
 * to an ask (or a deny rule) ends the turn as it does for Lathe's tools. The project's tree is snapshotted before and
 * after, so undo covers the agent's edits.
 *
 * <p>An agent runs only in a trusted folder: Claude Code's adapter loads the project's own {@code .claude} settings
 * (hooks, allow rules, its default mode) and MCP servers, executables the folder chose (DESIGN §10). When the agent
 * leaves the mode its configuration names, Lathe selects that mode again.
 */
final class AgentResponder implements Responder {
    /** How long an aborted prompt is given to end by itself before the turn stops waiting for it. Not final: tests shorten it. */
    static volatile Duration cancelGrace = Duration.ofSeconds(10);
    /**
     * How long a prompt may go without a word from the agent (an update or an ask; time spent waiting for the user's
     * answer does not count) before the turn gives up on it. Not final: tests shorten it.
     */
    static volatile Duration idleTimeout = Duration.ofMinutes(10);
    private static final System.Logger LOG = System.getLogger(AgentResponder.class.getName());
    private static final long FLUSH_MILLIS = 250;
    /** Marks a tool part as an agent's ({@code providerMetadata}): another model reads it as text, not as its own call. */
    static final String AGENT_TOOL = ContextBuilder.AGENT_TOOL;

    private final TurnServices services;
    private final LiveProject projects;
    private final Project project;
    private final Session session;
    private final Journal journal;
    private final ResolvedModel model;
    private final Cancellation cancellation;
    private final PermissionGate.Approvals approvals;
    /** What the gates of this turn's permission asks share. */
    private final PermissionGate.ForTurn gates;
    private final String agentName;
    private final Path root;
    private AssistantMessage message;
    private Agent agent;
    private boolean allowAll;
    /** The message lifecycle, snapshots, budget and hooks this turn shares with a model's ({@link TurnFrame}). */
    private TurnFrame frame;
    private StepSnapshots snapshots;
    private final Map<String, Call> calls = new LinkedHashMap<>();
    private Segment segment;
    private boolean rejected;
    /** The failover that handed the turn to this agent: the agent does not fail over again. */
    private Optional<Part.ModelSwitch> failedOver = Optional.empty();
    /** Whether a failing turn handed this prompt over (it was admitted there, its hooks ran). */
    private boolean handedOver;
    /** The model to answer instead, when the agent failed and a fallback is configured. */
    private Optional<ResolvedModel> fallback = Optional.empty();
    /** Calls Lathe refused: their parts keep the refusal. */
    private final java.util.Set<String> refused = new java.util.HashSet<>();
    /** The agent's calls through the tool hooks, as Lathe's own calls go through them. */
    private AgentCallHooks callHooks;
    /** A hook's {@code continue: false} (a tool hook's, a permission hook's): the prompt is cancelled and the turn ends. */
    private Optional<String> hookStop = Optional.empty();
    /** The spend limits checked before the prompt goes to the agent, as before each step of a model's turn. */
    private TurnBudget budget;

    /** A tool call of the agent as stored so far. */
    private record Call(Part.Tool part, AgentToolCall seen, long startedAt) {}

    /** The text or reasoning part being streamed. */
    private final class Segment {
        final PartId id = PartId.next();
        final boolean reasoning;
        /** Shared with the journal while it streams: a client's snapshot reads it from another thread. */
        final LiveText text = new LiveText();
        long flushedAt = System.currentTimeMillis();

        Segment(boolean reasoning, String first) {
            this.reasoning = reasoning;
            text.append(first);
            journal.of(session).part(part());
        }

        void add(String more) {
            journal.of(session).delta(message.id(), id, text, more);
            if (System.currentTimeMillis() - flushedAt >= FLUSH_MILLIS) {
                journal.partUnannounced(part());
                flushedAt = System.currentTimeMillis();
            }
        }

        void close() { journal.of(session).part(part()); }

        Part part() {
            return reasoning ? new Part.Reasoning(id, session.id(), message.id(), text.toString(), Map.of())
                    : new Part.Text(id, session.id(), message.id(), text.toString(), false);
        }
    }

    AgentResponder(TurnServices services, LiveProject projects, Session session, ResolvedModel model, Cancellation cancellation,
            PermissionGate.Approvals approvals) {
        this.services = services;
        this.projects = projects;
        this.project = projects.now();
        this.session = session;
        this.journal = services.journal();
        this.model = model;
        this.cancellation = cancellation;
        this.approvals = approvals;
        this.gates = services.gates(session, project, this::liveProject, approvals, cancellation);
        this.agentName = model.model().id();
        this.root = Path.of(session.directory());
    }

    /**
     * This turn takes over from a model that failed ({@code switched}: from what, and why; empty when the failing turn
     * recorded no switch). The prompt was admitted by that turn: its hooks do not run again.
     */
    AgentResponder failedOver(Optional<Part.ModelSwitch> switched) {
        this.failedOver = switched;
        this.handedOver = true;
        return this;
    }

    /**
     * Answers {@code prompt} in the agent. When the agent failed (it could not start, died, answered with an error) and
     * the configuration names a fallback, the answer hands the prompt to that model (DESIGN §7 failover).
     */
    @Override
    public Answer answer(TurnFrame frame, UserMessage prompt, Admission admission) {
        // an ACP agent's calls are ruled on this thread: the turn start's one look ends here (decision 543)
        OneLook.end();
        this.frame = frame;
        snapshots = frame.snapshots();
        agent = project.agent(prompt.agent());
        allowAll = services.broker().allowsAll(prompt.id());
        answered = List.of(prompt.id());
        callHooks = new AgentCallHooks(services.hooks(), this::hookScope, session.id().value());
        budget = frame.budget();
        if (!liveProject().trust().trusted()) {
            // the agent would load what the folder defines (its .claude settings, hooks, MCP servers): not before it is trusted
            journal.of(session).publish(new Event.SessionErrored(session.id(), TurnError.MODEL.because(
                    "the ACP agent '" + agentName + "' does not run in a folder you have not trusted: it would load what the folder"
                            + " defines for it (.claude settings, hooks, MCP servers). Run `lathe trust` in " + project.directory()
                            + " to let it, or choose another model")));
            return new Answer.Ended(Turn.Ending.FAILED);
        }
        // the prompt goes through SessionStart and UserPromptSubmit hooks as a model's turn's does; their context goes with it
        // (a prompt handed over by a failing turn was admitted there: its hooks do not run twice)
        var hooks = frame.hooks();
        if (admission == Admission.BY_HOOKS && !frame.admit(hookScope(), prompt)) return new Answer.Ended(Turn.Ending.FINISHED);
        UserMessage answering = prompt;
        boolean stopHookActive = false;
        while (true) {
            Turn.Ending ending = answer(answering, hooks, stopHookActive);
            if (goesOn.isEmpty()) {
                UserMessage asked = prompt;
                return fallback.<Answer>map(model -> new Answer.ToModel(model, asked)).orElseGet(() -> new Answer.Ended(ending));
            }
            answering = goesOn.get();
            goesOn = Optional.empty();
            stopHookActive = true;
        }
    }

    @Override public Project project() { return project; }

    /** The prompt the agent answered (not the Stop hooks' feedback): its {@code allowAll} is forgotten when the turn ends. */
    @Override public List<MessageId> prompts() { return answered; }

    private List<MessageId> answered = List.of();

    /** Set when a Stop hook blocked the agent's stop: the prompt holding the hook's feedback, which the agent answers next. */
    private Optional<UserMessage> goesOn = Optional.empty();

    /**
     * One prompt to the agent, as one assistant message: the spend limits are checked before it goes out (a limit the
     * user will not raise ends the turn before the agent is asked, so nothing more is charged), the Stop hook runs when
     * the agent ends its turn ({@code stopHookActive}: it already goes on because such a hook blocked its stop).
     */
    private Turn.Ending answer(UserMessage prompt, TurnHooks hooks, boolean stopHookActive) {
        message = frame.open(prompt.id(), agent.name(), model.ref());
        recordModelSwitch();
        // the tree before the agent may change it: taken before the prompt goes out, since the agent edits by itself
        snapshots.beforeStep().join();
        journal.of(session).partBehind(new Part.StepStart(PartId.next(), session.id(), message.id(), Optional.empty(), Map.of()));
        // a spend limit reached pauses here, before the agent is asked, until the user raises it or stops
        Optional<MessageError> overBudget = frame.overBudget(this::liveProject, message.id(), cancellation, hookScope());
        if (cancellation.isCancelled()) return finish(Optional.empty(), Usage.ZERO, Optional.of(MessageError.aborted()), StopReason.ERROR, Turn.Ending.ABORTED);
        if (overBudget.isPresent()) return finish(Optional.empty(), Usage.ZERO, overBudget, StopReason.ERROR, Turn.Ending.LIMIT_REACHED);
        AgentPrompt.Result result;
        try {
            result = prompt(prompt);
        } catch (AgentFailure e) {
            closeSegment();
            if (cancellation.isCancelled()) return finish(Optional.empty(), Usage.ZERO, Optional.of(MessageError.aborted()), StopReason.ERROR, Turn.Ending.ABORTED);
            if (!handedOver) fallback = new Fallbacks(project, model).next();
            // a failure another model recovers from is not the session's error
            return finish(Optional.empty(), Usage.ZERO, Optional.of(TurnError.PROVIDER.because(e.getMessage())), StopReason.ERROR,
                    Turn.Ending.PROVIDER_ERROR, fallback.isEmpty());
        }
        closeSegment();
        Usage usage = new Usage(result.input(), result.output(), 0, result.cacheRead(), result.cacheWrite());
        if (rejected) {
            return finish(Optional.of(result), usage, Optional.of(TurnError.PERMISSION_REJECTED.because("a permission was rejected")), StopReason.ERROR,
                    Turn.Ending.REJECTED);
        }
        if (hookStop.isPresent()) {
            return finish(Optional.of(result), usage, Optional.of(TurnHooks.stopped("tool", hookStop.get())), StopReason.ERROR, Turn.Ending.STOPPED);
        }
        if (cancellation.isCancelled() || result.stopReason().equals("cancelled")) {
            return finish(Optional.of(result), usage, Optional.of(MessageError.aborted()), StopReason.ERROR, Turn.Ending.ABORTED);
        }
        StopReason finish = switch (result.stopReason()) {
            case "max_tokens" -> StopReason.LENGTH;
            case "refusal" -> StopReason.CONTENT_FILTER;
            default -> StopReason.STOP;
        };
        // the agent ends its turn: Stop hooks (SubagentStop in a subagent's session) say whether it may, as after a model's answer
        String event = frame.stopEvent();
        switch (hooks.stopping(hookScope(), stopHookActive)) {
            case TurnHooks.AtStop.Stops _ -> { }
            case TurnHooks.AtStop.Halted h -> {
                return finish(Optional.of(result), usage, Optional.of(TurnHooks.stopped(event, h.reason())), StopReason.ERROR, Turn.Ending.STOPPED);
            }
            case TurnHooks.AtStop.GoesOn g -> {
                // once: stop_hook_active tells the hook the agent already went on, and a second block is not obeyed
                if (!stopHookActive) goesOn = Optional.of(frame.stopFeedback(g.reason(), agent.name(), model.ref()));
            }
        }
        return finish(Optional.of(result), usage, Optional.empty(), finish, Turn.Ending.FINISHED);
    }

    /** Where this turn's hook events happen: the project as configured now, this turn's keys and mode. */
    private SessionHooks.Scope hookScope() {
        return TurnHooks.scope(session, liveProject(), Secrets.of(project, Optional.empty()), allowAll);
    }

    /** Sends the prompt (with the conversation the agent did not see) and stores what comes back until it ends. */
    private AgentPrompt.Result prompt(UserMessage prompt) {
        var command = model.agent().orElseThrow();
        AgentEngines engines = services.agents();
        AgentConnection connection = engines.connection(project.directory(), agentName, command, Secrets.of(project, Optional.empty()),
                cancellation::isCancelled);
        List<MessageWithParts> history = journal.history(session.id());
        Optional<AgentEngines.Binding> bound = engines.binding(session.id().value(), connection);
        String agentSession = bound.map(AgentEngines.Binding::agentSession).orElseGet(() -> {
            String opened = connection.newSession(root, Duration.ofSeconds(60), cancellation::isCancelled);
            command.mode().ifPresent(mode -> connection.setMode(opened, mode, Duration.ofSeconds(30), cancellation::isCancelled));
            return opened;
        });
        List<String> blocks = new ArrayList<>();
        ConversationText.between(history, bound.flatMap(AgentEngines.Binding::answered), prompt.id()).ifPresent(blocks::add);
        blocks.addAll(hookContext(history, prompt.id()));
        blocks.add(promptText(history, prompt.id()));
        engines.bind(session.id().value(), new AgentEngines.Binding(connection, agentSession, Optional.of(message.id())));
        AgentPrompt running = connection.prompt(agentSession, blocks);
        try {
            return follow(running, connection, agentSession);
        } finally {
            // whatever ended the turn, the agent is not left waiting for an answer
            running.cancelAsks();
        }
    }

    /**
     * Stores what the prompt streams until it ends; an abort or a refusal cancels it. An agent silent for
     * {@link #idleTimeout} ends the turn with an error.
     */
    private AgentPrompt.Result follow(AgentPrompt running, AgentConnection connection, String agentSession) {
        long cancelledAt = 0;
        long heardAt = System.currentTimeMillis();
        while (!running.finished()) {
            Optional<AgentPrompt.Incoming> next;
            try {
                next = running.next(Duration.ofMillis(100));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                connection.cancel(agentSession);
                throw new AgentFailure("interrupted");
            }
            if (next.isPresent()) {
                handle(next.get(), connection, agentSession);
                heardAt = System.currentTimeMillis();
            }
            if (hookStop.isEmpty()) hookStop = services.hooks().stops().take(session.id().value());
            if ((cancellation.isCancelled() || rejected || hookStop.isPresent()) && cancelledAt == 0) {
                connection.cancel(agentSession);
                cancelledAt = System.currentTimeMillis();
            }
            if (cancelledAt > 0 && System.currentTimeMillis() - cancelledAt > cancelGrace.toMillis()) {
                LOG.log(System.Logger.Level.WARNING, "ACP agent {0} did not end a cancelled prompt within {1} s", agentName, cancelGrace.toSeconds());
                letGo(connection, agentSession);
                return new AgentPrompt.Result("cancelled", 0, 0, 0, 0);
            }
            if (cancelledAt == 0 && System.currentTimeMillis() - heardAt > idleTimeout.toMillis()) {
                connection.cancel(agentSession);
                letGo(connection, agentSession);
                throw new AgentFailure("the ACP agent '" + agentName + "' sent nothing for " + idleTimeout.toSeconds()
                        + " s while answering the prompt: Lathe stopped waiting for it");
            }
        }
        return running.result();
    }

    /**
     * Gives up on a prompt the agent does not end: the agent session is forgotten (the next turn opens another); the
     * process is stopped only when no other session's prompt runs on it, since it is shared by the project's sessions.
     */
    private void letGo(AgentConnection connection, String agentSession) {
        services.agents().forget(session.id().value());
        if (connection.othersPrompting(agentSession)) {
            LOG.log(System.Logger.Level.WARNING, "ACP agent {0}: abandoning its session {1}, other sessions' prompts go on", agentName, agentSession);
            connection.abandon(agentSession);
        } else {
            LOG.log(System.Logger.Level.WARNING, "ACP agent {0}: stopping it, the next turn starts it again", agentName);
            connection.close();
        }
    }

    /** What hooks added to {@code prompt} ({@link TurnHooks}: "... hook additional context"), each a block before it. */
    private static List<String> hookContext(List<MessageWithParts> history, MessageId prompt) {
        List<String> out = new ArrayList<>();
        for (MessageWithParts m : history) {
            if (!m.info().id().equals(prompt)) continue;
            for (Part p : m.parts()) {
                if (p instanceof Part.Text t && t.synthetic() && t.text().matches("(?s)\\w+ hook additional context:\n.*")) out.add(t.text());
            }
        }
        return out;
    }

    /** The text the user typed in {@code prompt} (Lathe's own notes left out). */
    private static String promptText(List<MessageWithParts> history, MessageId prompt) {
        var out = new StringBuilder();
        for (MessageWithParts m : history) {
            if (!m.info().id().equals(prompt)) continue;
            for (Part p : m.parts()) {
                switch (p) {
                    case Part.Text t when !t.synthetic() || t.text().matches("(?s)\\w+ hook feedback:\n.*") -> out.append(out.isEmpty() ? "" : "\n").append(t.text());
                    case Part.File f -> out.append(out.isEmpty() ? "" : "\n").append("[attached: ").append(f.name()).append(" ").append(f.url()).append(']');
                    case Part.Text _, Part.Reasoning _, Part.Tool _, Part.StepStart _, Part.StepFinish _, Part.Patch _,
                            Part.Compaction _, Part.Subtask _, Part.Retry _, Part.ModelSwitch _, Part.Hook _ -> { }
                }
            }
        }
        return out.toString();
    }

    private void handle(AgentPrompt.Incoming item, AgentConnection connection, String agentSession) {
        switch (item) {
            case AgentPrompt.Incoming.Update u -> update(u.update(), connection, agentSession);
            case AgentPrompt.Incoming.Ask a -> {
                PermissionAsk.Answer answer = decide(a.ask());
                a.ask().answer(answer);
            }
        }
    }

    private void update(AgentUpdate update, AgentConnection connection, String agentSession) {
        switch (update) {
            case AgentUpdate.Said s -> text(false, s.text());
            case AgentUpdate.Thought t -> text(true, t.text());
            case AgentUpdate.Call c -> {
                closeSegment();
                call(c.call());
            }
            case AgentUpdate.Plan p -> new SessionTodos(session, services.todos(), journal).replace(p.todos());
            case AgentUpdate.ModeChanged m -> keepMode(m.mode(), connection, agentSession);
            case AgentUpdate.Other _ -> { }
        }
    }

    /**
     * The agent switched its session's mode (an answer, its own tool, a command): when the configuration names a mode,
     * the agent is put back in it, since another (Claude Code's {@code acceptEdits}, {@code bypassPermissions}) would stop
     * it asking Lathe.
     */
    private void keepMode(String now, AgentConnection connection, String agentSession) {
        Optional<String> configured = model.agent().orElseThrow().mode();
        if (configured.isEmpty() || configured.get().equals(now)) return;
        LOG.log(System.Logger.Level.WARNING, "ACP agent {0} switched its session {1} to mode {2}: selecting {3} again", agentName, agentSession, now,
                configured.get());
        connection.setMode(agentSession, configured.get(), Duration.ofSeconds(30), cancellation::isCancelled);
    }

    private void text(boolean reasoning, String chunk) {
        if (chunk.isEmpty()) return;
        if (segment != null && segment.reasoning == reasoning) {
            segment.add(chunk);
            return;
        }
        closeSegment();
        segment = new Segment(reasoning, chunk);
    }

    private void closeSegment() {
        if (segment != null) segment.close();
        segment = null;
    }

    /** A call started or changed: its part written as it stands now. */
    private Call call(AgentToolCall update) {
        long now = System.currentTimeMillis();
        Call known = calls.get(update.id());
        AgentToolCall seen = known == null ? update : known.seen().merge(update);
        long startedAt = known == null ? now : known.startedAt();
        if (refused.contains(update.id())) {
            // Lathe refused it: its part says so (and why), whatever the agent reports of it afterwards
            var kept = new Call(known.part(), seen, startedAt);
            calls.put(update.id(), kept);
            return kept;
        }
        ToolState state = AgentToolStates.state(seen, root, startedAt, now);
        Part.Tool part = known == null
                ? new Part.Tool(PartId.next(), session.id(), message.id(), update.id(), AgentToolStates.toolName(seen), state, Map.of(AGENT_TOOL, agentName))
                : new Part.Tool(known.part().id(), session.id(), message.id(), update.id(), AgentToolStates.toolName(seen), state, Map.of(AGENT_TOOL, agentName));
        var call = new Call(part, seen, startedAt);
        calls.put(update.id(), call);
        journal.of(session).part(part);
        switch (state) {
            case ToolState.Completed c -> callHooks.reported(seen, c.output());
            case ToolState.Failed f -> callHooks.reported(seen, f.error());
            case ToolState.Pending _, ToolState.Running _ -> { }
        }
        return call;
    }

    /**
     * Decides the agent's ask under Lathe's rules: the {@code external_directory} checks of files outside the project,
     * then the call's own (asked even where an allow rule matches when the call names nothing the rules can judge). An
     * "always" answer is kept by Lathe, as for its own tools (so Lathe allows the next such call by itself); the agent
     * is answered "once" all the same.
     */
    private PermissionAsk.Answer decide(PermissionAsk ask) {
        if (cancellation.isCancelled()) return PermissionAsk.Answer.CANCELLED;
        closeSegment();
        Call call = calls.containsKey(ask.call().id()) ? calls.get(ask.call().id()) : call(ask.call());
        AgentToolCall seen = call.seen().merge(ask.call());
        // PreToolUse first, as for Lathe's own calls: a block refuses the call (the agent reads the reason, the turn goes on)
        CallAsking.Hook hookSaid;
        switch (callHooks.before(seen)) {
            case PreCallHook.Decision.Block b -> {
                refuse(call, seen, b.reason(), Optional.empty());
                return PermissionAsk.Answer.REJECT_ONCE;
            }
            case PreCallHook.Decision.Proceed p -> hookSaid = p.permission();
        }
        var gate = gates.gate(message.id(), seen.id(), () -> Subtasks.rules(liveProject(), session, agent, journal),
                allowAll ? PermissionGate.Asks.ALLOWED_IN_ADVANCE : PermissionGate.Asks.CLIENT_ANSWERS,
                new CallHooks(services.hooks(), hookScope(), session.id().value(), seen.id()));
        try {
            AgentPermissions.Checks checks = AgentPermissions.check(seen, root);
            String tool = AgentToolStates.toolName(seen);
            String args = seen.input().map(i -> i.json().json()).orElse("{}");
            // every check carries the call and the hook's answer (PermissionRequest and PermissionDenied hooks see them);
            // a call that names nothing the rules can judge is asked whatever an allow rule or an allowing hook says
            var caller = new CallAsking(tool, args, checks.named() ? hookSaid : CallAsking.Hook.ASK);
            for (PermissionCheck external : checks.external()) gate.require(external.askedBy(caller));
            gate.require(checks.own().askedBy(caller));
            return PermissionAsk.Answer.ALLOW_ONCE;
        } catch (PermissionRejected e) {
            if (cancellation.isCancelled()) return PermissionAsk.Answer.CANCELLED;
            // a plain "no" (or a denial under onDeny: stop) ends the turn, as for Lathe's own tools; a denial or a "no" with a message lets the agent go on
            if (e.then() == PermissionRejected.Then.STOP_TURN) rejected = true;
            refuse(call, seen, e.getMessage(), e.rejection());
            return PermissionAsk.Answer.REJECT_ONCE;
        }
    }

    /** Lathe refused the call: its part keeps the refusal and why, whatever the agent reports of it afterwards. */
    private void refuse(Call call, AgentToolCall seen, String why, Optional<ToolRejection> rejection) {
        long now = System.currentTimeMillis();
        var failed = call.part().withState(new ToolState.Failed(call.part().input(), why, call.startedAt(), now,
                AgentToolStates.state(seen, root, call.startedAt(), now).display(), rejection));
        calls.put(seen.id(), new Call(failed, seen, call.startedAt()));
        refused.add(seen.id());
        callHooks.refused(seen.id());
        journal.of(session).part(failed);
    }

    /** A model other than the one that answered last answers now: the switch is recorded, as a model's turn records it. */
    private void recordModelSwitch() {
        if (failedOver.isPresent()) {
            var s = failedOver.get();
            journal.of(session).part(new Part.ModelSwitch(PartId.next(), session.id(), message.id(), s.from(), model.ref(), s.reason()));
            // recorded once: a message the agent answers after a Stop hook's feedback follows its own
            failedOver = Optional.empty();
            return;
        }
        frame.recordModelSwitch(message, agent, model.ref());
    }

    /**
     * Ends the message: calls the agent left unfinished fail, the step's finish records the usage and the tree after
     * it (for undo), the message completes or fails.
     */
    private Turn.Ending finish(Optional<AgentPrompt.Result> result, Usage usage, Optional<MessageError> error, StopReason reason, Turn.Ending ending) {
        return finish(result, usage, error, reason, ending, true);
    }

    private Turn.Ending finish(Optional<AgentPrompt.Result> result, Usage usage, Optional<MessageError> error, StopReason reason, Turn.Ending ending,
            boolean announce) {
        long now = System.currentTimeMillis();
        for (Call c : calls.values()) {
            if (c.part().state() instanceof ToolState.Pending || c.part().state() instanceof ToolState.Running) {
                String why = ending == Turn.Ending.ABORTED ? "aborted" : "the agent did not report how this call ended";
                journal.of(session).part(c.part().withState(new ToolState.Failed(c.part().input(), why, c.startedAt(), now,
                        c.part().state().display())));
            }
        }
        frame.stepFinished(message.id(), reason, usage, 0, true, Optional.empty(), List.of());
        return frame.close(message, usage, 0, error, reason, ending, announce);
    }

    @Override
    public Project liveProject() {
        return frame.liveProject(project);
    }
}
