package dev.lathe.core.budget;

import dev.lathe.core.config.Config;
import dev.lathe.core.store.SpendStore.Spent;
import dev.lathe.llm.Cancellation;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.LlmSink;
import dev.lathe.llm.Protocol;
import dev.lathe.llm.Provider;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.MessageError;
import dev.lathe.protocol.session.Session;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The one spend ledger (DESIGN §24): every model request — a session's step, a subagent's or teammate's, a retry, a
 * failover, a compaction's summary — is admitted here before it is sent, and only a {@link Reservation} this ledger
 * handed out can send it ({@link Reservation#send}; {@code SpendLedgerRuleTest} fails on any other call of
 * {@link Protocol#stream}).
 *
 * <p>Admission is atomic: under one lock the ledger adds what the store holds, what is held here — the estimates of
 * requests being answered, and the spend of responses that ended but whose step is not written yet (a parent's step
 * whose subagents are still running is one) — and the new request's estimate; when that would pass a limit the request
 * is not sent and the caller's ask runs ({@link Asker}: the limit's ask of {@link BudgetAsk}), otherwise the estimate is
 * held at once, so parallel subagents of one tree reserve against the same limit one after the other. A response
 * {@link Reservation#settle settles} with what it consumed (reported usage, or an estimate) as soon as it ends, before
 * its tool calls run; the amount is dropped from the ledger once the step that records it is committed
 * ({@link Reservation#releaseWhen}), when the store counts it instead.
 *
 * <p>What it does not hold: requests of other server nodes (each node has its own ledger; they meet in the store), and a
 * response's output before it streams (the estimate is the request's input, as if none of it were cached: output is
 * unknown until it arrives, so one response can pass a limit by its output; no request is sent after it).
 */
public final class SpendLedger {
    /** An amount held: a request's estimate while it is answered, then what it consumed until its step is written. */
    private record Held(SessionId root, String directory, MessageId message, long at, Spent spent) {}

    /** Who pays for a request: the session, the answer it writes, and that answer's steps so far as the turn holds them. */
    public record Payer(Session session, MessageId message, Supplier<Config.LimitsConfig> limits,
            Supplier<Budgets.InFlight> inFlight) {}

    /** What the caller does about a limit the request would pass: empty to check again, or the error the request ends with. */
    @FunctionalInterface
    public interface Asker {
        Optional<MessageError> ask(Budgets.Reached reached, Supplier<Optional<Budgets.Reached>> stillReached);
    }

    /** The ledger's answer to a request: admitted with its reservation, or refused with the error the turn ends with. */
    public sealed interface Admission {
        record Admitted(Reservation reservation) implements Admission {}

        record Refused(MessageError error) implements Admission {}
    }

    private final Budgets budgets;
    private final Clock clock;
    /** Guarded by {@code this}. */
    private final Map<Long, Held> held = new HashMap<>();
    private long next;

    SpendLedger(Budgets budgets, Clock clock) {
        this.budgets = budgets;
        this.clock = clock;
    }

    /**
     * Admits a request of {@code payer} estimated at {@code estimate}: holds it and returns its reservation, or — when
     * what is spent and held plus the estimate would pass a limit — asks {@code asker} (on the caller's thread, outside
     * the lock) and tries again after a raise. Called on the turn's thread right before the request is sent.
     */
    public Admission admit(Payer payer, Spent estimate, Asker asker) {
        while (true) {
            Optional<Budgets.Reached> reached;
            synchronized (this) {
                reached = budgets.reached(payer.session(), payer.limits().get(), payer.inFlight().get(), estimate);
                if (reached.isEmpty()) return new Admission.Admitted(hold(payer, estimate));
            }
            Optional<MessageError> stop = asker.ask(reached.get(), () -> {
                synchronized (this) {
                    return budgets.reached(payer.session(), payer.limits().get(), payer.inFlight().get(), estimate);
                }
            });
            if (stop.isPresent()) return new Admission.Refused(stop.get());
        }
    }

    private Reservation hold(Payer payer, Spent estimate) {
        long id = next++;
        held.put(id, new Held(budgets.root(payer.session().id()), payer.session().directory(), payer.message(), clock.millis(), estimate));
        return new Reservation(id);
    }

    /** What is held for requests of the session tree {@code root}, but {@code excluding}'s (the asking turn counts its own steps). */
    synchronized Spent heldInTree(SessionId root, MessageId excluding) {
        return sum(h -> h.root().equals(root), excluding);
    }

    /** What is held for requests of sessions in the folder {@code directory}, but {@code excluding}'s. */
    synchronized Spent heldInFolder(String directory, MessageId excluding) {
        return sum(h -> h.directory().equals(directory), excluding);
    }

    /** What is held for requests admitted since {@code since} (epoch millis), but {@code excluding}'s. */
    synchronized Spent heldSince(long since, MessageId excluding) {
        return sum(h -> h.at() >= since, excluding);
    }

    private Spent sum(Predicate<Held> scope, MessageId excluding) {
        Spent sum = Spent.NONE;
        for (Held h : held.values()) if (!h.message().equals(excluding) && scope.test(h)) sum = sum.plus(h.spent());
        return sum;
    }

    private synchronized void settle(long id, Spent spent) {
        Held h = held.get(id);
        if (h != null) held.put(id, new Held(h.root(), h.directory(), h.message(), h.at(), spent));
    }

    private synchronized void release(long id) {
        held.remove(id);
    }

    /**
     * One admitted request: the only way to send it, and what it holds in the ledger until its step is written. Closed
     * by the turn when the step is done; a reservation closed before {@link #releaseWhen} is released at once (the
     * request was not sent, or the turn failed before writing its step).
     */
    public final class Reservation implements AutoCloseable {
        private final long id;
        private boolean releasing;

        private Reservation(long id) {
            this.id = id;
        }

        /** Sends the request: the one call of {@link Protocol#stream} outside the llm layer. */
        public LlmEvent.Finished send(Protocol protocol, Provider provider, LlmRequest request, LlmSink sink, Cancellation cancel) {
            return protocol.stream(provider, request, sink, cancel);
        }

        /** The response ended: it holds what it consumed ({@code spent}) from now on, in place of its estimate. */
        public void settle(Spent spent) {
            SpendLedger.this.settle(id, new Spent(Math.max(0, spent.microDollars()), Math.max(0, spent.tokens())));
        }

        /** The step that records this request's spend is being written: released once {@code written} completes. */
        public void releaseWhen(CompletionStage<?> written) {
            releasing = true;
            // never on the thread that completes the write (the store's writer): it must not wait for this ledger's lock
            written.whenCompleteAsync((_, _) -> release(id), task -> Thread.ofVirtual().start(task));
        }

        @Override
        public void close() {
            if (!releasing) release(id);
        }
    }
}
