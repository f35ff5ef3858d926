package dev.lathe.core.session.turn;

import dev.lathe.core.sandbox.SandboxLauncher;

import dev.lathe.core.ask.AskHooks;
import dev.lathe.core.ask.PermissionGate;
import dev.lathe.core.permission.Ruleset;
import dev.lathe.core.project.Project;
import dev.lathe.core.session.inbox.Inbox;
import dev.lathe.core.session.inbox.PromptIntake;
import dev.lathe.core.session.journal.Journal;
import dev.lathe.core.session.journal.SessionJournal;
import dev.lathe.core.toolcall.Origin;
import dev.lathe.llm.Cancellation;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.ShellRequest;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.MessageError;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.UserMessage;
import dev.lathe.protocol.wire.WireJson;
import dev.lathe.tools.Permissions;
import dev.lathe.tools.builtin.Builtins;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A command the user typed ({@code !cmd} in OpenCode), run by the command tool the model's calls use
 * ({@link Builtins#RUN_COMMAND}), through the same tool-call pipeline (as {@link Origin#USER_SHELL}): its own
 * process group, the child environment without provider keys, the tool's 2-minute timeout, output truncated to its
 * tail with the full text saved. It is recorded as OpenCode records it: a user message saying the user ran a tool,
 * then an answer holding a completed {@code bash} tool part, so the model sees command and output on the next prompt.
 * The permission gate decides it with the session's rules as it decides the model's call, and the session's sandbox
 * contains it (DESIGN §30: a person's paths obey the node's rules; on a team server the session's rules are its
 * account's, never the node owner's allow-all): a deny rule refuses it (403, recorded as a refused call). What the rules
 * leave to ask, the user answered by typing it (decision 555). A goal loop's check ({@link ShellRequest#check}, as
 * {@link Origin#GOAL_CHECK}, DESIGN §18: "same permission … as bash") is asked of a client as the model's call would be,
 * and the bash tool's longest timeout applies.
 */
public final class UserShell {
    /** The user message's text: the model reads the tool call that follows as the user's, not its own. */
    static final String NOTE = "The following tool was executed by the user";

    /** The longest the bash tool lets a command run (its {@code timeout} cap): a check is often a whole test suite. */
    private static final int CHECK_TIMEOUT_MS = 600_000;

    private record Input(String command, Optional<Integer> timeout) {}

    /** Whether {@code m} is the user message of a command the user ran (not a prompt for the model). */
    public static boolean isNote(MessageWithParts m) {
        return m.info() instanceof UserMessage && !m.parts().isEmpty() && m.parts().getFirst() instanceof Part.Text t && t.synthetic()
                && t.text().equals(NOTE);
    }

    private final TurnServices services;

    public UserShell(TurnServices services) {
        this.services = services;
    }

    /**
     * Runs on the caller's thread, which holds the session's runner ({@code cancel} is its abort); returns the answer
     * with its parts once the command ended.
     */
    public MessageWithParts run(Session session, Project project, String agent, ShellRequest request, Set<String> secrets, Cancellation cancel) {
        Journal journal = services.journal();
        SessionJournal written = journal.of(session);
        boolean first = journal.messages().bySession(session.id()).isEmpty();
        var user = Inbox.message(session.id(), agent, session.model());
        List<Part> userParts = new ArrayList<>();
        userParts.add(new Part.Text(PartId.next(), session.id(), user.id(), NOTE, true));
        // the environment goes into the first user message, whichever way it came
        if (first) userParts.add(PromptIntake.environmentNote(session.id(), user.id(), project));
        written.user(user, userParts);

        var answer = new AssistantMessage(MessageId.next(), session.id(), user.id(), agent, session.model(), System.currentTimeMillis(),
                Optional.empty(), Optional.empty(), Optional.empty(), Usage.ZERO, 0);
        written.assistant(answer);
        PartId partId = PartId.next();
        String callId = Part.Tool.TYPED_BY_USER + partId.value().substring(PartId.PREFIX.length());
        var input = new Input(request.command(), request.check() ? Optional.of(CHECK_TIMEOUT_MS) : Optional.empty());
        var call = new Part.Tool(partId, session.id(), answer.id(), callId, Builtins.RUN_COMMAND, new ToolState.Pending(new RawJson(WireJson.write(input))));
        Supplier<List<Ruleset>> rules = () -> List.of(project.rulesFor(agent));
        // never allow-all (decision 555): the node's rules as the session's account has them decide, a deny rule included
        Permissions permissions = services.attendedGates(session, project, services.approvals(project.id(), session.id()), cancel)
                .gate(answer.id(), callId, rules, asks(request, project), AskHooks.NONE);
        ToolCallRunner.Outcome outcome;
        var turn = services.toolCalls(session, cancel, request.check() ? Origin.GOAL_CHECK : Origin.USER_SHELL);
        try (var runner = turn.step(ToolCallRunner.ForStep.userShell(turn, project.directory(), permissions, secrets,
                SandboxLauncher.forSession(project.config(), project.host(), project.directory(), project.repoRoot(), rules, session.id().value(),
                        services.decisions())))) {
            runner.start(call);
            outcome = runner.awaitAll();
        }
        long now = System.currentTimeMillis();
        AssistantMessage done = cancel.isCancelled() ? answer.failed(now, MessageError.aborted(), Usage.ZERO, 0)
                : answer.completed(now, "stop", Usage.ZERO, 0);
        written.assistant(done);
        List<Part> parts = journal.messages().parts(answer.id());
        // refused (a deny rule's refusal goes on for a model, DESIGN §26, but a person's command has no model to read it)
        boolean refusedCall = parts.stream().anyMatch(p -> p instanceof Part.Tool t && t.state() instanceof ToolState.Failed f && f.rejection().isPresent());
        if ((outcome == ToolCallRunner.Outcome.REJECTED || refusedCall) && !cancel.isCancelled()) {
            throw refused((request.check() ? "the check `" : "the command `") + request.command() + "`", parts);
        }
        return new MessageWithParts(done, parts);
    }

    /**
     * Who answers what the rules leave to ask. The user's own command: the user, by typing it (Claude Code runs a
     * {@code !} command without asking); a check: a client, or the server when the prompt allowed all and no managed
     * policy forbids that. Never a way around a deny rule.
     */
    private static PermissionGate.Asks asks(ShellRequest request, Project project) {
        if (!request.check()) return PermissionGate.Asks.TYPED_BY_THE_ANSWERER;
        return request.allowAll() && project.config().managed().refusalOfAllowAll().isEmpty() ? PermissionGate.Asks.ALLOWED_IN_ADVANCE
                : PermissionGate.Asks.CLIENT_ANSWERS;
    }

    /**
     * A command or check the permission gate refused (it is in the transcript as a failed call): 403 in the user's words, without
     * the sentence the refusal ends with for the model. A denial's (a deny rule's) is {@code permission_denied}; a
     * rejected ask's (the part carries the user's rejection) {@code permission_rejected}, as a turn that stops there.
     */
    private static LatheException refused(String what, List<Part> parts) {
        Optional<ToolState.Failed> failed = parts.stream().filter(Part.Tool.class::isInstance).map(p -> ((Part.Tool) p).state())
                .filter(ToolState.Failed.class::isInstance).map(ToolState.Failed.class::cast).findFirst();
        // the rejection's own text speaks to the model ("stop and wait for the user's instructions"): the user gets their words
        if (failed.flatMap(ToolState.Failed::rejection).filter(r -> !r.denied()).isPresent()) {
            return new LatheException.Forbidden("permission_rejected", what + " was not run: its permission ask was rejected");
        }
        String why = failed.map(ToolState.Failed::error).orElse("").replace(PermissionGate.GO_ON, "").strip().replaceFirst("\\.$", "");
        return new LatheException.Forbidden("permission_denied", what + " may not run" + (why.isEmpty() ? "" : ": " + why));
    }
}
