package dev.lathe.core.session.turn;

import dev.lathe.core.session.context.LiveProject;
import dev.lathe.core.imports.NewSessions;

import dev.lathe.core.agent.Agent;
import dev.lathe.core.model.ModelException;
import dev.lathe.core.model.ResolvedModel;
import dev.lathe.core.permission.Ruleset;
import dev.lathe.core.project.Project;
import dev.lathe.core.session.background.BackgroundResults;
import dev.lathe.core.session.background.BackgroundTasks;
import dev.lathe.core.session.context.Secrets;
import dev.lathe.core.session.inbox.PromptIntake;
import dev.lathe.core.session.journal.Journal;
import dev.lathe.core.store.SessionStore;
import dev.lathe.core.worktree.WorktreeLocation;
import dev.lathe.core.worktree.Worktrees;
import dev.lathe.llm.Cancellation;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.InputPart;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.WorktreeInfo;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.AgentMessage;
import dev.lathe.protocol.session.ProcessNote;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.MessageError;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionWorktree;
import dev.lathe.protocol.session.UserMessage;
import dev.lathe.protocol.session.Usage;
import dev.lathe.tools.LimitReached;
import dev.lathe.tools.PermissionRejected;
import dev.lathe.tools.Subagents;
import dev.lathe.tools.ToolFailure;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The {@code task} tool's subagents as child sessions (DESIGN §11): a child has the parent as {@code parentId}, the
 * parent's folder, the subagent as its agent, and the agent's model or else the parent's. Its turn runs on the calling
 * tool's virtual thread as the child runner's occupation (so the child shows busy, then idle, and can be aborted on its
 * own), with a cancel token that the parent's abort cancels too. Permissions are the child's rules and the parent's at
 * once ({@link Turn} asks {@link #rules}). The parent's assistant message records a {@code Subtask} part naming the
 * child; the parent gets only the child's final text. A child's usage and cost stay on the child's session.
 */
public final class Subtasks {
    private final SessionStore store;
    private final NewSessions created;
    private final Journal journal;
    private final PromptIntake intake;
    private final LiveProject.OfSessions projects;
    private final Worktrees worktrees;
    /** The background tasks started here, and how their ends reach their parents (DESIGN §18 "Background subagents"). */
    private final BackgroundTasks background;
    private final BackgroundResults results;

    /**
     * Built before the turn services and the runners, which it needs only when a task runs: the turn that makes the
     * call hands them over ({@link ChildTurns}).
     */
    public Subtasks(SessionStore store, NewSessions created, Journal journal, PromptIntake intake, LiveProject.OfSessions projects,
            Worktrees worktrees, BackgroundTasks background, BackgroundResults results) {
        this.worktrees = worktrees;
        this.background = background;
        this.results = results;
        this.store = store;
        this.created = created;
        this.journal = journal;
        this.intake = intake;
        this.projects = projects;
    }

    /**
     * The port for one {@code task} call of {@code parent}'s turn; a child session starts no subagents of its own. With
     * {@code allowAll} (the parent's prompt asked for it) the child's asks are answered allow-once as well; the child's
     * turn runs on {@code children}, the runners of the parent's turn.
     */
    Subagents forCall(Session parent, MessageId message, Cancellation cancellation, boolean allowAll, ChildTurns children) {
        if (parent.parentId().isPresent()) {
            return new Subagents() {
                @Override public Result run(Request request) { throw nested(); }

                @Override public Started start(Request request) { throw nested(); }
            };
        }
        return new Subagents() {
            @Override
            public Result run(Request request) { return Subtasks.this.run(parent, message, request, cancellation, allowAll, children); }

            @Override
            public Started start(Request request) { return Subtasks.this.start(parent, message, request, allowAll, children, _ -> { }, _ -> { }); }

            @Override
            public Launch launchOf(String agent) {
                try {
                    return PromptIntake.agent(projects.of(parent), agent, PromptIntake.AgentScope.SUBAGENT).launchMode() == Agent.Launch.BACKGROUND
                            ? Launch.BACKGROUND : Launch.BLOCKING;
                } catch (LatheException.InvalidInput e) {
                    return Launch.BLOCKING;  // the call fails as a blocking one, saying why
                }
            }

            @Override
            public List<Task> tasks() { return background.of(parent.id()).stream().map(Subtasks::task).toList(); }

            @Override
            public Task cancel(String id) {
                BackgroundTasks.Entry entry = background.find(new SessionId(id)).filter(e -> e.parent().equals(parent.id()))
                        .orElseThrow(() -> new ToolFailure("No background task " + id + " was started by this session; task_status lists them."));
                background.cancel(entry.child());
                return task(entry);
            }
        };
    }

    private static ToolFailure nested() {
        return new ToolFailure("A subagent cannot start subagents: do this work yourself with the other tools.");
    }

    private static Subagents.Task task(BackgroundTasks.Entry e) {
        return new Subagents.Task(e.child().value(), e.agent(), e.description(), e.status().word(), e.startedAt(),
                e.endedAt().map(java.util.OptionalLong::of).orElseGet(java.util.OptionalLong::empty));
    }

    /**
     * {@code task} with {@code background: true} (and a team's member, {@code made} told of its session before its turn
     * starts and {@code finished} after it ends): the child made (or resumed) and recorded at once, its turn started on
     * a virtual thread of its own as the child runner's occupation; its end is delivered to the parent as a message
     * ({@link BackgroundResults}). Not tied to the parent's turn: that turn ends, is aborted or goes on, the child runs
     * until it ends, is cancelled ({@code task_cancel}) or its session is aborted from any client.
     */
    Subagents.Started start(Session parent, MessageId message, Subagents.Request request, boolean allowAll, ChildTurns children,
            java.util.function.Consumer<Session> made, java.util.function.Consumer<Session> finished) {
        return go(begin(parent, message, request, allowAll, children, made, finished), request.prompt());
    }

    /**
     * A background child made, recorded ({@code made}) and counted against {@code agents.maxBackground}, its turn not
     * started: {@link #go} starts it. A team's members are all begun before any turn starts, so each member's prompt
     * names only the teammates that could be made (decision 430).
     */
    record Begun(Session parent, MessageId message, Subagents.Request request, Prepared child, boolean allowAll, ChildTurns children,
            java.util.function.Consumer<Session> finished) {}

    /** The first half of {@link #start}: a ToolFailure when the child cannot be made, with nothing of it kept. */
    Begun begin(Session parent, MessageId message, Subagents.Request request, boolean allowAll, ChildTurns children,
            java.util.function.Consumer<Session> made, java.util.function.Consumer<Session> finished) {
        int max = projects.of(parent).config().agentLimits().maxBackground();
        if (!background.reserve(parent.id(), max)) throw tooMany(max);
        Prepared child;
        try {
            child = prepare(parent, request);
            // before its turn starts: a team member is recorded as one before its first request is built
            made.accept(child.session());
        } catch (RuntimeException e) {
            background.release(parent.id());
            throw e;
        }
        return new Begun(parent, message, request, child, allowAll, children, finished);
    }

    /** The second half of {@link #start}: the parent's {@code Subtask} part written with {@code prompt}, the child's turn started on it. */
    Subagents.Started go(Begun begun, String prompt) {
        Session parent = begun.parent();
        Prepared child = begun.child();
        var request = new Subagents.Request(begun.request().description(), prompt, begun.request().agent(), begun.request().taskId(),
                begun.request().isolation(), begun.request().model());
        recordCall(parent, begun.message(), child.session(), prompt);
        var stop = new Cancellation();
        background.admit(new BackgroundTasks.Entry(child.session().id(), parent.id(), child.session().agent(), request.description(),
                System.currentTimeMillis(), BackgroundTasks.Status.RUNNING, Optional.empty()), stop);
        Thread.ofVirtual().name("lathe-task-" + child.session().id().value()).start(() -> {
            BackgroundTasks.Status status;
            String answer;
            try {
                Optional<Turn.Ending> ended = runChild(parent, child, request, stop, begun.allowAll(), begun.children());
                status = ended.map(e -> switch (e) {
                    case FINISHED -> BackgroundTasks.Status.COMPLETED;
                    case ABORTED -> BackgroundTasks.Status.CANCELLED;
                    default -> BackgroundTasks.Status.FAILED;
                }).orElse(BackgroundTasks.Status.FAILED);
                answer = ended.isEmpty() ? "The task's session was busy; nothing was run." : report(parent, child.session(), ended.get());
            } catch (RuntimeException e) {
                System.getLogger(Subtasks.class.getName()).log(System.Logger.Level.ERROR, "background subagent " + child.session().id() + " failed", e);
                status = BackgroundTasks.Status.FAILED;
                answer = "The " + child.session().agent() + " agent failed: " + e.getMessage();
            }
            background.ended(child.session().id(), status);
            begun.finished().accept(child.session());
            results.deliver(parent.id(), child.session().id(), status, answer);
        });
        return new Subagents.Started(child.session().id().value(), child.session().agent());
    }

    private static ToolFailure tooMany(int max) {
        return new ToolFailure("This session already runs " + max + " background tasks (agents.maxBackground); wait for one to end (its result "
                + "arrives as a message), cancel one with task_cancel, or run this task without background.");
    }

    /** What a background child's end says to its parent: the final answer, or what stopped it. */
    private String report(Session parent, Session child, Turn.Ending ending) {
        List<MessageWithParts> history = journal.messages().bySession(child.id());
        return switch (ending) {
            case FINISHED -> finished(parent, child, history).text();
            case ABORTED -> "The " + child.agent() + " agent was cancelled before it finished." + finalText(history).map(t -> "\n\nLast report:\n" + t).orElse("");
            case REJECTED -> "The user rejected a permission the " + child.agent() + " agent asked for.";
            case LIMIT_REACHED -> "The " + child.agent() + " agent stopped at a spend limit: " + lastErrorMessage(history);
            case STOPPED -> "A hook stopped the " + child.agent() + " agent: " + lastError(history);
            case PROVIDER_ERROR, FAILED -> "The " + child.agent() + " agent failed: " + lastError(history);
        };
    }

    /**
     * The rule sets a session's tool calls are held to: those of {@code agent} (the agent of the message being
     * answered), and for a child its parent's agent's too.
     */
    static List<Ruleset> rules(Project project, Session session, Agent agent, Journal journal) {
        List<Ruleset> out = new ArrayList<>();
        out.add(project.rulesFor(agent));
        session.parentId().flatMap(journal::find).ifPresent(parent -> out.add(project.rulesFor(parent.agent())));
        return out;
    }

    /** Whether {@code child} is a background task still running (DESIGN §22): nobody may watch it. */
    boolean inBackground(SessionId child) {
        return background.find(child).filter(e -> e.status() == BackgroundTasks.Status.RUNNING).isPresent();
    }

    /** A task's child session ready to run: its project and model resolved. */
    record Prepared(Session session, Project project, ResolvedModel model) {}

    private Prepared prepare(Session parent, Subagents.Request request) {
        Session child = request.taskId().isPresent() ? resumed(parent, request.taskId().get()) : created(parent, projects.of(parent), request);
        // a child in its own worktree (DESIGN §19) works on that folder's project: its tools, sandbox and snapshots are there
        Project project = child.directory().equals(parent.directory()) ? projects.of(parent) : projects.of(child);
        ResolvedModel model;
        try {
            model = project.models().resolve(child.model());
        } catch (ModelException e) {
            throw new ToolFailure("The " + child.agent() + " agent's model cannot be used: " + e.getMessage());
        }
        return new Prepared(child, project, model);
    }

    /** The parent's {@code Subtask} part: which child its call started, with what prompt. */
    private void recordCall(Session parent, MessageId message, Session child, String prompt) {
        journal.of(parent).part(new Part.Subtask(PartId.next(), parent.id(), message, child.id(), child.agent(), prompt));
    }

    /** Runs the child's turn on its own runner, cancelled with {@code cancellation}; empty when the child is busy. */
    private Optional<Turn.Ending> runChild(Session parent, Prepared prepared, Subagents.Request request, Cancellation cancellation, boolean allowAll,
            ChildTurns children) {
        Session child = prepared.session();
        Project project = prepared.project();
        ResolvedModel model = prepared.model();
        return children.run(child.id(), (turn, token) -> {
            try (AutoCloseable _ = cancellation.onCancel(token::cancel)) {
                // the same intake as a prompt through the API: message, environment note on the first (a task's child keeps its name)
                UserMessage user = intake.store(child, project, child.agent(), child.model(), List.of(new InputPart.Text(request.prompt())),
                        PromptIntake.AgentScope.SUBAGENT, stored -> {
                            if (allowAll) turn.broker().allowAll(stored);
                            // a child of a turn nobody watches is not watched either (DESIGN §26)
                            turn.broker().unwatchedIn(parent.id()).ifPresent(why -> turn.broker().unwatched(child.id(), stored, why));
                        }).user();
                new TurnHooks(turn.hooks(), journal, child, List::of).subagentStarting(
                        TurnHooks.scope(child, project, Secrets.of(project, Optional.of(model)), allowAll), user.id());
                return new Turn(turn, () -> project, child, model, token, turn.approvals(project.id(), parent.id())).run(user);
            } catch (RuntimeException | Error e) {
                // a broken child is the parent's tool error, never the parent's crash
                System.getLogger(Subtasks.class.getName()).log(System.Logger.Level.ERROR, "subagent " + child.id() + " failed", e);
                journal.of(child).publish(new Event.SessionErrored(child.id(), TurnError.describing(e)));
                return Turn.Ending.FAILED;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** The report of a child that finished: its final text, and for one in its own worktree what it changed there. */
    private Subagents.Result finished(Session parent, Session child, List<MessageWithParts> history) {
        var own = child.worktree().filter(w -> !child.directory().equals(parent.directory()));
        Optional<String> report = own.map(w -> worktrees.report(java.nio.file.Path.of(w.mainCheckout()), w.name()));
        // the branch while its worktree is kept: one the agent changed nothing in went with the report, branch and all
        Optional<String> branch = own.map(SessionWorktree::branch)
                .filter(b -> !b.isEmpty() && java.nio.file.Files.isDirectory(java.nio.file.Path.of(child.directory())));
        String text = finalText(history).orElse("(the agent finished without a final message)");
        return new Subagents.Result(child.id().value(), child.agent(), text + report.map(r -> "\n\n" + r).orElse(""), report, branch);
    }

    private Subagents.Result run(Session parent, MessageId message, Subagents.Request request, Cancellation cancellation, boolean allowAll,
            ChildTurns children) {
        Prepared prepared = prepare(parent, request);
        Session child = prepared.session();
        recordCall(parent, message, child, request.prompt());
        Optional<Turn.Ending> ended = runChild(parent, prepared, request, cancellation, allowAll, children);
        String id = child.id().value();
        if (ended.isEmpty()) throw new ToolFailure("Task " + id + " is busy (its session is running); wait for it or start a new task without taskId.");
        List<MessageWithParts> history = journal.messages().bySession(child.id());
        return switch (ended.get()) {
            case FINISHED -> {
                Subagents.Result done = finished(parent, child, history);
                // the blocking call shows the worktree's report after the task result, not inside it
                yield new Subagents.Result(id, child.agent(), finalText(history).orElse("(the agent finished without a final message)"), done.worktree(),
                        done.branch());
            }
            case ABORTED -> throw new ToolFailure(cancellation.isCancelled()
                    ? "The task was aborted with this turn before the " + child.agent() + " agent finished (taskId: " + id + ")."
                    : "The user stopped the " + child.agent() + " agent before it finished (taskId: " + id + ").");
            case REJECTED -> throw PermissionRejected.byUser("The user rejected a permission the " + child.agent() + " agent asked for (taskId: " + id
                    + "). Stop and wait for the user's instructions.", Optional.empty());
            // the tree's limit: the parent would reach it at its next step anyway, so it stops here, as limit_reached
            case LIMIT_REACHED -> throw new LimitReached("The " + child.agent() + " agent stopped at a spend limit (taskId: " + id + "): "
                    + lastErrorMessage(history));
            case STOPPED -> throw new ToolFailure("A hook stopped the " + child.agent() + " agent: " + lastError(history) + " (taskId: " + id + ").");
            case PROVIDER_ERROR, FAILED -> throw new ToolFailure("The " + child.agent() + " agent failed: " + lastError(history)
                    + " (taskId: " + id + "). You may retry with the same taskId or do the work yourself.");
        };
    }

    private Session resumed(Session parent, String taskId) {
        Session child = store.find(new SessionId(taskId)).filter(s -> s.parentId().equals(Optional.of(parent.id())))
                .orElseThrow(() -> new ToolFailure("No task " + taskId + " was started by this session; omit taskId to start a new task."));
        // resuming a running background task would take its place (and its cancel) in the registry while it still runs:
        // it would no longer count against agents.maxBackground, and task_cancel could not stop it
        if (background.find(child.id()).filter(e -> e.status() == BackgroundTasks.Status.RUNNING).isPresent()) {
            throw new ToolFailure("Task " + taskId + " is still running in the background: wait for its result, or task_cancel it first.");
        }
        return child;
    }

    private Session created(Session parent, Project project, Subagents.Request request) {
        Agent agent;
        try {
            agent = PromptIntake.agent(project, request.agent(), PromptIntake.AgentScope.SUBAGENT);
        } catch (LatheException.InvalidInput e) {
            throw new ToolFailure(e.getMessage());  // the model asked for it: the model reads why
        }
        long now = System.currentTimeMillis();
        var child = new Session(SessionId.next(), parent.projectId(), parent.directory(), Optional.of(parent.id()),
                request.description() + " (@" + agent.name() + " subagent)", agent.name(), request.model().orElse(PromptIntake.model(agent, parent)), now, now,
                Optional.empty(), Usage.ZERO, 0, Optional.empty(), parent.worktree());
        // the task call's isolation argument, or the agent's own front matter (Claude Code's isolation: worktree)
        if (request.isolation() == Subagents.Isolation.WORKTREE || agent.isolation() == Agent.Isolation.WORKTREE) child = isolated(child, agent);
        created.insert(child, NewSessions.EMPTY);
        return child;
    }

    /** {@code child} moved into a new git worktree of its parent's repository, on a branch of its own. */
    private Session isolated(Session child, Agent agent) {
        WorktreeInfo tree;
        try {
            tree = worktrees.create(java.nio.file.Path.of(child.directory()), Optional.of(agent.name().replaceAll("[^A-Za-z0-9._-]", "-") + "-"
                    + child.id().value().substring(child.id().value().length() - 6).toLowerCase(java.util.Locale.ROOT)), Worktrees.BaseRef.HEAD,
                    child.parentId().map(SessionId::value));
        } catch (LatheException e) {
            throw new ToolFailure("The agent cannot have a worktree of its own: " + e.getMessage());
        }
        Session moved = new Session(child.id(), child.projectId(), tree.path(), child.parentId(), child.title(), child.agent(), child.model(),
                child.createdAt(), child.updatedAt(), child.revert(), child.usage(), child.cost(), child.archivedAt(),
                Optional.of(WorktreeLocation.recorded(tree)));
        // the worktree is a project folder of its own (its config, rules, snapshots)
        return new Session(child.id(), projects.of(moved).id(), tree.path(), child.parentId(), child.title(), child.agent(), child.model(),
                child.createdAt(), child.updatedAt(), child.revert(), child.usage(), child.cost(), child.archivedAt(), moved.worktree());
    }

    /**
     * The text of the last step of the last answer that said something: what the agent reports back. A teammate's
     * message stored after that answer (a team member's turn ended and a message reached it before its report was
     * read; a new turn answers it) does not hide it.
     */
    static Optional<String> finalText(List<MessageWithParts> history) {
        boolean answerSeen = false;
        for (MessageWithParts m : history.reversed()) {
            if (!answerSeen && m.info() instanceof UserMessage && (AgentMessage.marks(m.parts()) || ProcessNote.marks(m.parts()))) continue;
            if (!(m.info() instanceof AssistantMessage)) return Optional.empty();
            answerSeen = true;
            String last = "";
            var step = new StringBuilder();
            for (Part p : m.parts()) {
                if (p instanceof Part.StepStart) step.setLength(0);
                if (p instanceof Part.Text t && !t.synthetic() && !t.text().isBlank()) {
                    if (!step.isEmpty()) step.append("\n\n");
                    step.append(t.text().strip());
                    last = step.toString();
                }
            }
            if (!last.isEmpty()) return Optional.of(last);
        }
        return Optional.empty();
    }

    private static String lastErrorMessage(List<MessageWithParts> history) {
        return lastAnswerError(history).map(MessageError::message).orElse("unknown error");
    }

    private static Optional<MessageError> lastAnswerError(List<MessageWithParts> history) {
        return history.stream().map(MessageWithParts::info).filter(AssistantMessage.class::isInstance).map(AssistantMessage.class::cast)
                .max(Comparator.comparing(AssistantMessage::id)).flatMap(AssistantMessage::error);
    }

    private static String lastError(List<MessageWithParts> history) {
        return lastAnswerError(history).map(e -> e.kind() + ": " + e.message()).orElse("unknown error");
    }
}
