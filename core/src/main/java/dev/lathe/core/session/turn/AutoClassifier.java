package dev.lathe.core.session.turn;

import dev.lathe.core.ask.AutoReview;
import dev.lathe.core.budget.SpendLedger;
import dev.lathe.core.model.ResolvedModel;
import dev.lathe.core.project.Project;
import dev.lathe.core.session.context.LiveProject;
import dev.lathe.core.store.SpendStore;
import dev.lathe.llm.Cancellation;
import dev.lathe.llm.Content;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.LlmMessage;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.ToolChoice;
import dev.lathe.llm.TokenEstimate;
import dev.lathe.llm.TokenUsage;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.UserMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Auto-approval's classifier requests (DESIGN §31), sent the way every request is: the model resolved from the user's
 * providers, admitted by the one spend ledger before it is sent (one that would pass a limit is not sent, and the
 * decision is "unavailable"), its usage added to the session's totals — so {@code lathe stats}, the cost report and the
 * spend limits count it — and its text read back. It writes no message: the classifier is not part of the conversation.
 */
record AutoClassifier(TurnServices services, Session session, LiveProject project) implements AutoReview.Classifier {
    /** A verdict is one short JSON object. */
    private static final int MAX_OUTPUT = 300;

    @Override
    public AutoReview.Reply ask(String modelRef, String system, String user, Cancellation cancellation) {
        Project now = project.now();
        ResolvedModel model = now.models().resolve(modelRef);
        if (model.isAgent()) throw new IllegalStateException(modelRef + " is an ACP agent, not a model a classifier request can be sent to");
        var request = new LlmRequest(model.model().id(), List.of(system), List.of(), List.of(LlmMessage.user(List.of(new Content.Text(user)))), MAX_OUTPUT,
                ToolChoice.NONE, Optional.of(0.0), Optional.empty());
        // its own payer message: a classifier request belongs to no answer of the conversation
        var admission = new TurnBudget(services, session, project).admitUnasked(now, MessageId.next(), model, request);
        if (!(admission instanceof SpendLedger.Admission.Admitted(SpendLedger.Reservation reservation))) {
            throw new IllegalStateException("not sent: it would pass a spend limit");
        }
        try (reservation) {
            var text = new StringBuilder();
            var usage = new TokenUsage[] {null};
            LlmEvent.Finished finished = reservation.send(model.protocol(), model.provider(), request, event -> {
                switch (event) {
                    case LlmEvent.TextDelta d -> text.append(d.text());
                    case LlmEvent.UsageReported u -> usage[0] = u.usage();
                    default -> { }
                }
            }, cancellation);
            TokenUsage used = usage[0] != null ? usage[0] : new TokenUsage(TokenEstimate.of(system + user), TokenEstimate.of(text.toString()), 0, 0, 0);
            long cost = now.models().pricing(model).microDollars(used);
            long tokens = used.input() + used.output() + used.cacheWrite();
            reservation.settle(new SpendStore.Spent(cost, tokens));
            // counted in the session's totals (stats, cost report, spend limits) before the ledger lets go of it
            services.usage(session, new Usage(used.input(), used.output(), used.reasoning(), used.cacheRead(), used.cacheWrite()), cost);
            if (finished.error().isPresent()) throw new IllegalStateException(finished.error().get().message());
            return new AutoReview.Reply(text.toString(), used.input() + used.output(), cost);
        }
    }

    /** The user's own words in {@code history}: the text a person typed, never a synthetic part (a file, a reminder) nor the agent's. */
    static List<String> userWords(List<MessageWithParts> history) {
        List<String> out = new ArrayList<>();
        for (MessageWithParts m : history) {
            if (!(m.info() instanceof UserMessage)) continue;
            var sb = new StringBuilder();
            for (Part p : m.parts()) if (p instanceof Part.Text t && !t.synthetic()) sb.append(t.text()).append('\n');
            if (!sb.isEmpty()) out.add(sb.toString().strip());
        }
        return out;
    }
}
