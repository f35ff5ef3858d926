package dev.lathe.core.session;

import dev.lathe.core.agent.Agent;
import dev.lathe.core.agent.BuiltinAgents;
import dev.lathe.core.cluster.SessionLeases;
import dev.lathe.core.mcp.McpContent;
import dev.lathe.core.permission.Unwatched;
import dev.lathe.core.project.Project;
import dev.lathe.core.project.OneLook;
import dev.lathe.core.session.context.SessionProjects;
import dev.lathe.core.session.history.Reverts;
import dev.lathe.core.session.inbox.Arrival;
import dev.lathe.core.session.inbox.Inbox;
import dev.lathe.core.session.inbox.PromptIntake;
import dev.lathe.core.session.runner.Runners;
import dev.lathe.core.session.turn.TurnServices;
import dev.lathe.core.store.SessionStore;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.InputPart;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.PromptAccepted;
import dev.lathe.protocol.api.PermissionMode;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The inbox's door of prompts ({@link Inbox#deliver}, decision 521): a person's prompt and a schedule's firing. What
 * only a prompt needs happens here: a removed worktree made again, the MCP resources it mentions read, the running
 * turn stopped first when it interrupts, agent and model chosen, a revert committed, the message stored (marked when
 * it waits behind the running turn) and the session queued for its node.
 */
final class PromptArrivals implements Inbox.PromptDoor {
    /** How long an interrupting prompt waits for the turn it stops before it is refused (the abort goes on). */
    private static final Duration INTERRUPT_WAIT = Duration.ofSeconds(15);

    private final SessionStore store;
    private final SessionProjects projects;
    private final McpContent mcp;
    private final MissingWorktrees missing;
    private final SessionLocks locks;
    private final Reverts reverts;
    private final PromptIntake intake;
    private final TurnServices services;
    private final Runners runners;
    private final SessionLeases leases;
    private final Inbox inbox;

    PromptArrivals(SessionStore store, SessionProjects projects, McpContent mcp, MissingWorktrees missing, SessionLocks locks, Reverts reverts,
            PromptIntake intake, TurnServices services, Runners runners, SessionLeases leases, Inbox inbox) {
        this.store = store;
        this.projects = projects;
        this.mcp = mcp;
        this.missing = missing;
        this.locks = locks;
        this.reverts = reverts;
        this.intake = intake;
        this.services = services;
        this.runners = runners;
        this.leases = leases;
        this.inbox = inbox;
    }

    /**
     * Stores {@code arrival}'s prompt ({@code request}) and wakes the session's runner; the intake ({@link PromptIntake})
     * picks agent and model, builds the message and names a new session. The request's shape (parts present and
     * complete) was checked where it entered.
     */
    @Override
    public PromptAccepted accept(Arrival arrival, PromptRequest request) {
        // the prompt is judged by one look at the project's files, however many of its parts ask (decision 543)
        return OneLook.around(() -> acceptNow(arrival, request));
    }

    private PromptAccepted acceptNow(Arrival arrival, PromptRequest sent) {
        SessionId id = arrival.session();
        PromptRequest request = PromptIntake.inMode(sent);
        // a session whose worktree was removed gets one again now, or the prompt is refused in one line before it is
        // stored; on a team server the node that runs it looks (the folder may be on that node's machine only)
        if (!leases.mayRunElsewhere()) missing.ready(id);
        // before the lock: reading a mentioned resource may wait for its server to start
        List<McpContent.Attached> resources = resources(get(id), request);
        // an interrupt stops the running turn as an abort does, and is stored once it stopped: stored before, the
        // aborted run would mark it not run with the prompts queued into it
        boolean runs = runners.isRunning(id) || !(services.journal().elsewhere(id) instanceof SessionStatus.Idle);
        if (Inbox.entry(arrival, runs) == Inbox.Entry.INTERRUPT) interrupt(id);
        // the session cannot be deleted between finding it and storing the prompt (SessionLocks)
        return locks.reading(id, () -> {
            Session session = get(id);
            Project project = PromptIntake.permitted(projects.project(session), request);
            Agent agent = PromptIntake.agent(project, request.agent().orElse(session.agent()), PromptIntake.AgentScope.of(session.parentId()));
            var usable = PromptIntake.usable(project, PromptIntake.model(project, request.model(), agent, session.model()), session.model());
            String model = usable.model();
            String sessionModel = request.model().or(() -> usable.notice().map(_ -> usable.model())).orElse(session.model());
            if (!sessionModel.equals(session.model())) {
                session = session.withModel(sessionModel, System.currentTimeMillis());
                services.journal().session(session);
            }
            // a review (/review) is one message's agent: the session goes on as it was, so "now fix it" can edit
            if (!agent.name().equals(session.agent()) && !agent.name().equals(BuiltinAgents.REVIEW)) {
                // from this message on the session runs as that agent, and clients show it
                session = session.withAgent(agent.name(), System.currentTimeMillis());
                services.journal().session(session);
            }
            session = reverts.commit(session, project.snapshots());
            // a turn running now reads this prompt at its next step boundary: the answer says so, and behind what
            Optional<MessageId> running = services.journal().writing(id);
            // queued behind a running turn (here, or on another node of a team server), it waits marked for its own turn
            var entry = Inbox.entry(arrival, running.isPresent() || !(runners.status(id) instanceof SessionStatus.Idle));
            var waiting = entry == Inbox.Entry.QUEUE ? PromptIntake.Waiting.BEHIND_TURN : PromptIntake.Waiting.NO;
            var stored = intake.store(session, project, agent.name(), model, PromptIntake.parts(request, !services.journal().messages().hasMessages(id)), resources, PromptIntake.AgentScope.of(session.parentId()),
                    waiting, message -> {
                        if (request.allowAll()) services.broker().allowAll(message);
                        // auto-approval for this turn, where the user's settings name a classifier (DESIGN §31)
                        if (request.asksAuto()) services.broker().auto().ask(id, message);
                        // default (a person answers, even where defaultMode auto would start the classifier) and
                        // acceptEdits (the turn's edit asks answered as "always" to an edit would), read by TurnServices
                        request.mode().filter(m -> m != PermissionMode.AUTO).ifPresent(m -> services.broker().modes().mark(id, message, m));
                        // nobody will answer its asks (DESIGN §26): --deny-asks, or a run nobody watches
                        if (request.denyAsks() || request.unattended()) {
                            services.broker().unwatched(id, message, request.denyAsks() ? Unwatched.DENY_ASKS : Unwatched.UNATTENDED);
                        }
                    });
            // for the node that may run it: this one at once in one process; on a team server the prompt waits in the
            // database for the node holding the session's lease (DESIGN §20)
            inbox.wake(id);
            runners.queueChanged();
            return new PromptAccepted(stored.message(), running.isPresent(), running, usable.notice().or(() -> noClassifier(request, project)));
        });
    }

    private Session get(SessionId id) {
        return store.find(id).orElseThrow(() -> new LatheException.NotFound("no session " + id));
    }

    /**
     * Stops the running turn ({@code "delivery": "interrupt"}) and waits until it stopped; 409 when it does not stop in
     * time. On a team server a turn another node runs is stopped through the cluster (that node hears the request), and
     * the prompt is stored once that node says the session is idle.
     */
    private void interrupt(SessionId id) {
        if (runners.isRunning(id)) {
            runners.abort(id);
            if (runners.of(id).awaitStopped(INTERRUPT_WAIT)) return;
        } else {
            if (services.journal().elsewhere(id) instanceof SessionStatus.Idle) return;
            leases.stop(id);
            if (awaitIdleElsewhere(id)) return;
        }
        throw new LatheException.Conflict("session " + id + " did not stop within " + INTERRUPT_WAIT.toSeconds() + " s; the prompt was not stored, send it again");
    }

    /** Waits (at most {@link #INTERRUPT_WAIT}) until the node running the session says it is idle. */
    private boolean awaitIdleElsewhere(SessionId id) {
        long deadline = System.nanoTime() + INTERRUPT_WAIT.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                if (services.journal().elsewhere(id) instanceof SessionStatus.Idle) return true;
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /**
     * The MCP resources the prompt's text mentions ({@code @NAME:uri}), read now; a mention that cannot be attached
     * refuses the prompt with what is wrong (as a missing {@code @file} refuses a command), before anything is stored.
     */
    private List<McpContent.Attached> resources(Session session, PromptRequest request) {
        Project project = projects.project(session);
        var out = new ArrayList<McpContent.Attached>();
        for (var part : request.parts()) {
            if (part instanceof InputPart.Text t) out.addAll(mcp.attach(project.directory(), project.config().mcp(), t.text()));
        }
        return out;
    }

    /**
     * Auto-approval asked for (--auto, the web's toggle) where the user's config names no classifier: the prompt runs,
     * its asks go to a person or {@code permission.unattended}, and the answer says so once, naming the key (DESIGN §31).
     */
    static Optional<String> noClassifier(PromptRequest request, Project project) {
        return request.asksAuto() ? project.autoOff() : Optional.empty();
    }
}
