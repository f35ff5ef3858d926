package dev.lathe.core.session;

import dev.lathe.core.imports.NewSessions;

import dev.lathe.core.agent.Agent;
import dev.lathe.core.model.ModelException;
import dev.lathe.core.model.ResolvedModel;
import dev.lathe.core.project.Project;
import dev.lathe.core.store.SessionStore;
import dev.lathe.llm.Cancellation;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.InputPart;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.MessageError;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionWorktree;
import dev.lathe.protocol.session.UserMessage;
import dev.lathe.protocol.session.Usage;
import dev.lathe.tools.PermissionRejected;
import dev.lathe.tools.Subagents;
import dev.lathe.tools.ToolFailure;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@code task} tool's subagents as child sessions (DESIGN §11): a child has the parent as {@code parentId}, the
 * parent's folder, the subagent as its agent, and the agent's model or else the parent's. Its turn runs on the calling
 * tool's virtual thread as the child runner's occupation (so the child shows busy, then idle, and can be aborted on its
 * own), with a cancel token that the parent's abort cancels too. Permissions are the child's rules and the parent's at
 * once ({@link Turn} asks {@link #rules}). The parent's assistant message records a {@code Subtask} part naming the
 * child; the parent gets only the child's final text. A child's usage and cost stay on the child's session.
 */
final class Subtasks {
    private final SessionStore store;
    private final NewSessions created;
    private final Journal journal;
    private final PromptIntake intake;
    private final Function<Session, Project> projects;
    private final dev.lathe.core.worktree.Worktrees worktrees;

    /**
     * Built before the turn services and the runners, which it needs only when a task runs: the turn that makes the
     * call hands them over ({@link ChildTurns}).
     */
    Subtasks(SessionStore store, NewSessions created, Journal journal, PromptIntake intake, Function<Session, Project> projects, dev.lathe.core.worktree.Worktrees worktrees) {
        this.worktrees = worktrees;
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
            return _ -> {
                throw new ToolFailure("A subagent cannot start subagents: do this work yourself with the other tools.");
            };
        }
        return request -> run(parent, message, request, cancellation, allowAll, children);
    }

    /**
     * The rule sets a session's tool calls are held to: those of {@code agent} (the agent of the message being
     * answered), and for a child its parent's agent's too.
     */
    static List<dev.lathe.core.permission.Ruleset> rules(Project project, Session session, Agent agent, Journal journal) {
        List<dev.lathe.core.permission.Ruleset> out = new ArrayList<>();
        out.add(project.rulesFor(agent));
        session.parentId().flatMap(journal::find).ifPresent(parent -> out.add(project.rulesFor(parent.agent())));
        return out;
    }

    private Subagents.Result run(Session parent, MessageId message, Subagents.Request request, Cancellation cancellation, boolean allowAll,
            ChildTurns children) {
        Session child = request.taskId().isPresent() ? resumed(parent, request.taskId().get()) : created(parent, projects.apply(parent), request);
        // a child in its own worktree (DESIGN §19) works on that folder's project: its tools, sandbox and snapshots are there
        Project project = child.directory().equals(parent.directory()) ? projects.apply(parent) : projects.apply(child);
        ResolvedModel model;
        try {
            model = project.models().resolve(child.model());
        } catch (ModelException e) {
            throw new ToolFailure("The " + child.agent() + " agent's model cannot be used: " + e.getMessage());
        }
        journal.of(parent).part(new Part.Subtask(PartId.next(), parent.id(), message, child.id(), child.agent(), request.prompt()));
        Optional<Turn.Ending> ended = children.run(child.id(), (turn, token) -> {
            try (AutoCloseable _ = cancellation.onCancel(token::cancel)) {
                // the same intake as a prompt through the API: message, environment note on the first (a task's child keeps its name)
                UserMessage user = intake.store(child, project, child.agent(), child.model(), List.of(new InputPart.Text(request.prompt())),
                        PromptIntake.AgentScope.SUBAGENT, stored -> {
                            if (allowAll) turn.broker().allowAll(stored);
                        }).user();
                new TurnHooks(turn.hooks(), journal, child, List::of).subagentStarting(
                        TurnHooks.scope(child, project, Secrets.of(project, Optional.of(model)), allowAll), user.id());
                return new Turn(turn, () -> project, child, model, token, turn.approvals(project.id(), parent.id())).run(user);
            } catch (RuntimeException e) {
                // a broken child is the parent's tool error, never the parent's crash
                System.getLogger(Subtasks.class.getName()).log(System.Logger.Level.ERROR, "subagent " + child.id() + " failed", e);
                journal.of(child).publish(new Event.SessionErrored(child.id(), TurnError.of(e).because(String.valueOf(e.getMessage()))));
                return Turn.Ending.FAILED;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        String id = child.id().value();
        if (ended.isEmpty()) throw new ToolFailure("Task " + id + " is busy (its session is running); wait for it or start a new task without taskId.");
        List<MessageWithParts> history = journal.messages().bySession(child.id());
        return switch (ended.get()) {
            case FINISHED -> {
                var own = child.worktree().filter(w -> !child.directory().equals(parent.directory()));
                Optional<String> report = own.map(w -> worktrees.report(java.nio.file.Path.of(w.mainCheckout()), w.name()));
                // the branch while its worktree is kept: one the agent changed nothing in went with the report, branch and all
                Optional<String> branch = own.map(SessionWorktree::branch)
                        .filter(b -> !b.isEmpty() && java.nio.file.Files.isDirectory(java.nio.file.Path.of(child.directory())));
                yield new Subagents.Result(id, child.agent(), finalText(history).orElse("(the agent finished without a final message)"), report, branch);
            }
            case ABORTED -> throw new ToolFailure(cancellation.isCancelled()
                    ? "The task was aborted with this turn before the " + child.agent() + " agent finished (taskId: " + id + ")."
                    : "The user stopped the " + child.agent() + " agent before it finished (taskId: " + id + ").");
            case REJECTED -> throw PermissionRejected.byUser("The user rejected a permission the " + child.agent() + " agent asked for (taskId: " + id
                    + "). Stop and wait for the user's instructions.", Optional.empty());
            // the tree's limit: the parent would reach it at its next step anyway, so it stops here, as limit_reached
            case LIMIT_REACHED -> throw new dev.lathe.tools.LimitReached("The " + child.agent() + " agent stopped at a spend limit (taskId: " + id + "): "
                    + lastErrorMessage(history));
            case STOPPED -> throw new ToolFailure("A hook stopped the " + child.agent() + " agent: " + lastError(history) + " (taskId: " + id + ").");
            case PROVIDER_ERROR, FAILED -> throw new ToolFailure("The " + child.agent() + " agent failed: " + lastError(history)
                    + " (taskId: " + id + "). You may retry with the same taskId or do the work yourself.");
        };
    }

    private Session resumed(Session parent, String taskId) {
        return store.find(new SessionId(taskId)).filter(s -> s.parentId().equals(Optional.of(parent.id())))
                .orElseThrow(() -> new ToolFailure("No task " + taskId + " was started by this session; omit taskId to start a new task."));
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
                request.description() + " (@" + agent.name() + " subagent)", agent.name(), PromptIntake.model(agent, parent), now, now,
                Optional.empty(), Usage.ZERO, 0, Optional.empty(), parent.worktree());
        // the task call's isolation argument, or the agent's own front matter (Claude Code's isolation: worktree)
        if (request.isolation() == Subagents.Isolation.WORKTREE || agent.isolation() == Agent.Isolation.WORKTREE) child = isolated(child, agent);
        created.insert(child, NewSessions.EMPTY);
        return child;
    }

    /** {@code child} moved into a new git worktree of its parent's repository, on a branch of its own. */
    private Session isolated(Session child, Agent agent) {
        dev.lathe.protocol.api.WorktreeInfo tree;
        try {
            tree = worktrees.create(java.nio.file.Path.of(child.directory()), Optional.of(agent.name().replaceAll("[^A-Za-z0-9._-]", "-") + "-"
                    + child.id().value().substring(child.id().value().length() - 6).toLowerCase(java.util.Locale.ROOT)), dev.lathe.core.worktree.Worktrees.BaseRef.HEAD,
                    child.parentId().map(dev.lathe.protocol.SessionId::value));
        } catch (LatheException e) {
            throw new ToolFailure("The agent cannot have a worktree of its own: " + e.getMessage());
        }
        Session moved = new Session(child.id(), child.projectId(), tree.path(), child.parentId(), child.title(), child.agent(), child.model(),
                child.createdAt(), child.updatedAt(), child.revert(), child.usage(), child.cost(), child.archivedAt(),
                Optional.of(dev.lathe.core.worktree.WorktreeLocation.recorded(tree)));
        // the worktree is a project folder of its own (its config, rules, snapshots)
        return new Session(child.id(), projects.apply(moved).id(), tree.path(), child.parentId(), child.title(), child.agent(), child.model(),
                child.createdAt(), child.updatedAt(), child.revert(), child.usage(), child.cost(), child.archivedAt(), moved.worktree());
    }

    /** The text of the last step of the last answer that said something: what the agent reports back. */
    static Optional<String> finalText(List<MessageWithParts> history) {
        for (MessageWithParts m : history.reversed()) {
            if (!(m.info() instanceof AssistantMessage)) return Optional.empty();
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
