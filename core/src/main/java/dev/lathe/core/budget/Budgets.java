package dev.lathe.core.budget;

import dev.lathe.core.config.Config;
import dev.lathe.core.store.SpendStore;
import dev.lathe.core.store.SpendStore.Spent;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The spend limits of {@code limits} (decision 119), checked by a turn before each request: what the session (with its
 * subagents), the day and the project spent — from the store, plus the asking turn's own steps from memory — against
 * each configured cap, as this session's answers raised it. Nothing is read when no cap is configured.
 *
 * <p>Raises live in memory, per session at the top of a subagent tree (a subagent's ask raises its parent's limit, and
 * the other way round), until the session is deleted or the server restarts: a limit is the config's, an answer only
 * lets one session go past it. A raise of the day's limit holds for that day only.
 */
public final class Budgets {
    /** The answer a turn is writing, with its steps so far as it holds them (the last one may not be committed yet). */
    public record InFlight(MessageId message, List<Part.StepFinish> steps) {
        public InFlight {
            steps = List.copyOf(steps);
        }

        Spent spent(String sincePartId) {
            Spent sum = Spent.NONE;
            for (Part.StepFinish f : steps) {
                if (f.id().value().compareTo(sincePartId) < 0) continue;
                sum = sum.plus(new Spent(f.cost(), f.usage().input() + f.usage().output() + f.usage().cacheWrite()));
            }
            return sum;
        }
    }

    /** What a scope spent, against its caps as this session's raises left them (0: not capped). */
    public record Standing(SpendLimit.Scope scope, Spent spent, long usdCap, long tokenCap) {
        long cap(SpendLimit.Unit unit) { return unit == SpendLimit.Unit.USD ? usdCap : tokenCap; }
    }

    /**
     * A limit reached: {@code spent} (with what requests under way hold) of {@code cap} (the raised one),
     * {@code configured} the config's own; {@code next} the estimate of the request waiting, which would pass the cap.
     */
    public record Reached(SpendLimit limit, long spent, long cap, long configured, long next) {
        public Reached(SpendLimit limit, long spent, long cap, long configured) { this(limit, spent, cap, configured, 0); }

        /** e.g. {@code session $5.02 of $5.00}, or {@code session $4.90 of $5.00, and the next request needs about $0.15}. */
        public String summary() {
            String scope = limit.scope() == SpendLimit.Scope.DAY ? "today" : limit.scope().key();
            String said = scope + " " + limit.unit().format(spent) + " of " + limit.unit().format(cap);
            return spent >= cap ? said : said + ", and the next request needs about " + limit.unit().format(next);
        }
    }

    /** A raise: the cap in force for one session, and the day it holds on (a day limit's; -1 for the others). */
    private record Raise(long cap, long epochDay) {}

    private final SpendStore store;
    private final Clock clock;
    private final Map<SessionId, Map<SpendLimit, Raise>> raises = new ConcurrentHashMap<>();
    /** The limit's ask open in each subagent tree (by root): one at a time, parallel subagents share it. */
    private final Map<SessionId, java.util.concurrent.CompletableFuture<BudgetAsk.Answer>> asking = new ConcurrentHashMap<>();

    public Budgets(SpendStore store) {
        this(store, Clock.systemDefaultZone());
    }

    /** Budgets whose day starts at midnight in {@code clock}'s zone. */
    public Budgets(SpendStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.ledger = new SpendLedger(this, clock);
    }

    private final SpendLedger ledger;

    /** The one ledger every model request is admitted by (DESIGN §24). */
    public SpendLedger ledger() { return ledger; }

    /** The session at the top of {@code session}'s subagent tree. */
    SessionId root(SessionId session) { return store.root(session); }

    /** The first configured limit {@code session} has reached, with what the turn {@code current} writes counted; empty when none. */
    public Optional<Reached> reached(Session session, Config.LimitsConfig limits, InFlight current) {
        return reached(session, limits, current, Spent.NONE);
    }

    /**
     * The first configured limit that {@code session} has reached, or that a request estimated at {@code next} would
     * pass: what the store holds, what the ledger holds for requests under way, the turn's own steps ({@code current})
     * and {@code next}. Empty when none.
     */
    Optional<Reached> reached(Session session, Config.LimitsConfig limits, InFlight current, Spent next) {
        if (!limits.capsSpend()) return Optional.empty();
        SessionId root = store.root(session.id());
        for (Standing s : standings(session, root, limits, current, Which.CAPPED)) {
            for (SpendLimit.Unit unit : SpendLimit.Unit.values()) {
                long cap = s.cap(unit);
                long spent = unit.of(s.spent());
                long more = unit.of(next);
                if (cap > 0 && (spent >= cap || more > cap - spent)) {
                    SpendLimit limit = new SpendLimit(s.scope(), unit);
                    return Optional.of(new Reached(limit, spent, cap, unit.of(s.scope().of(limits)), more));
                }
            }
        }
        return Optional.empty();
    }

    /** Every scope's spend and caps, capped or not (the budget tool and note). */
    public List<Standing> standings(Session session, Config.LimitsConfig limits, InFlight current) {
        return standings(session, store.root(session.id()), limits, current, Which.ALL);
    }

    private enum Which { CAPPED, ALL }

    private List<Standing> standings(Session session, SessionId root, Config.LimitsConfig limits, InFlight current, Which which) {
        List<Standing> out = new ArrayList<>();
        for (SpendLimit.Scope scope : SpendLimit.Scope.values()) {
            Config.SpendCap cap = scope.of(limits);
            if (which == Which.CAPPED && !cap.isSet()) continue;
            Spent spent = switch (scope) {
                case SESSION -> store.session(root, current.message()).plus(current.spent("")).plus(ledger.heldInTree(root, current.message()));
                case DAY -> {
                    long midnight = LocalDate.now(clock).atStartOfDay(clock.getZone()).toInstant().toEpochMilli();
                    yield store.since(midnight, current.message()).plus(current.spent(PartId.PREFIX + String.format("%012x", midnight)))
                            .plus(ledger.heldSince(midnight, current.message()));
                }
                case PROJECT -> store.project(session.directory(), current.message()).plus(current.spent(""))
                        .plus(ledger.heldInFolder(session.directory(), current.message()));
            };
            out.add(new Standing(scope, spent, inForce(root, new SpendLimit(scope, SpendLimit.Unit.USD), cap.microDollars()),
                    inForce(root, new SpendLimit(scope, SpendLimit.Unit.TOKENS), cap.tokens())));
        }
        return out;
    }

    /** The cap of {@code limit} in force for {@code root}'s tree: the configured one, or a raise above it (Long.MAX_VALUE: lifted). */
    private long inForce(SessionId root, SpendLimit limit, long configured) {
        if (configured == 0) return 0;
        Raise raise = raises.getOrDefault(root, Map.of()).get(limit);
        if (raise == null || raise.epochDay() >= 0 && raise.epochDay() != today()) return configured;
        return Math.max(configured, raise.cap());
    }

    /** Lets {@code session}'s tree spend {@code reached}'s configured amount more than it has spent (allow once). */
    public void raise(Session session, Reached reached) {
        long more = reached.configured() > 0 ? reached.configured() : reached.cap();
        // the request waiting is let through too: raised from what is spent and held plus its estimate
        long from = reached.next() > Long.MAX_VALUE - reached.spent() ? Long.MAX_VALUE : reached.spent() + reached.next();
        // a cap near Long.MAX_VALUE (a config from before the schema bounded it) saturates: it is lifted, never a crash mid-turn
        long raised = more > Long.MAX_VALUE - from ? Long.MAX_VALUE : from + more;
        remember(session, reached.limit(), raised);
    }

    /** Lifts {@code reached}'s limit for {@code session}'s tree (always); a day limit for the rest of the day. */
    public void lift(Session session, Reached reached) {
        remember(session, reached.limit(), Long.MAX_VALUE);
    }

    private void remember(Session session, SpendLimit limit, long cap) {
        SessionId root = store.root(session.id());
        long day = limit.scope() == SpendLimit.Scope.DAY ? today() : -1;
        raises.computeIfAbsent(root, _ -> new ConcurrentHashMap<>()).put(limit, new Raise(cap, day));
    }

    /** Sessions waiting on an ask another turn of their tree opened ({@link BudgetAsk}): they show {@code waiting}. */
    private final java.util.Set<SessionId> following = ConcurrentHashMap.newKeySet();

    /** Whether {@code session}'s turn waits on its tree's limit ask, opened by another turn. */
    public boolean waitsOnAsk(SessionId session) { return following.contains(session); }

    void following(SessionId session, boolean waits) {
        if (waits) following.add(session); else following.remove(session);
    }

    /** The ask open in {@code session}'s tree, which {@code mine} now is when there was none. */
    java.util.concurrent.CompletableFuture<BudgetAsk.Answer> asking(Session session, java.util.concurrent.CompletableFuture<BudgetAsk.Answer> mine) {
        var open = asking.putIfAbsent(store.root(session.id()), mine);
        return open == null ? mine : open;
    }

    /** {@code mine}, the ask {@link #asking} let {@code session}'s tree open, was answered (or ended unanswered). */
    void asked(Session session, java.util.concurrent.CompletableFuture<BudgetAsk.Answer> mine) {
        asking.remove(store.root(session.id()), mine);
    }

    /** The session was deleted: its raises go. */
    public void forget(SessionId session) {
        raises.remove(session);
    }

    private long today() { return LocalDate.now(clock).toEpochDay(); }
}
