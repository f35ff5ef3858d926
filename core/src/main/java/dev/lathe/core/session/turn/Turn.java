package dev.lathe.core.session.turn;

import dev.lathe.core.session.context.LiveProject;
import dev.lathe.core.ask.PermissionGate;
import dev.lathe.core.model.ResolvedModel;
import dev.lathe.core.session.journal.Journal;
import dev.lathe.llm.Cancellation;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.UserMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * One turn: the answer to the latest user message (DESIGN §8), whoever gives it. The turn owns the frame
 * ({@link TurnFrame}: admission and stop hooks, spend limits, the message's lifecycle, snapshots) and runs a
 * {@link Responder} in it: the model's step loop ({@link ModelResponder}) or an ACP agent ({@link AgentResponder},
 * for a model {@code acp/NAME}). Failover between them is decided here, between their answers: a model that fails
 * over to an agent hands it the prompt, already admitted; an agent that fails hands the prompt to its fallback model,
 * whose answer goes through the hooks again as a new turn's did before (DESIGN §7). The switch is a decision between
 * steps: one frame, begun as the turn starts (the tree then is its first step's snapshot), holds every responder's
 * messages, steps and snapshots, so the tree after the model's last step is the agent's first step's. When the turn ends, the
 * prompts it answered are forgotten by the permission broker and the tools' loop guard forgets the session.
 */
public final class Turn {
    /** How the turn ended. */
    public enum Ending {
        FINISHED, PROVIDER_ERROR, REJECTED, ABORTED, FAILED, /** a hook's {@code continue: false} */ STOPPED,
        /** stopped at a spend limit the user would not raise (decision 119), its own or a subagent's */ LIMIT_REACHED
    }

    private final TurnServices services;
    /** The project as its configuration is now ({@code Projects.current}): read before each step and each tool call. */
    private final LiveProject projects;
    private final Session session;
    /** The model the turn starts with: the prompt's (an ACP agent's for {@code acp/NAME}). */
    private final ResolvedModel model;
    private final Cancellation cancellation;
    private final PermissionGate.Approvals approvals;
    /** Who answers now: the frame's hooks read the project as this responder sees it. */
    private Responder answering;

    /**
     * @param projects the session's project as its configuration is now: a config edited while the turn runs applies
     *     from its next step (model and provider settings) and its next tool call (permission rules)
     */
    public Turn(TurnServices services, LiveProject projects, Session session, ResolvedModel model, Cancellation cancellation,
            PermissionGate.Approvals approvals) {
        this.services = services;
        this.projects = projects;
        this.session = session;
        this.model = model;
        this.cancellation = cancellation;
        this.approvals = approvals;
    }

    /** Answers the user message {@code prompt} (the one the runner found unanswered, or a subagent's task just stored), with its agent. */
    public Ending run(UserMessage prompt) {
        List<Responder> ran = new ArrayList<>();
        Responder responder = responder(model);
        // the session's history is read once, here, and kept in memory while the turn runs
        try (Journal.Held _ = services.journal().live(session.id())) {
            answering = responder;
            // the project's tree as the turn starts, for its first step: begun before anything else, so the first edit
            // (which waits for it) rarely does
            var frame = new TurnFrame(services, projects, session, responder.project(), () -> answering.liveProject());
            try {
                return answer(frame, responder, prompt, ran);
            } finally {
                // however the turn ended, nothing it started writes the snapshot folder after it
                frame.snapshots().settle();
            }
        } finally {
            for (Responder r : ran) r.prompts().forEach(services.broker()::forget);
            // repeats count within a turn: the next prompt is the user stepping in, and an idle session holds nothing
            services.tools().loopGuard().forget(session.id().value());
        }
    }

    /** {@code prompt} answered by {@code first}, then by whichever responder a failover hands it to; each is added to {@code ran}. */
    private Ending answer(TurnFrame frame, Responder first, UserMessage prompt, List<Responder> ran) {
        Responder responder = first;
        Responder.Admission admission = Responder.Admission.BY_HOOKS;
        while (true) {
            ran.add(responder);
            answering = responder;
            switch (responder.answer(frame, prompt, admission)) {
                case Responder.Answer.Ended ended -> {
                    return ended.ending();
                }
                case Responder.Answer.ToAgent agent -> {
                    responder = new AgentResponder(services, projects, session, agent.agent(), cancellation, approvals).failedOver(agent.switched());
                    prompt = agent.prompt();
                    admission = Responder.Admission.ADMITTED;
                }
                case Responder.Answer.ToModel fallback -> {
                    responder = responder(fallback.model());
                    prompt = fallback.prompt();
                    admission = Responder.Admission.BY_HOOKS;
                }
            }
        }
    }

    private Responder responder(ResolvedModel answering) {
        return answering.isAgent() ? new AgentResponder(services, projects, session, answering, cancellation, approvals)
                : new ModelResponder(services, projects, session, answering, cancellation, approvals);
    }
}
