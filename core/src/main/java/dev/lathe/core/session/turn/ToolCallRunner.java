package dev.lathe.core.session.turn;

import dev.lathe.core.store.StoreException;
import dev.lathe.protocol.session.ToolRejection;
import dev.lathe.tools.LimitReached;
import dev.lathe.tools.Teammates;
import dev.lathe.core.permission.PromptFiles;
import dev.lathe.core.project.OneLook;
import dev.lathe.core.session.context.NestedInstructions;
import dev.lathe.core.session.inbox.InboxHistory;
import dev.lathe.core.session.journal.SessionJournal;
import dev.lathe.core.toolcall.Origin;
import dev.lathe.core.toolcall.PartRecorder;
import dev.lathe.core.toolcall.CallPorts;
import dev.lathe.core.toolcall.ToolCallPipeline;
import dev.lathe.llm.Cancellation;
import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.CallProgress;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.tools.BackgroundCommands;
import dev.lathe.tools.Effect;
import dev.lathe.tools.PermissionRejected;
import dev.lathe.tools.Permissions;
import dev.lathe.tools.Questions;
import dev.lathe.tools.Skills;
import dev.lathe.tools.Subagents;
import dev.lathe.tools.Todos;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolProgress;
import dev.lathe.tools.ToolResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import dev.lathe.tools.ProcessLauncher;
import dev.lathe.core.toolcall.SecretMask;
import dev.lathe.tools.EditorFiles;
import dev.lathe.tools.Budget;
import dev.lathe.llm.ToolSpec;

/**
 * Runs the tool calls of one step, each on its own virtual thread as soon as its arguments are complete, each through
 * the {@link ToolCallPipeline} (which stores its parts here, through a {@link PartRecorder}). What this class adds is
 * the step's fan-out: calls that report the files they write ({@link Effect#WRITES_FILES}) run one at a time; live
 * output is published at most every 250 ms; the files the step changed are collected for its snapshot. A
 * {@code ToolFailure} (including unknown tools and malformed arguments) becomes a failed part the model will see;
 * a rejected permission fails the call and marks the step so the turn stops; anything else also fails the call and
 * is reported as an internal error. A result that read a file carries the instruction files of the folders above it
 * that block B does not hold, the first time one is reached ({@link NestedInstructions}, a post-call hook).
 */
final class ToolCallRunner implements StepLoop.Tools {
    private static final long PROGRESS_MILLIS = 250;

    /** How one call ended, as the turn loop needs to know it. */
    enum Outcome { DONE, REJECTED, /** a subagent stopped at a spend limit */ LIMIT_REACHED, CRASHED }

    /**
     * What the calls of every step of one turn share, built once per turn: where their parts are written
     * ({@code journal}) and full outputs saved ({@code outputDir}), the {@code pipeline} each call
     * goes through, the session's {@code background} commands and {@code todos}, the turn's cancel token, and whose
     * calls they are ({@code origin}).
     */
    record ForTurn(SessionJournal journal, Path outputDir, ToolCallPipeline pipeline, BackgroundCommands background,
            Cancellation cancellation, Todos todos, Origin origin) {
        /** The runner of one step's calls, with what that step gives them. */
        ToolCallRunner step(ForStep step) {
            return new ToolCallRunner(this, step);
        }

        /** Where a call of this turn in {@code projectDir} works: the project, and where its full outputs go. */
        ToolContext.Folders folders(Path projectDir) {
            return new ToolContext.Folders(projectDir, outputDir);
        }
    }

    /**
     * What one step gives its calls (the project may change between steps): the project folder; the tools the step's
     * request {@code offered} (the model may call no other; empty: any); the check the instruction files a read
     * surfaces pass first ({@code instructionFiles}, issue 40); and the factory of what each call may touch
     * ({@code ports}: files, processes, network, asks and the session's tools, decision 523).
     */
    record ForStep(Path projectDir, Optional<Set<String>> offered, PromptFiles instructionFiles, CallPorts.Factory ports) {
        /** The names of the tools {@code specs} offers. */
        static Optional<Set<String>> offering(List<ToolSpec> specs) {
            return Optional.of(specs.stream().map(ToolSpec::name).collect(java.util.stream.Collectors.toUnmodifiableSet()));
        }

        /**
         * A command the user runs in {@code turn}: decided by {@code permissions} (everything allowed when the user typed
         * it; the session's rules for a goal loop's check), no questions, skills, subagents, editor or budget, any tool,
         * an open network; its processes start through {@code launcher}.
         */
        static ForStep userShell(ForTurn turn, Path projectDir, Permissions permissions, Set<String> secrets, ProcessLauncher launcher) {
            var ports = new CallPorts(turn.folders(projectDir), new ToolContext.Guards(permissions, launcher, secrets), CallPorts.Network.OPEN,
                    new ToolContext.Session(turn.todos(), Questions.UNAVAILABLE, Subagents.UNAVAILABLE, Skills.NONE, EditorFiles.NONE, Budget.NONE,
                            turn.background(), Teammates.UNAVAILABLE));
            return new ForStep(projectDir, Optional.empty(), PromptFiles.lenient(projectDir), _ -> ports);
        }
    }

    private final SessionJournal journal;
    private final Path projectDir;
    private final ToolCallPipeline pipeline;
    /** The pipeline with this step's own post-call hook: nested instruction files surfaced by reads. */
    private final ToolCallPipeline stepPipeline;
    private final Cancellation cancellation;
    /** What each call may touch, built for it (decision 523). */
    private final CallPorts.Factory ports;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Future<Outcome>> running = new ArrayList<>();
    /** Files this step's calls reported writing ({@link Effect#WRITES_FILES}), absolute. */
    private final Set<Path> written = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Calls refused before they ran: an unknown (or not offered) tool, or arguments that are not valid for it. */
    private final java.util.concurrent.atomic.AtomicInteger invalid = new java.util.concurrent.atomic.AtomicInteger();
    /** A call that may have changed files other than the ones reported ({@link #written}) ran. */
    private volatile boolean changedUnknown;
    /** A subagent of this step stopped at a spend limit: its error's message. */
    private volatile Optional<String> limitReached = Optional.empty();
    // calls that write files run one at a time, in the model's order
    private final WriteOrder writes = new WriteOrder();

    /** Names of the tools the step's request offered: the model may call no other (an agent's {@code tools} list). */
    private final Optional<Set<String>> offered;
    private final Origin origin;

    private ToolCallRunner(ForTurn turn, ForStep step) {
        this.journal = turn.journal();
        this.pipeline = turn.pipeline();
        this.cancellation = turn.cancellation();
        this.origin = turn.origin();
        this.projectDir = step.projectDir();
        this.offered = step.offered();
        this.ports = step.ports();
        this.stepPipeline = pipeline.withPostCallHook(new NestedInstructions(projectDir, _ -> journal.history(), step.instructionFiles()));
    }

    @Override
    public void start(Part.Tool call) {
        // the ticket is taken here, on the step's thread, as the model ordered the calls
        Optional<Long> ticket = reportsWrites(call) ? Optional.of(writes.ticket()) : Optional.empty();
        running.add(threads.submit(() -> {
            try {
                return run(call, ticket);
            } finally {
                ticket.ifPresent(writes::ended);
            }
        }));
    }

    /**
     * Whether {@code call} looks at its project's files once (decision 546): a model's call of a built-in tool whose
     * permission is decided, from its {@code PreToolUse} hooks' look up to its ruling, where the gate's rules end the
     * look ({@code ModelCallPorts}); hooks that will run end it at once, so the ruling after them looks afresh. A tool
     * that is not ruled (a subagent's task, a question) looks as before: nothing would end a look it opened.
     */
    private boolean oneLook(Part.Tool call) {
        return origin == Origin.MODEL && pipeline.checksPermission(call.tool());
    }

    private boolean reportsWrites(Part.Tool call) {
        return pipeline.effects(projectDir, call.sessionId().value(), call.tool()).map(e -> e.contains(Effect.WRITES_FILES)).orElse(false);
    }

    /** Waits for every started call; returns the worst outcome. */
    @Override
    public Outcome awaitAll() {
        Outcome worst = Outcome.DONE;
        StoreException storeFailed = null;
        for (Future<Outcome> f : running) {
            try {
                Outcome o = f.get();
                if (o.ordinal() > worst.ordinal()) worst = o;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Outcome.CRASHED;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof StoreException s) storeFailed = s;
                worst = Outcome.CRASHED;
            }
        }
        running.clear();
        // the store failed under a call (a team database away, its pool's wait run out): the turn ends with the store's
        // error (store_unavailable, disk_full), not as a tool's crash
        if (storeFailed != null) throw storeFailed;
        return worst;
    }

    /** The result of a call a steered prompt stopped before it started (DESIGN §18 "Steering"). */
    static final String SKIPPED_BY_STEER = "skipped: the user sent a message; it is the next message, read it before going on";

    private Outcome run(Part.Tool call, Optional<Long> ticket) {
        if (steeredPast(call)) return skipped(call);
        boolean reportsWrites = ticket.isPresent();
        // bash, subagents, unknown tools: what they changed is not known (a failed edit tool is marked below)
        if (mayChangeFiles(call.tool()) && !reportsWrites) changedUnknown = true;
        long started = System.currentTimeMillis();
        // what the call may touch, as the session made it: the pipeline wraps it for the call
        CallPorts reach = ports.forCall(call);
        var progress = new Progress(call, started, reach.guards().secrets());
        // running as soon as the call starts, before its arguments are checked and before a file-writing call waits
        // for the one ahead of it; every state of the call is written behind: the tool need not wait for a commit,
        // nor the next request for its outcome's (Journal.history)
        progress.started();
        var stored = new PartRecorder() {
            /** How long the call's asks held it (told by the pipeline before it ends): no part of its run (issue 53). */
            private volatile long held;

            @Override
            public void heldByAsks(long millis) {
                held = millis;
            }

            @Override
            public void validated(String argsJson, Optional<ToolDisplay> announced) {
                progress.validated(argsJson, announced);
            }

            @Override
            public void completed(ToolResult result) {
                progress.stop();
                journal.partBehind(call.withState(new ToolState.Completed(progress.input(), result.output(), result.title(),
                        result.metadata(), started + held, System.currentTimeMillis(), result.attachments(), result.display())));
            }

            @Override
            public void failed(String error) {
                progress.stop();
                journal.partBehind(call.withState(new ToolState.Failed(progress.input(), error, started + held, System.currentTimeMillis(),
                        progress.display())));
            }

            @Override
            public void rejected(String error, ToolRejection rejection) {
                progress.stop();
                journal.partBehind(call.withState(new ToolState.Failed(progress.input(), error, started + held, System.currentTimeMillis(),
                        progress.display(), Optional.of(rejection))));
            }
        };
        var toolCall = reach.call(call.tool(), call.input().json(), new ToolContext.Call(call.sessionId().value(), call.callId(), cancellation, progress),
                origin, offered);
        java.util.function.Supplier<ToolResult> runs = oneLook(call) ? () -> OneLook.around(() -> stepPipeline.run(toolCall, stored))
                : () -> stepPipeline.run(toolCall, stored);
        try {
            Optional<ToolResult> ran = ticket.isPresent() ? serialised(call, ticket.get(), runs) : Optional.of(runs.get());
            if (ran.isEmpty()) {
                progress.stop();
                return skipped(call);
            }
            ToolResult result = ran.get();
            if (reportsWrites && result.changedFiles().isEmpty()) changedUnknown = true;
            for (String path : result.changedFiles()) {
                written.add(projectDir.resolve(path));
                journal.publish(new Event.FileEdited(call.sessionId(), path));
            }
            return Outcome.DONE;
        } catch (ToolFailure e) {
            if (reportsWrites) changedUnknown = true;
            if (!progress.wasValidated()) invalid.incrementAndGet();
            return Outcome.DONE;
        } catch (PermissionRejected e) {
            if (reportsWrites) changedUnknown = true;
            return switch (e.then()) {
                case STOP_TURN -> Outcome.REJECTED;
                // "no, and tell the agent": the call failed with the user's words, the model goes on with them
                case CONTINUE_TURN -> Outcome.DONE;
            };
        } catch (LimitReached e) {
            limitReached = Optional.of(e.getMessage());
            return Outcome.LIMIT_REACHED;
        } catch (StoreException e) {
            if (reportsWrites) changedUnknown = true;
            throw e;  // awaitAll ends the turn with it
        } catch (RuntimeException | Error e) {
            // the part says "Internal error in tool …"; the trace is for whoever reads the server's log
            System.getLogger(ToolCallRunner.class.getName()).log(System.Logger.Level.ERROR, "a tool call crashed", e);
            if (reportsWrites) changedUnknown = true;
            return Outcome.CRASHED;
        }
    }

    /** What a subagent that stopped at a spend limit said, when one of this step's calls was one. */
    @Override public Optional<String> limitReached() { return limitReached; }

    /**
     * How many of the calls awaited so far were refused before they ran, as the model can fix: an unknown tool or
     * arguments that are not valid JSON or not valid for the tool (a pre-call hook's block counts too).
     */
    @Override public int invalidCalls() { return invalid.get(); }

    /**
     * The files this step's calls changed, when every call that may change files was one that reports what it wrote
     * ({@link Effect#WRITES_FILES}) and finished (its snapshot can then add just those); empty when any other kind ran
     * or one failed midway.
     */
    @Override
    public Optional<Set<Path>> changedFiles() {
        return changedUnknown ? Optional.empty() : Optional.of(Set.copyOf(written));
    }

    /**
     * Whether a call of {@code tool} may change files, as the tool declares it ({@link Effect#changesFiles}); a name
     * no registered tool has may too (its call fails, but nothing is assumed about what it is).
     */
    @Override
    public boolean mayChangeFiles(String tool) {
        return pipeline.effects(projectDir, tool).map(Effect::changesFiles).orElse(true);
    }

    /**
     * Runs a file-writing call once the ones the model gave before it ended (its ticket, {@link WriteOrder}); empty when
     * a prompt was steered in meanwhile (skipped). The call's end lets the next one go ({@link #start}).
     */
    private Optional<ToolResult> serialised(Part.Tool call, long ticket, java.util.function.Supplier<ToolResult> work) {
        writes.awaitTurn(ticket);
        return steeredPast(call) ? Optional.empty() : Optional.of(work.get());
    }

    /**
     * Whether a prompt was steered into the turn since {@code call}'s step began (a user message newer than the step's
     * answer, DESIGN §18 "Steering"): no call of the step starts after it; the model reads it first. A turn's own calls
     * only: a user's shell command or an agent's run is no step a prompt joins.
     */
    private boolean steeredPast(Part.Tool call) {
        return origin == Origin.MODEL && InboxHistory.steered(journal.historyAfter(call.messageId()), call.messageId());
    }

    /** Ends {@code call} unrun, saying why, as a failed call the model reads in its next request. */
    private Outcome skipped(Part.Tool call) {
        long now = System.currentTimeMillis();
        journal.partBehind(call.withState(new ToolState.Failed(call.input(), SKIPPED_BY_STEER, now, now, Optional.empty())));
        return Outcome.DONE;
    }

    /**
     * The call's running state: written when it starts, again when its arguments are valid if that adds a display
     * or a pre-call hook rewrote them, then its live output at most every 250 ms.
     */
    private final class Progress implements ToolProgress {
        private final Part.Tool part;
        private final long started;
        /** The server's known secrets, masked in live output as in the result. */
        private final SecretMask secrets;
        private long lastAt;
        private boolean stopped;
        private boolean validated;
        /** What runs: the call's arguments, or what a pre-call hook rewrote them to. */
        private RawJson input;
        private Optional<ToolDisplay> display = Optional.empty();
        private String title;
        private String output = "";
        private Optional<CallProgress> reported = Optional.empty();

        Progress(Part.Tool part, long started, Set<String> secrets) {
            this.part = part;
            this.started = started;
            this.secrets = SecretMask.of(secrets);
            this.input = part.input();
            this.title = part.tool();
        }

        synchronized Optional<ToolDisplay> display() { return display; }

        synchronized RawJson input() { return input; }

        /** Whether the call's tool and arguments were found valid (it got as far as its permission check). */
        synchronized boolean wasValidated() { return validated; }

        synchronized void started() {
            journal.partBehind(part.withState(new ToolState.Running(input, part.tool(), started, "", display)));
        }

        /** The arguments that will run are known, and what the tool announces from them (shown from now on). */
        synchronized void validated(String argsJson, Optional<ToolDisplay> announced) {
            validated = true;
            boolean rewritten = !argsJson.equals(input.json());
            if (rewritten) input = new RawJson(argsJson);
            display = announced;
            if (!stopped && (rewritten || announced.isPresent())) {
                journal.partBehind(part.withState(new ToolState.Running(input, part.tool(), started, "", announced)));
            }
        }

        @Override
        public synchronized void update(String title, String outputSoFar) {
            // live output is published as it comes: the server's known secrets are masked here as in the result (DESIGN §26),
            // and a start of one at its end waits for the rest (a window of the output may also begin inside one)
            this.title = secrets.apply(title);
            this.output = secrets.live(outputSoFar);
            publish();
        }

        /** Kept with the title and output so far: a later update of either still shows how far the call got. */
        @Override
        public synchronized void progress(CallProgress reported) {
            this.reported = Optional.of(reported);
            publish();
        }

        private void publish() {
            long now = System.currentTimeMillis();
            if (stopped || now - lastAt < PROGRESS_MILLIS) return;
            lastAt = now;
            journal.part(part.withState(new ToolState.Running(input, title, started, output, display, reported)));
        }

        /** No update may overwrite the final state written after this. */
        synchronized void stop() { stopped = true; }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
