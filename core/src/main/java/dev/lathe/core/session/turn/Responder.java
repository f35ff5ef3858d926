package dev.lathe.core.session.turn;

import dev.lathe.core.model.ResolvedModel;
import dev.lathe.core.project.Project;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.UserMessage;
import java.util.List;
import java.util.Optional;

/**
 * Who answers a turn's prompt inside the {@link Turn} that owns its frame: a model, step by step
 * ({@link ModelResponder}), or an ACP agent that runs its own tools ({@link AgentResponder}). A responder writes its
 * answer through the frame it is given and says how it ended, or that another should answer instead (failover,
 * DESIGN §7): the turn decides between responders, they never build each other, and the one that takes over answers in
 * the same frame.
 */
sealed interface Responder permits ModelResponder, AgentResponder {
    /** Answers {@code prompt} inside {@code frame}; {@code admission} says whether the prompt's hooks admit it first. */
    Answer answer(TurnFrame frame, UserMessage prompt, Admission admission);

    /** The project the responder started with: its snapshots hold the tree before and after each step. */
    Project project();

    /** The project as its configuration is now (the frame's hooks read their instructions from it). */
    Project liveProject();

    /** The prompts this responder answered: their {@code allowAll} is forgotten when the turn ends. */
    List<MessageId> prompts();

    /** Whether the prompt goes through {@code SessionStart} and {@code UserPromptSubmit} hooks before it is answered. */
    enum Admission {
        BY_HOOKS,
        /** A responder that failed over admitted it already: its hooks do not run twice. */
        ADMITTED
    }

    /** How a responder's answer ended. */
    sealed interface Answer {
        record Ended(Turn.Ending ending) implements Answer {}

        /**
         * The model failed over to an ACP agent (its message closed): the agent answers {@code prompt}, admitted already,
         * and records {@code switched} (from what, and why) in its own message; it does not fail over again.
         */
        record ToAgent(ResolvedModel agent, Optional<Part.ModelSwitch> switched, UserMessage prompt) implements Answer {}

        /** The ACP agent failed (it could not start, died, answered with an error): {@code model}, a fallback, answers {@code prompt}. */
        record ToModel(ResolvedModel model, UserMessage prompt) implements Answer {}
    }
}
