package dev.lathe.core.session.inbox;

import dev.lathe.core.agent.Agent;
import dev.lathe.core.agent.BuiltinAgents;
import dev.lathe.core.budget.BudgetReport;
import dev.lathe.core.context.Environment;
import dev.lathe.core.mcp.McpContent;
import dev.lathe.core.model.ModelException;
import dev.lathe.core.model.ResolvedModel;
import dev.lathe.core.project.Project;
import dev.lathe.core.session.context.Secrets;
import dev.lathe.core.session.journal.Journal;
import dev.lathe.core.toolcall.SecretMask;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.InputPart;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.PermissionMode;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.session.HeadlessPrompt;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.PromptQueued;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.UserMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a prompt enters a session, written once for the two ways one arrives: a person's (or client's) prompt through
 * the API ({@link dev.lathe.core.session.Sessions#prompt}) and a {@code task} tool call's prompt to its child session ({@link dev.lathe.core.session.turn.Subtasks}).
 * It decides which agent answers ({@link #agent}), which model ({@link #model}), what the user message holds (the
 * typed parts, a note per mentioned subagent, the environment note on a session's first message: DESIGN §7) and
 * whether the prompt names the session (DESIGN §18 "Titles"), then stores the message.
 *
 * <p>Contract: request shape (missing fields, {@code null}s) was checked where the request entered, by the server's
 * request decoding or by the task tool's argument check; here only meaning is checked: an agent that does not exist or
 * may not answer here, a model that cannot be used. Those answer {@link LatheException.InvalidInput}; the task tool's
 * caller turns that into the tool's error. Storing publishes the message and its parts; nothing here waits for a turn.
 */
public final class PromptIntake {
    private final Journal journal;

    public PromptIntake(Journal journal) {
        this.journal = journal;
    }

    /** Which agents may answer a session's prompts, by who drives the session. */
    public enum AgentScope {
        /** A top-level session, driven by a person: primary agents only. */
        PRIMARY,
        /** A child session made through the API ({@code parentId} given): any agent. */
        ANY,
        /** A {@code task} tool's child session: subagents only, as the task tool describes them to the model. */
        SUBAGENT;

        public static AgentScope of(Optional<SessionId> parent) { return parent.isPresent() ? ANY : PRIMARY; }
    }

    /** The agent called {@code name}, which must exist and be one {@code scope} allows. */
    public static Agent agent(Project project, String name, AgentScope scope) {
        var agents = project.agents();
        Optional<Agent> found = agents.find(name);
        return switch (scope) {
            case PRIMARY -> {
                Agent agent = found.orElseThrow(() -> unknown(name, agents.primary()));
                if (!agent.primary()) {
                    throw new LatheException.InvalidInput("agent '" + name + "' is a subagent: it runs tasks for another agent (the task tool), not a "
                            + "session of its own; primary agents: " + names(agents.primary()));
                }
                yield agent;
            }
            case ANY -> found.orElseThrow(() -> unknown(name, agents.all()));
            case SUBAGENT -> found.filter(Agent::subagent).orElseThrow(() -> new LatheException.InvalidInput("Unknown subagent '" + name
                    + "'. Available: " + String.join(", ", agents.subagents().stream().map(Agent::name).sorted().toList()) + "."));
        };
    }

    /**
     * The model a prompt is answered with: the one the prompt chose, else the agent's own when it has one, else the
     * session's ({@code current}; for a new child session, its parent's). A chosen model and an agent's own model
     * other than {@code current} must resolve; {@code current} is resolved by the turn.
     */
    public static String model(Project project, Optional<String> chosen, Agent agent, String current) {
        chosen.ifPresent(m -> resolve(project, m));
        String model = chosen.or(agent::model).orElse(current);
        if (chosen.isEmpty() && !model.equals(current)) {
            try {
                project.models().resolve(model);
            } catch (ModelException e) {
                throw new LatheException.InvalidInput("the " + agent.name() + " agent's model " + model + " cannot be used: " + e.getMessage());
            }
        }
        return model;
    }

    /**
     * The model a prompt that runs with the session's own ({@code model} is {@code current}) is answered with: that one
     * when it can be used here; else, with a notice saying so and why, the folder's model ({@code model} in config,
     * else the default of the first provider with a key), so an imported session recorded with a provider this user
     * has no key for, or a session whose key is gone, goes on. Refused with both reasons, before anything is stored,
     * when neither can be used: a prompt is never accepted for a turn that cannot reach a model (issue 53).
     */
    /**
     * {@code project}, once {@code request} may be run there: a prompt that answers every ask in advance ({@code allowAll},
     * {@code lathe run --allow-all}) is refused where the administrator's {@code disableAllowAll} forbids it (DESIGN §29),
     * naming the managed setting, before anything is stored or sent.
     */
    /**
     * {@code request} as its {@code mode} asks (DESIGN §31): {@code plan} runs it as the {@code plan} agent; refused when the
     * mode contradicts the request's own {@code agent} or {@code auto}, rather than guessing which the client meant.
     */
    public static PromptRequest inMode(PromptRequest request) {
        if (request.mode().isEmpty()) return request;
        PermissionMode mode = request.mode().get();
        if (request.auto() && mode != PermissionMode.AUTO) {
            throw new LatheException.InvalidInput("auto: true contradicts mode " + mode.wire() + ": send one of them");
        }
        if (mode != PermissionMode.PLAN) return request;
        if (request.agent().filter(a -> !a.equals(BuiltinAgents.PLAN)).isPresent()) {
            throw new LatheException.InvalidInput("mode plan runs the plan agent, not " + request.agent().get() + ": send one of them");
        }
        return new PromptRequest(request.parts(), Optional.of(BuiltinAgents.PLAN), request.model(), request.allowAll(), request.delivery(), request.unattended(),
                request.denyAsks(), request.headless(), request.auto(), request.mode());
    }

    public static Project permitted(Project project, PromptRequest request) {
        if (request.allowAll()) project.config().managed().refusalOfAllowAll().ifPresent(why -> { throw new LatheException.InvalidInput(why); });
        return project;
    }

    public static Continuing usable(Project project, String model, String current) {
        if (!model.equals(current)) return new Continuing(model, Optional.empty());
        String why;
        try {
            project.models().resolve(model);
            return new Continuing(model, Optional.empty());
        } catch (ModelException e) {
            why = e.getMessage();
        }
        Optional<String> configured = project.config().model();
        Optional<String> folders = configured.or(() -> project.models().defaultModel()).filter(m -> !m.equals(current));
        String which = configured.isPresent() ? "the folder's configured model" : "the default model";
        if (folders.isEmpty()) {
            throw new LatheException.InvalidInput("the session's model " + current + " cannot be used here: " + why
                    + "; choose another model for the prompt (lathe run --model PROVIDER/MODEL, /model in the terminal UI)");
        }
        try {
            project.models().resolve(folders.get());
        } catch (ModelException e) {
            throw new LatheException.InvalidInput("the session's model " + current + " cannot be used here: " + why + "; nor can " + which + " "
                    + folders.get() + ": " + e.getMessage() + "; choose a model for the prompt (lathe run --model PROVIDER/MODEL)");
        }
        return new Continuing(folders.get(), Optional.of("the session's model " + current + " cannot be used here (" + why + "); it goes on with "
                + which + ", " + folders.get()));
    }

    /** The model a prompt runs with, and what to tell the user about it once (a model other than the session's). */
    public record Continuing(String model, Optional<String> notice) {}

    /** The model a task's child session runs with: the subagent's own, else its parent's (resolved when the task runs). */
    public static String model(Agent agent, Session parent) {
        return agent.model().orElse(parent.model());
    }

    /** {@code model} ({@code provider/model}) ready to call. @throws LatheException.InvalidInput saying why it cannot be used */
    public static ResolvedModel resolve(Project project, String model) {
        try {
            return project.models().resolve(model);
        } catch (ModelException e) {
            throw new LatheException.InvalidInput(e.getMessage());
        }
    }

    /** The user message stored and the session as it is after (renamed by its first prompt, or as it was). */
    public record Stored(UserMessage user, Session session) {
        public MessageId message() { return user.id(); }
    }

    /**
     * Stores {@code input} as {@code session}'s next user message, answered by {@code agent} with {@code model}: the
     * typed parts, a note per subagent a top-level prompt mentions, and on the session's first message the environment
     * note; a first prompt's first line names the session, except a task's child, which its task already named.
     * {@code beforeStored} runs with the message id before the message is stored (a running turn may take it up as
     * soon as it is).
     */
    public Stored store(Session session, Project project, String agent, String model, List<InputPart> input, AgentScope scope,
            java.util.function.Consumer<MessageId> beforeStored) {
        return store(session, project, agent, model, input, List.of(), scope, beforeStored);
    }

    /**
     * As above, with the MCP resources the prompt mentions ({@code @NAME:uri}, read by the caller) after the typed
     * parts: each as a synthetic text part (its {@code <resource>} blocks) and a file part per image or PDF
     * ({@code data:} URL), which the model receives as an image where the typed prompt is.
     */
    public Stored store(Session session, Project project, String agent, String model, List<InputPart> input, List<McpContent.Attached> resources,
            AgentScope scope, java.util.function.Consumer<MessageId> beforeStored) {
        return store(session, project, agent, model, input, resources, scope, Waiting.NO, beforeStored);
    }

    /** Whether a prompt waits behind the turn running when it is stored ({@code "delivery": "queue"}, DESIGN §18). */
    public enum Waiting {
        /** It may join the running turn at its next step boundary, or starts a turn when none runs. */
        NO,
        /** It carries {@link PromptQueued}'s mark, in the same write: the running turn never sees it unmarked. */
        BEHIND_TURN
    }

    /** As above; a prompt {@code waiting} behind a running turn is stored with the queued mark. */
    public Stored store(Session session, Project project, String agent, String model, List<InputPart> input, List<McpContent.Attached> resources,
            AgentScope scope, Waiting waiting, java.util.function.Consumer<MessageId> beforeStored) {
        SessionId id = session.id();
        boolean first = !journal.messages().hasMessages(id);
        var message = Inbox.message(id, agent, model);
        List<Part> parts = new ArrayList<>();
        for (InputPart p : input) {
            parts.add(switch (p) {
                case InputPart.Text t -> new Part.Text(PartId.next(), id, message.id(), t.text(), t.synthetic());
                case InputPart.File f -> new Part.File(PartId.next(), id, message.id(), f.mime(), f.name(), f.url());
            });
        }
        for (McpContent.Attached r : resources) {
            parts.add(new Part.Text(PartId.next(), id, message.id(), r.text(), true));
            for (var f : r.files()) parts.add(new Part.File(PartId.next(), id, message.id(), f.mime(), f.name(), f.url()));
        }
        if (session.parentId().isEmpty()) {
            for (InputPart p : input) {
                if (!(p instanceof InputPart.Text t) || t.synthetic()) continue;
                for (String mentioned : AgentMentions.of(t.text(), project.agents(), project.directory())) {
                    parts.add(new Part.Text(PartId.next(), id, message.id(), AgentMentions.instruction(mentioned), true));
                }
            }
        }
        Session now = session;
        if (first) {
            parts.add(environmentNote(id, message.id(), project));
            // a title the creator gave (the web UI's new-session dialog, POST /sessions {title}) is kept
            boolean untitled = SessionTitles.untitled(session.title());
            // masked before it is stored: a title is listed, announced and exported (issue 79)
            String title = scope == AgentScope.SUBAGENT || !untitled ? ""
                    : SessionTitles.masked(title(input), SecretMask.of(Secrets.of(project, model)));
            if (!title.isEmpty()) {
                now = session.withTitle(title, System.currentTimeMillis());
                journal.session(now);
            }
        }
        if (waiting == Waiting.BEHIND_TURN) parts.add(new Part.Text(PartId.next(), id, message.id(), PromptQueued.TEXT, true));
        beforeStored.accept(message.id());
        journal.of(session).user(message, parts);
        return new Stored(message, now);
    }

    /**
     * What {@code request} asks to store: its parts, and, on a session's first prompt from a client that cannot answer
     * questions ({@link PromptRequest#headless}), {@link HeadlessPrompt}'s mark after them (decision 494).
     */
    public static List<InputPart> parts(PromptRequest request, boolean first) {
        if (!first || !request.headless()) return request.parts();
        List<InputPart> parts = new ArrayList<>(request.parts());
        parts.add(InputPart.Text.ofLathe(HeadlessPrompt.TEXT));
        return parts;
    }

    /** The synthetic part that tells the model where it works; it goes into a session's first user message, however it came. */
    public static Part.Text environmentNote(SessionId session, MessageId message, Project project) {
        return new Part.Text(PartId.next(), session, message, Environment.describe(project.directory(), project.repoRoot(),
                BudgetReport.limitsLine(project.config().limits()).stream().toList()), true);
    }

    /**
     * A session's title from its first prompt: the first line of the first text the user wrote (not Lathe's own) that is
     * not blank, at most 60 characters.
     */
    static String title(List<InputPart> input) {
        for (InputPart p : input) {
            if (p instanceof InputPart.Text t && !t.synthetic() && !t.text().isBlank()) {
                String line = t.text().strip().lines().findFirst().orElse("").strip();
                return line.length() <= 60 ? line : line.substring(0, 57) + "...";
            }
        }
        return "";
    }

    private static LatheException unknown(String name, List<Agent> usable) {
        return new LatheException.InvalidInput("unknown agent '" + name + "'; available: " + names(usable));
    }

    private static String names(List<Agent> agents) {
        return String.join(", ", agents.stream().map(Agent::name).toList());
    }
}
