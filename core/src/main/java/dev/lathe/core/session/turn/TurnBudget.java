package dev.lathe.core.session.turn;

import dev.lathe.core.ask.AskHooks;
import dev.lathe.core.ask.PermissionGate;
import dev.lathe.core.budget.BudgetAsk;
import dev.lathe.core.session.context.LiveProject;
import dev.lathe.core.budget.BudgetReport;
import dev.lathe.core.budget.Budgets;
import dev.lathe.core.budget.SpendLedger;
import dev.lathe.core.store.SpendStore.Spent;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.Pricing;
import dev.lathe.llm.TokenEstimate;
import dev.lathe.llm.TokenUsage;
import dev.lathe.core.context.ContextBudget;
import dev.lathe.core.model.ResolvedModel;
import dev.lathe.core.project.Project;
import dev.lathe.core.session.journal.StoredHistory;
import dev.lathe.llm.Cancellation;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.event.BudgetAsks;
import dev.lathe.protocol.session.MessageError;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.tools.Budget;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A turn's side of the spend limits and the budget (decision 119): each request admitted by the one spend ledger right
 * before it is sent ({@link SpendLedger}), which asks when a limit would be passed ({@link BudgetAsk}); the note a turn adds to the prompt it answers; the
 * {@code budget} tool's port. The prompt's note is written once, before the turn's first request, at the end of the
 * newest user message: where the conversation grows, never in the system blocks or the first message, so every request
 * still starts with the bytes of the one before it (DESIGN §7).
 */
final class TurnBudget {
    private final TurnServices services;
    private final Session session;

    /** Whether anyone can answer the limit's ask (DESIGN §26), as for the turn's permission asks. */
    private final PermissionGate.Unattended unattended;

    TurnBudget(TurnServices services, Session session, LiveProject live) {
        this.services = services;
        this.session = session;
        this.unattended = new UnattendedAsks(services, session, live);
    }

    /**
     * Right before a request of {@code message} to {@code model} is sent: the ledger admits it (DESIGN §24), holding its
     * estimate, or — when it would pass a limit {@code projects} configures (raised or lifted by the user's answers) —
     * asks ({@link BudgetAsk}) and admits it after a raise; refused with the error the turn stops with when the user
     * rejected the ask, or ({@link MessageError#aborted}) aborted the turn while it waited. {@code projects} is the
     * configuration as it is now, read again after an answer; {@code hooks} are told when the ask waits
     * ({@code Notification}). Only when a limit is configured is the request's size estimated.
     */
    SpendLedger.Admission admit(Project now, Supplier<Project> projects, MessageId message, ResolvedModel model, LlmRequest request,
            Cancellation cancellation, AskHooks hooks) {
        var looks = new StepLooks<>(now, projects);
        Spent estimate = now.config().limits().capsSpend() ? estimate(now, model, request) : Spent.NONE;
        return services.budgets().ledger().admit(payer(looks, message), estimate, looks.asking(asker(message, cancellation, hooks)));
    }

    /**
     * A request nobody waits for (a keep-warm request, decision 505) right before it is sent: admitted as {@link #admit}
     * admits, or refused when it would pass a limit, without asking the user.
     */
    SpendLedger.Admission admitUnasked(Project now, MessageId message, ResolvedModel model, LlmRequest request) {
        Spent estimate = now.config().limits().capsSpend() ? estimate(now, model, request) : Spent.NONE;
        return services.budgets().ledger().admit(payer(() -> now, message), estimate,
                (reached, _) -> Optional.of(new MessageError(BudgetAsks.ERROR_KIND, "not sent: " + reached.summary())));
    }

    /**
     * Where an admission reads the limits: the project the step read just before it ({@code now}, the same decision
     * point: looking at every config file again inside the server-wide ledger's lock found nothing new, and held every
     * other session's admission meanwhile), until an ask waits for the user; from then on the configuration as it is at
     * each look, so a limit raised in {@code lathe.json} while the ask waited is seen.
     */
    static final class StepLooks<P> implements Supplier<P> {
        private final P now;
        private final Supplier<P> live;
        private volatile boolean asked;

        StepLooks(P now, Supplier<P> live) {
            this.now = now;
            this.live = live;
        }

        @Override
        public P get() { return asked ? live.get() : now; }

        /** {@code asker}, after which every look is live. */
        SpendLedger.Asker asking(SpendLedger.Asker asker) {
            return (reached, stillReached) -> {
                asked = true;
                return asker.ask(reached, stillReached);
            };
        }
    }

    /**
     * Before a turn goes on without a request of its own here (an ACP agent's prompt, a compaction's summary asked
     * before it is built): empty while every limit holds, asking as {@link #admit} does; otherwise the error the turn
     * stops with.
     */
    Optional<MessageError> check(Supplier<Project> projects, MessageId message, Cancellation cancellation, AskHooks hooks) {
        if (!projects.get().config().limits().capsSpend()) return Optional.empty();
        return switch (services.budgets().ledger().admit(payer(projects, message), Spent.NONE, asker(message, cancellation, hooks))) {
            case SpendLedger.Admission.Admitted a -> {
                a.reservation().close();
                yield Optional.empty();
            }
            case SpendLedger.Admission.Refused r -> Optional.of(r.error());
        };
    }

    /**
     * What a request is held at until it is answered: its whole prompt as input (as if nothing were cached: a cache may
     * have expired), priced at the model's uncached input price. Its output is unknown until it streams.
     */
    static Spent estimate(Project project, ResolvedModel model, LlmRequest request) {
        long tokens = TokenEstimate.of(request);
        return new Spent(project.models().pricing(model).microDollars(new TokenUsage(tokens, 0, 0, 0, 0)), tokens);
    }

    private SpendLedger.Payer payer(Supplier<Project> projects, MessageId message) {
        return new SpendLedger.Payer(session, message, () -> projects.get().config().limits(), () -> inFlight(message));
    }

    private SpendLedger.Asker asker(MessageId message, Cancellation cancellation, AskHooks hooks) {
        var ask = new BudgetAsk(services.budgets(), services.broker(), services.journal().of(session), services.decisions(), hooks, unattended);
        return (reached, stillReached) -> switch (ask.ask(session, message, reached, stillReached, cancellation)) {
            case RAISED, LIFTED, AGAIN -> Optional.empty();
            case ABORTED -> Optional.of(MessageError.aborted());
            case UNANSWERED -> Optional.of(new MessageError(BudgetAsks.ERROR_KIND, "Stopped at the spend limit: " + reached.summary() + " ("
                    + reached.limit().configKey() + "): nobody could answer its ask (permission.unattended). To go on, raise "
                    + reached.limit().configKey() + " in lathe.json, or prompt the session and answer the limit's ask."));
            case STOPPED -> {
                String key = reached.limit().configKey();
                yield Optional.of(new MessageError(BudgetAsks.ERROR_KIND, "Stopped at the spend limit: " + reached.summary() + " (" + key
                        + "). To go on, raise " + key + " in lathe.json, or send a prompt and answer the limit's ask with allow once."));
            }
        };
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
        services.journal().of(session).part(new Part.Text(PartId.next(), session.id(), prompt, text, true));
    }

    /** The {@code budget} tool's port for a step of {@code message} answered by {@code model}: the figures when it is called. */
    Budget port(Project project, ResolvedModel model, MessageId message) {
        return () -> report(project, model, message, services.journal().history(session.id())).text();
    }

    private BudgetReport report(Project project, ResolvedModel model, MessageId message, List<MessageWithParts> history) {
        var standings = services.budgets().standings(session, project.config().limits(), inFlight(message, history));
        boolean priced = !project.models().pricing(model).equals(Pricing.UNKNOWN);
        return new BudgetReport(StoredHistory.lastPromptTokens(history), ContextBudget.of(model.model()), standings, priced);
    }

    /** {@code message}'s steps so far, read from that message alone (not a copy of the history: every admission asks). */
    private Budgets.InFlight inFlight(MessageId message) {
        return inFlight(message, services.journal().message(session.id(), message).map(List::of).orElse(List.of()));
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
