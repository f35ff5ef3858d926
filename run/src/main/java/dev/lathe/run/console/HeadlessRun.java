package dev.lathe.run.console;

import dev.lathe.term.VisibleControls;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CommandRequest;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.Delivery;
import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.api.InputPart;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.ModelInfo;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.api.QuestionReplyRequest;
import dev.lathe.protocol.api.RevertResult;
import dev.lathe.protocol.api.TrustInfo;
import dev.lathe.protocol.event.BudgetAsks;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.event.PermissionRequest;
import dev.lathe.protocol.event.QuestionRequest;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.MessageError;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.SessionWorktree;
import dev.lathe.protocol.session.ToolRejection;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.session.UserMessage;
import dev.lathe.protocol.wire.RecordWriter;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One headless prompt: pick or create the session, subscribe to its events, send the prompt (or run the command it
 * names: {@code /undo}, {@code /redo} and {@code /compact} print their outcome, the others run like a prompt), print as events arrive,
 * answer permission asks (allow once with {@code --allow-all}, which a prompt leaves to the server so no ask waits for a
 * round trip; with {@code --deny-asks} or in a goal loop the server denies them as unattended work, DESIGN §26; otherwise
 * reject and say so), name each denied call on stderr, decline questions (the
 * model is told nobody can answer and proceeds on its own judgement), and return the exit code
 * once the session is idle again. The session's subagents (child sessions the {@code task} tool starts) are part of
 * the run: their asks are answered the same way and {@code --format json} prints their events too (each names its
 * session); text output shows the session's own, and the run ends when the session itself is idle.
 */
public final class HeadlessRun implements ConsoleRun {
    private final LatheApi api;
    private final RunOptions options;
    private final PrintStream out;
    private final PrintStream err;
    private final EventPrinter printer;
    private final AtomicBoolean rejected = new AtomicBoolean();
    /** A spend limit's ask was answered "stop" (nobody is here to raise it): the run exits {@link ExitCode#LIMIT_REACHED}. */
    private final AtomicBoolean limitReached = new AtomicBoolean();
    private final AtomicBoolean busySeen = new AtomicBoolean();
    /** Whether the run said that its prompt waits in a team server's queue (said once: the wait may be long). */
    private final AtomicBoolean queuedSaid = new AtomicBoolean();
    private final AtomicBoolean promptStored = new AtomicBoolean();
    /**
     * {@code --allow-all}, {@code --deny-asks} or a goal loop's turn with a prompt: the server answers the turn's asks
     * itself (allowed, or denied as {@code permission.unattended} says, or left for a person), so this client leaves
     * new ones be.
     */
    private volatile boolean serverAnswers;
    /** The tool calls whose denial this run named on stderr, each once. */
    private final java.util.Set<String> deniedNamed = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final CountDownLatch idle = new CountDownLatch(1);
    private volatile Optional<MessageError> sessionError = Optional.empty();
    /** The session and the subagent sessions below it. */
    private final java.util.Set<SessionId> family = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile Optional<SessionId> main = Optional.empty();
    /** The session this run created or continued, once it exists (its worktree is ended after the run, DESIGN §19). */
    private volatile Optional<Session> started = Optional.empty();
    /** The prompt this run sent, whose answer text mode completes from the store at the end. */
    private Optional<MessageId> prompted = Optional.empty();
    /** Set by Ctrl-C ({@link #interrupt}): the turn was aborted by the user. */
    private final AtomicBoolean interrupted = new AtomicBoolean();
    private final long startNanos = System.nanoTime();
    /** Which of the session's events are this run's turn, not the one its prompt interrupted or waited behind. */
    private final OwnTurn turn;
    /** Whether the run said that its prompt stopped the running turn (said once). */
    private final AtomicBoolean interruptSaid = new AtomicBoolean();
    /** The turn's running totals from the session's own events: the run keeps no transcript (issue 55). */
    private final TurnTally tally = new TurnTally();
    /** Set when events were lost (a resync): the end of the run then reads the turn from the store. */
    private final AtomicBoolean eventsLost = new AtomicBoolean();
    /**
     * Polls (200 ms apart) that must find the session idle after the prompt was accepted to end the run without its idle
     * event: accepting a prompt marks the runner busy before it answers, so idle means the turn is over; two in a row step
     * over the instant between a command the session ran and the turn it then starts for the prompt that waited.
     */
    private static final int IDLE_POLLS = 2;
    /** How long the end of a run found by polling waits for the events a live stream is still delivering. */
    private static final java.time.Duration STREAM_CATCH_UP = java.time.Duration.ofSeconds(1);
    /** The longest a stream that keeps delivering is caught up with before the store is read instead. */
    private static final java.time.Duration CATCH_UP_LIMIT = java.time.Duration.ofMinutes(2);
    /** When the last event of the run's sessions arrived ({@link System#nanoTime}): a stream still delivering is alive. */
    private volatile long lastEventNanos = System.nanoTime();
    /** A prompt the store no longer holds and whose refusal the events did not bring. */
    private static final MessageError TAKEN_BACK = new MessageError("prompt_refused", "the prompt was taken back before the model answered it");

    public HeadlessRun(LatheApi api, RunOptions options, PrintStream out, PrintStream err) {
        this.api = api;
        this.options = options;
        this.out = out;
        this.err = err;
        this.printer = new EventPrinter(out, err);
        this.turn = new OwnTurn(options.delivery().filter(d -> d == Delivery.steer).isPresent());
    }

    /** Runs the prompt to its end and returns the exit code of {@code lathe run} ({@link ExitCode}). */
    @Override
    public int run() throws InterruptedException {
        // before the session: a model the folder's own config points elsewhere fails there, and this says why
        warnUntrusted(options.directory());
        String message = options.message().strip();
        boolean revert = message.equals("/undo") || message.equals("/redo") || message.equals("/compact");
        Optional<CommandRequest> command = Optional.empty();
        if (!revert) {
            // before the session, so a mistyped command leaves no empty session behind
            try {
                command = SlashCommand.request(api, options.directory(), message, options.piped());
            } catch (LatheException e) {
                err.println("lathe: " + e.getMessage());
                return ExitCode.USAGE;
            }
            if (command.isEmpty() && SlashCommand.nameOf(message).isPresent()) {
                err.println("lathe: unknown command " + message.split("\\s+", 2)[0] + ": lathe run sends a message that starts with /NAME"
                        + " to the folder's command NAME (lathe lists them in /help); to send such text to the model, put a word before it");
                return ExitCode.USAGE;
            }
        }
        Session session;
        try {
            session = session();
        } catch (LatheException e) {
            err.println("lathe: " + e.getMessage());
            return ExitCode.USAGE;
        } catch (IllegalArgumentException e) {
            // --session with something that is no session id at all: bad usage, said as such (not a provider error)
            err.println("lathe: --session " + options.session().orElse("") + ": not a session id (they start with ses_; lathe sessions lists them)");
            return ExitCode.USAGE;
        }
        started = Optional.of(session);
        SessionId id = session.id();
        // a new session without --model got the configured model or the server's default (the first provider with a key): say which
        if (options.format() == OutputFormat.text && options.model().isEmpty() && options.session().isEmpty() && !options.continueLatest()) {
            err.println("lathe: model " + session.model());
        }
        // a --model the provider's known list lacks is sent as given, with a "did you mean" (issue 42)
        options.model().flatMap(ref -> ModelCheck.warning(ref, provider -> knownModels(session.directory(), provider)))
                .ifPresent(w -> err.println("lathe: warning: " + w));
        if (message.equals("/undo") || message.equals("/redo")) return sessionCommand(id, message);
        if (message.equals("/compact")) return compact(id);
        main = Optional.of(id);
        family.add(id);
        try (AutoCloseable _ = api.subscribe(followed(session), 0, this::onEvent)) {
            // a session this run created has no subagents yet (reading them costs a query and a decode before the first request)
            if (options.session().isPresent() || options.continueLatest()) api.children(id).forEach(c -> family.add(c.id()));
            try {
                if (command.isPresent()) {
                    // asks its shell commands raise are answered by onEvent meanwhile, as a turn's are
                    if (api.command(id, command.get()).messageId().isEmpty()) {
                        out.println("Ran /" + command.get().name() + ".");
                        out.flush();
                        return ExitCode.FINISHED;
                    }
                } else {
                    serverAnswers = options.allowAll() || options.unattended() != RunOptions.Unattended.NO;
                    var request = new PromptRequest(List.of(new InputPart.Text(options.prompt())), options.agent(),
                            options.model(), options.allowAll(), options.delivery(), options.unattended() == RunOptions.Unattended.POLICY,
                            options.unattended() == RunOptions.Unattended.DENY_ASKS).fromHeadlessClient();
                    var accepted = api.prompt(id, options.approver() == RunOptions.Approver.CLASSIFIER ? request.autoApproved() : request);
                    // the session's own model could not be used here (an imported session): which one goes on, and why
                    accepted.notice().ifPresent(n -> err.println("lathe: " + n));
                    prompted = Optional.of(accepted.messageId());
                    turn.prompted(accepted.messageId());
                    if (accepted.queued() && options.delivery().filter(d -> d == Delivery.steer).isEmpty() && options.format() == OutputFormat.text) {
                        printer.endLine();
                        err.println(RunNotices.WAITS);
                    }
                }
            } catch (LatheException e) {
                printer.endLine();
                err.println("lathe: " + e.getMessage());
                if (options.session().isEmpty() && !options.continueLatest() && command.isEmpty()) EmptySession.forget(api, id);
                // a command refused by a permission rule or answer is a rejected permission, like one that stops a turn
                return e instanceof LatheException.Forbidden || rejected.get() ? ExitCode.PERMISSION_REJECTED : ExitCode.USAGE;
            }
            // a continued session whose worktree was removed runs in one made again for it: said once, with where
            Session here = options.session().isPresent() || options.continueLatest() ? revived(session) : session;
            // asks opened before our subscription was live would otherwise never be answered
            for (PermissionRequest r : api.permissions(here.directory())) if (family.contains(r.sessionId())) answer(r);
            for (QuestionRequest q : api.questions(here.directory())) if (family.contains(q.sessionId())) decline(q);
            // the events end the run at once; the session's own status ends it too, so a run whose events were lost (a
            // resync of a subscriber that fell behind drops it, the server's stream can break) ends as soon as the turn
            // does, also one that failed before its first step left any message to look for
            int idlePolls = 0;
            while (!idle.await(200, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                SessionStatus now = api.status(id);
                if (now instanceof SessionStatus.Queued q) queued(q);
                idlePolls = now instanceof SessionStatus.Idle ? idlePolls + 1 : 0;
                if (idlePolls >= IDLE_POLLS) break;
            }
            // the end found by polling while the stream is alive: its events (an error the turn ended with among them,
            // such as a prompt a hook refused, which the store does not keep) are on their way; let them arrive
            catchUp();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            printer.endLine();
            // the server went with the session in it: said by the command line, which knows which server it was
            if (ServerLost.is(e)) throw new ServerLost(id, e);
            err.println("lathe: " + e.getMessage());
            return ExitCode.MODEL_ERROR;
        }
        // the turn's events came whole, its idle too: the totals and the printed text are complete. Otherwise (a resync, a
        // broken stream, the end found by polling) the store has what the events did not bring
        boolean whole = !eventsLost.get() && idle.getCount() == 0 && tally.lastAnswer().isPresent();
        TurnTally turn = tally;
        if (!whole) {
            TurnTally stored = new TurnTally();
            StoredTurn.Found found = stored(id, stored);
            if (!found.prompt()) return finish(id, new TurnTally(), sessionError.or(() -> Optional.of(TAKEN_BACK)));
            if (found.messages() > 0) turn = stored;
        }
        printer.endLine();
        out.flush();
        return finish(id, turn);
    }

    /**
     * The session as its prompt left it: when its worktree had been removed (marked so, or its folder gone here) and the
     * server made one again, says so on stderr and follows it there.
     */
    private Session revived(Session before) {
        boolean lost = before.worktree().flatMap(SessionWorktree::removedAt).isPresent()
                || before.worktree().isPresent() && !java.nio.file.Files.isDirectory(java.nio.file.Path.of(before.directory()));
        if (!lost) return before;
        Session now;
        try {
            now = api.session(before.id());
        } catch (LatheException e) {
            return before;
        }
        if (now.worktree().isEmpty() || now.worktree().get().removedAt().isPresent()) return now;
        err.println("lathe: the session's worktree " + before.worktree().get().name() + " had been removed; it goes on in a new checkout at "
                + now.directory() + " (branch " + now.worktree().get().branch() + ")");
        err.flush();
        started = Optional.of(now);
        return now;
    }

    /**
     * Ctrl-C: aborts the running turn (the run then ends as the turn does, with {@link ExitCode#INTERRUPTED}). False when
     * there is no turn yet to abort, and the caller ends the process itself.
     */
    @Override
    public boolean interrupt() {
        Optional<SessionId> id = main;
        if (id.isEmpty()) return false;
        interrupted.set(true);
        printer.endLine();
        err.println("lathe: aborting the turn (Ctrl-C again to leave at once)");
        err.flush();
        try {
            api.abort(id.get());
        } catch (RuntimeException e) {
            return false;
        }
        return true;
    }

    /** The exit code, with the result line ({@code --format json}) or the summary on stderr (text) after the turn. */
    private int finish(SessionId id, TurnTally turn) {
        return finish(id, turn, turn.lastAnswer().flatMap(AssistantMessage::error).or(() -> sessionError));
    }

    private int finish(SessionId id, TurnTally turn, Optional<MessageError> error) {
        int code = interrupted.get() ? ExitCode.INTERRUPTED : exitCode(turn, error);
        long ms = (System.nanoTime() - startNanos) / 1_000_000;
        var result = turn.result(id, error, code, ms);
        if (options.format() == OutputFormat.json) {
            out.println(RecordWriter.result(result));
            out.flush();
        } else {
            err.println(RunSummary.line(result));
            err.flush();
        }
        return code;
    }

    /**
     * DESIGN §18: in an untrusted folder, one line on stderr per kind of definition skipped, e.g. {@code lathe: untrusted
     * folder: skipped 1 provider base URL from lathe.json (run lathe trust to allow it)}.
     */
    private void warnUntrusted(String directory) {
        try {
            // the names come from the folder's own files (a rule's pattern, a hook's matcher): one line each, whatever they hold
            for (TrustInfo.Skipped s : api.trust(directory).skipped()) err.println("lathe: " + VisibleControls.line(s.warning()));
            err.flush();
        } catch (RuntimeException e) {
            // a server without trust (older) or a config it cannot read (in process that is the core's own
            // ConfigException, not a LatheException): the prompt itself says what is wrong
        }
    }

    /** {@code /undo} and {@code /redo}: run at once, with what they restored printed. */
    private int sessionCommand(SessionId id, String command) {
        RevertResult result;
        try {
            result = command.equals("/undo") ? api.undo(id) : api.redo(id);
        } catch (LatheException e) {
            err.println("lathe: " + e.getMessage());
            return ExitCode.USAGE;
        }
        String verb = command.equals("/undo") ? "Undid the last turn" : "Redid the last undone turn";
        out.println(verb + (result.files().isEmpty() ? "; no files changed." : "; restored " + String.join(", ", result.files()) + "."));
        out.flush();
        return ExitCode.FINISHED;
    }

    /** {@code /compact}: summarises the session now, with the summary's progress shown like a turn's. */
    private int compact(SessionId id) {
        try (AutoCloseable _ = api.subscribe(EventFilter.session(id), 0, this::onEvent)) {
            var result = api.compact(id);
            printer.endLine();
            out.println(result.messageId().isPresent() ? "Compacted the context: earlier turns summarised, the last ones kept."
                    : "Compacted the context: old tool outputs pruned.");
            out.flush();
            return ExitCode.FINISHED;
        } catch (LatheException e) {
            err.println("lathe: " + e.getMessage());
            return e instanceof LatheException.Conflict || e instanceof LatheException.InvalidInput ? ExitCode.USAGE : ExitCode.MODEL_ERROR;
        } catch (Exception e) {
            err.println("lathe: " + e.getMessage());
            return ExitCode.MODEL_ERROR;
        }
    }

    private static boolean sameFolder(String listed, String asked) {
        try {
            return java.nio.file.Path.of(listed).equals(java.nio.file.Path.of(asked).toRealPath());
        } catch (java.io.IOException | RuntimeException e) {
            return listed.equals(asked);
        }
    }

    private Session session() {
        if (options.session().isPresent()) return api.session(new SessionId(options.session().get()));
        if (options.continueLatest()) {
            // a repository's list holds its worktrees' sessions too: --continue takes the folder's own (DESIGN §19)
            return api.sessions(options.directory()).stream().filter(s -> sameFolder(s.directory(), options.directory())).findFirst()
                    .orElseThrow(() -> new LatheException.NotFound("no earlier session in " + options.directory() + " to continue"));
        }
        var request = CreateSessionRequest.in(options.directory()).withModel(options.model()).withAgent(options.agent());
        // --worktree: the server makes the worktree once the session's id exists (the WorktreeCreate hook is told it)
        return api.createSession(options.worktree().map(request::withWorktree).orElse(request));
    }

    /**
     * The events this run follows: those of the session's folder, or of every folder for a session that may move while it
     * runs. A fleet task (DESIGN §20, {@code --repo}) runs in each team node's own copy of its repository, so the node
     * that takes a turn moves the session to its folder; the events are then told apart by session, as they are anyway.
     */
    private EventFilter followed(Session session) {
        boolean mayMove = options.worktree().flatMap(CreateSessionRequest.NewWorktree::repo).isPresent()
                || options.session().isPresent() && session.worktree().isPresent();
        return mayMove ? EventFilter.ALL : new EventFilter(Optional.of(session.directory()), Optional.empty());
    }

    /** The session this run created or continued; empty when it stopped before one existed. */
    @Override
    public Optional<Session> started() {
        return started;
    }

    private void onEvent(EventEnvelope envelope) {
        Event event = envelope.event();
        if (event instanceof Event.SessionCreated c && c.session().parentId().filter(family::contains).isPresent()) family.add(c.session().id());
        Optional<SessionId> of = Event.sessionOf(event);
        if (of.isPresent() && !family.contains(of.get())) return;
        if (of.isPresent()) lastEventNanos = System.nanoTime();
        boolean own = of.isEmpty() || !of.equals(main) || ownTurn(event);
        if (options.format() == OutputFormat.json && own) {
            out.println(RecordWriter.envelope(envelope));
            out.flush();
        }
        // asks of subagents are answered like the session's own; everything else of theirs stays out of the text
        switch (event) {
            // with the server answering for the prompt, an ask announced now is answered already; asks that were
            // waiting before the prompt are not the server's to answer: run() answers those once the prompt is sent
            // a spend limit is not the server's to answer, --allow-all or not
            case Event.PermissionAsked a when !serverAnswers || BudgetAsks.is(a.request()) -> answer(a.request());
            case Event.QuestionAsked q -> decline(q.request());
            default -> { }
        }
        if (event instanceof Event.Resync) eventsLost.set(true);
        if (!own) return;
        // before the printer: a denial's line is this one (lathe: denied: …), the printer's ⊘ line is not printed too
        if (event instanceof Event.PartUpdated p) namedIfDenied(p.part());
        if (of.isPresent() && !of.equals(main)) return;
        // a prompt other than the run's (steered in, queued behind) is neither its answer nor a new start of its totals
        if (turn.othersPrompt(event)) return;
        if (options.format() == OutputFormat.text) printer.on(event);
        switch (event) {
            case Event.MessageUpdated m -> tally.message(m.info());
            case Event.PartUpdated p -> tally.part(p.part()).forEach(w -> err.println("lathe: warning: " + w));
            case Event.PartDelta d -> tally.delta(d.partId(), d.delta());
            case Event.PartRemoved r -> tally.removed(r.partId());
            default -> { }
        }
        switch (event) {
            // a command that runs shell commands first keeps the session busy, then idle, before its prompt is stored:
            // only the idle after the prompt ends the run
            case Event.MessageUpdated m when m.info() instanceof UserMessage -> promptStored.set(true);
            case Event.SessionStatusChanged s -> {
                if (s.status() instanceof SessionStatus.Busy) busySeen.set(true);
                if (s.status() instanceof SessionStatus.Retry r && options.format() == OutputFormat.text) retrying(r);
                if (s.status() instanceof SessionStatus.Queued q) queued(q);
                if (s.status() instanceof SessionStatus.Idle && busySeen.get() && promptStored.get()) ended();
            }
            case Event.SessionErrored e -> sessionError = Optional.of(e.error());
            default -> { }
        }
    }

    /**
     * Whether {@code event} of the session is the run's own turn ({@link OwnTurn}). The turn an interrupting prompt
     * stopped is said once; a prompt queued behind the run's turn taken up ends the run's turn.
     */
    private boolean ownTurn(Event event) {
        if (turn.nextTurnStarted(event)) {
            ended();
            return false;
        }
        if (turn.ours(event)) return true;
        if (OwnTurn.aborted(event) && options.delivery().filter(d -> d == Delivery.interrupt).isPresent()
                && options.format() == OutputFormat.text && interruptSaid.compareAndSet(false, true)) {
            printer.endLine();
            err.println(RunNotices.INTERRUPTED);
            err.flush();
        }
        return false;
    }

    /** The run's turn is over: the run ends, and what the session does next is not its own. */
    private void ended() {
        turn.end();
        idle.countDown();
    }

    /**
     * A call a deny rule refused, or whose ask nobody could answer, named on stderr once (DESIGN §18 "Unattended
     * work"): the model read the denial and went on, and the run may still exit 0, so the user learns here what was
     * not done, and which rule in which file to change.
     */
    private void namedIfDenied(Part part) {
        if (!(part instanceof Part.Tool tool)
                || !(tool.state() instanceof ToolState.Failed f)) return;
        Optional<ToolRejection> denial = f.rejection().filter(ToolRejection::denied);
        if (denial.isEmpty() || !deniedNamed.add(tool.callId())) return;
        printer.know(tool);
        printer.endLine();
        err.println(DeniedCall.line(tool, denial.get()));
        err.flush();
    }

    /**
     * Once: the prompt waits for a team node with room (DESIGN §20), with its place and what it waits for, so a run
     * that prints nothing for minutes says why; the run then goes on waiting and streams the turn when it starts.
     */
    private void queued(SessionStatus.Queued queued) {
        if (!queuedSaid.compareAndSet(false, true)) return;
        printer.endLine();
        err.println("lathe: queued (place " + queued.position() + "): waiting for " + queued.waitsFor() + "; the turn starts when one has room");
        err.flush();
    }

    /** Text mode: a retry as it happens. */
    private void retrying(SessionStatus.Retry retry) {
        printer.endLine();
        err.println(RunNotices.retrying(retry, System.currentTimeMillis()));
        err.flush();
    }

    private void answer(PermissionRequest request) {
        if (BudgetAsks.is(request)) {
            stopAtLimit(request);
            return;
        }
        if (options.allowAll()) {
            reply(request, PermissionReply.ONCE);
            return;
        }
        rejected.set(true);
        printer.rejectedHere(request.callId());
        printer.endLine();
        err.println(RunNotices.rejectedMessage(request));
        reply(request, PermissionReply.REJECT);
    }

    /**
     * A spend limit reached: nobody is here to raise it, and {@code --allow-all} does not (a limit is a hard cap). The
     * ask is answered "stop", with what was reached and how to go on on stderr.
     */
    private void stopAtLimit(PermissionRequest request) {
        limitReached.set(true);
        printer.endLine();
        err.println(RunNotices.limitMessage(request, main.orElse(request.sessionId())));
        err.flush();
        reply(request, PermissionReply.REJECT);
    }

    private void reply(PermissionRequest request, PermissionReply reply) {
        try {
            api.replyPermission(request.id(), PermissionReplyRequest.of(reply));
        } catch (LatheException e) {
            // another client answered first
        }
    }

    /** Nobody is there to answer: the model is told so and goes on (this is not a failure of the run). */
    private void decline(QuestionRequest request) {
        try {
            api.replyQuestion(request.id(), QuestionReplyRequest.rejected(QuestionReplyRequest.UNAVAILABLE));
        } catch (LatheException e) {
            // another client answered first
        }
    }

    /**
     * The turn as stored, for a run whose events were lost: summed into {@code turn}, what the events did not print printed
     * (text), a page at a time (issue 70). A prompt a hook refused was taken back: not found. A server gone reads as that.
     */
    private StoredTurn.Found stored(SessionId id, TurnTally turn) {
        boolean print = options.format() == OutputFormat.text && prompted.isPresent();
        try {
            return StoredTurn.read(api, id, prompted, m -> {
                turn.add(m);
                // the prompt itself is where the answer starts; each assistant message after it prints its rest
                if (print && m.info() instanceof AssistantMessage) printer.complete(m.parts());
            });
        } catch (LatheException e) {
            return new StoredTurn.Found(prompted.isEmpty(), 0);
        } catch (RuntimeException e) {
            if (ServerLost.is(e)) throw new ServerLost(id, e);
            throw e;
        }
    }

    /**
     * Waits for the events of a turn whose end was found by polling: {@link #STREAM_CATCH_UP}, and on while the stream keeps
     * delivering the run's events. A client slower than its server (a loaded machine) ends seconds behind; catching up
     * holds one event at a time, the store's whole turn was a burst of memory (issue 70).
     */
    private void catchUp() throws InterruptedException {
        long now = System.nanoTime();
        long floor = now + STREAM_CATCH_UP.toNanos();
        long limit = now + CATCH_UP_LIMIT.toNanos();
        while (idle.getCount() > 0 && !eventsLost.get()) {
            long until = Math.min(limit, Math.max(floor, lastEventNanos + STREAM_CATCH_UP.toNanos()));
            long left = until - System.nanoTime();
            if (left <= 0 || idle.await(left, java.util.concurrent.TimeUnit.NANOSECONDS)) return;
        }
    }

    private int exitCode(TurnTally turn, Optional<MessageError> error) {
        // the limit's message is on stderr already (stopAtLimit)
        if (limitReached.get() || error.filter(e -> e.kind().equals(BudgetAsks.ERROR_KIND)).isPresent()) return ExitCode.LIMIT_REACHED;
        if (error.isEmpty()) return turn.lastAnswer().isPresent() ? ExitCode.FINISHED : ExitCode.MODEL_ERROR;
        if (error.get().kind().equals("permission_rejected") || rejected.get()) {
            return ExitCode.PERMISSION_REJECTED;
        }
        if (options.format() == OutputFormat.text) err.println("lathe: " + error.get().kind() + ": " + error.get().message());
        return ExitCode.MODEL_ERROR;
    }

    /** The models Lathe knows of {@code provider} for {@code directory}; empty when they cannot be read (no warning then). */
    private List<ModelInfo> knownModels(String directory, String provider) {
        try {
            return api.models(directory, provider);
        } catch (RuntimeException e) {
            return List.of();
        }
    }
}
