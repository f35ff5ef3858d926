package dev.lathe.core.session;

import dev.lathe.core.budget.BudgetAsk;
import dev.lathe.core.budget.BudgetReport;
import dev.lathe.core.budget.Budgets;
import dev.lathe.core.context.ContextBudget;
import dev.lathe.core.model.ResolvedModel;
import dev.lathe.core.project.Project;
import dev.lathe.llm.Cancellation;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.event.BudgetAsks;
import dev.lathe.protocol.session.MessageError;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A turn's side of the spend limits and the budget (decision 119): the check before each step, which asks when a limit
 * is reached ({@link BudgetAsk}) and says whether the turn goes on; the note a turn adds to the prompt it answers; the
 * {@code budget} tool's port. The prompt's note is written once, before the turn's first request, at the end of the
 * newest user message: where the conversation grows, never in the system blocks or the first message, so every request
 * still starts with the bytes of the one before it (DESIGN §7).
 */
final class TurnBudget {
    private final TurnServices services;
    private final Session session;

    TurnBudget(TurnServices services, Session session) {
        this.services = services;
        this.session = session;
    }

    /**
     * Before a step: empty while every limit {@code project} configures holds (raised or lifted by the user's answers);
     * otherwise the error the turn stops with — the user rejected the ask, or ({@link MessageError#aborted}) aborted the
     * turn while it waited. {@code projects} is the configuration as it is now, read again after an answer; {@code hooks}
     * are told when the ask waits ({@code Notification}).
     */
    Optional<MessageError> check(java.util.function.Supplier<Project> projects, MessageId message, Cancellation cancellation,
            dev.lathe.core.ask.AskHooks hooks) {
        Project project = projects.get();
        if (!project.config().limits().capsSpend()) return Optional.empty();
        var ask = new BudgetAsk(services.budgets(), services.broker(), services.journal(), services.decisions(), hooks);
        Optional<Budgets.Reached> reached = services.budgets().reached(session, project.config().limits(), inFlight(message));
        while (reached.isPresent()) {
            Budgets.Reached r = reached.get();
            switch (ask.ask(session, message, r, () -> services.budgets().reached(session, projects.get().config().limits(), inFlight(message)),
                    cancellation)) {
                case RAISED, LIFTED, AGAIN -> { }
                case ABORTED -> {
                    return Optional.of(MessageError.aborted());
                }
                case STOPPED -> {
                    String key = r.limit().configKey();
                    return Optional.of(new MessageError(BudgetAsks.ERROR_KIND, "Stopped at the spend limit: " + r.summary() + " (" + key
                            + "). To go on, raise " + key + " in lathe.json, or send a prompt and answer the limit's ask with allow once."));
                }
            }
            project = projects.get();
            reached = services.budgets().reached(session, project.config().limits(), inFlight(message));
        }
        return Optional.empty();
    }

    /**
     * Before the turn's first request: the budget note at the end of {@code prompt} (a synthetic part), when a limit is
     * configured or the context is half way to compaction; nothing otherwise, and then nothing is read from the store.
     */
    void note(Project project, ResolvedModel model, MessageId prompt, MessageId message) {
        List<MessageWithParts> history = services.journal().history(session.id());
        long used = StoredHistory.lastPromptTokens(history);
        ContextBudget context = ContextBudget.of(model.model());
        boolean halfFull = context.known() && used * 2 >= context.promptLimit();
        if (!project.config().limits().capsSpend() && !halfFull) return;
        String text = report(project, model, message, history).note();
        services.journal().part(session.directory(), new Part.Text(PartId.next(), session.id(), prompt, text, true));
    }

    /** The {@code budget} tool's port for a step of {@code message} answered by {@code model}: the figures when it is called. */
    dev.lathe.tools.Budget port(Project project, ResolvedModel model, MessageId message) {
        return () -> report(project, model, message, services.journal().history(session.id())).text();
    }

    private BudgetReport report(Project project, ResolvedModel model, MessageId message, List<MessageWithParts> history) {
        var standings = services.budgets().standings(session, project.config().limits(), inFlight(message, history));
        boolean priced = !project.models().pricing(model).equals(dev.lathe.llm.Pricing.UNKNOWN);
        return new BudgetReport(StoredHistory.lastPromptTokens(history), ContextBudget.of(model.model()), standings, priced);
    }

    private Budgets.InFlight inFlight(MessageId message) {
        return inFlight(message, services.journal().history(session.id()));
    }

    /** {@code message}'s steps so far as the turn holds them (its last one may not be committed yet). */
    private static Budgets.InFlight inFlight(MessageId message, List<MessageWithParts> history) {
        List<Part.StepFinish> steps = new ArrayList<>();
        for (MessageWithParts m : history.reversed()) {
            if (!m.info().id().equals(message)) continue;
            for (Part p : m.parts()) if (p instanceof Part.StepFinish f) steps.add(f);
            break;
        }
        return new Budgets.InFlight(message, steps);
    }
}
