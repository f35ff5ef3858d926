package dev.lathe.core.session;

import dev.lathe.core.sandbox.SandboxLauncher;

import dev.lathe.core.project.Project;
import dev.lathe.core.toolcall.Origin;
import dev.lathe.llm.Cancellation;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.MessageError;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.UserMessage;
import dev.lathe.protocol.wire.WireJson;
import dev.lathe.tools.builtin.Builtins;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A command the user typed ({@code !cmd} in OpenCode), run by the command tool the model's calls use
 * ({@link Builtins#RUN_COMMAND}), through the same tool-call pipeline (as {@link Origin#USER_SHELL}): its own
 * process group, the child environment without provider keys, the tool's 2-minute timeout, output truncated to its
 * tail with the full text saved. It is recorded as OpenCode records it: a user message saying the user ran a tool,
 * then an answer holding a completed {@code bash} tool part, so the model sees command and output on the next prompt.
 * No permission is asked: the user is the one running it.
 */
final class UserShell {
    /** The user message's text: the model reads the tool call that follows as the user's, not its own. */
    static final String NOTE = "The following tool was executed by the user";

    private record Input(String command) {}

    /** Whether {@code m} is the user message of a command the user ran (not a prompt for the model). */
    static boolean isNote(MessageWithParts m) {
        return m.info() instanceof UserMessage && !m.parts().isEmpty() && m.parts().getFirst() instanceof Part.Text t && t.synthetic()
                && t.text().equals(NOTE);
    }

    private final TurnServices services;

    UserShell(TurnServices services) {
        this.services = services;
    }

    /**
     * Runs on the caller's thread, which holds the session's runner ({@code cancel} is its abort); returns the answer
     * with its parts once the command ended.
     */
    MessageWithParts run(Session session, Project project, String agent, String command, Set<String> secrets, Cancellation cancel) {
        Journal journal = services.journal();
        SessionJournal written = journal.of(session);
        boolean first = journal.messages().bySession(session.id()).isEmpty();
        var user = new UserMessage(MessageId.next(), session.id(), System.currentTimeMillis(), agent, session.model());
        List<Part> userParts = new ArrayList<>();
        userParts.add(new Part.Text(PartId.next(), session.id(), user.id(), NOTE, true));
        // the environment goes into the first user message, whichever way it came
        if (first) userParts.add(PromptIntake.environmentNote(session.id(), user.id(), project));
        written.user(user, userParts);

        var answer = new AssistantMessage(MessageId.next(), session.id(), user.id(), agent, session.model(), System.currentTimeMillis(),
                Optional.empty(), Optional.empty(), Optional.empty(), Usage.ZERO, 0);
        written.assistant(answer);
        PartId partId = PartId.next();
        var call = new Part.Tool(partId, session.id(), answer.id(), "user_" + partId.value().substring(PartId.PREFIX.length()), Builtins.RUN_COMMAND,
                new ToolState.Pending(new RawJson(WireJson.write(new Input(command)))));
        try (var runner = services.toolCalls(session, cancel, Origin.USER_SHELL).step(ToolCallRunner.ForStep.userShell(project.directory(), secrets,
                SandboxLauncher.forSession(project.config(), project.host(), project.directory(), project.repoRoot(),
                        () -> List.of(project.rulesFor(agent)), session.id().value(), services.decisions())))) {
            runner.start(call);
            runner.awaitAll();
        }
        long now = System.currentTimeMillis();
        AssistantMessage done = cancel.isCancelled() ? answer.failed(now, MessageError.aborted(), Usage.ZERO, 0)
                : answer.completed(now, "stop", Usage.ZERO, 0);
        written.assistant(done);
        return new MessageWithParts(done, journal.messages().parts(answer.id()));
    }
}
