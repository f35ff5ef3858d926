package dev.lathe.core.session.turn;

import dev.lathe.core.budget.SpendLedger;
import dev.lathe.core.model.ResolvedModel;
import dev.lathe.core.project.Project;
import dev.lathe.core.report.CacheLifecycle;
import dev.lathe.core.report.CacheReports;
import dev.lathe.core.session.context.CacheChoice;
import dev.lathe.core.session.context.KeepWarm;
import dev.lathe.core.store.SpendStore;
import dev.lathe.llm.CacheTtl;
import dev.lathe.llm.Cancellation;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.StopReason;
import dev.lathe.llm.TokenEstimate;
import dev.lathe.llm.TokenUsage;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.Usage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * What is done with a session's prompt cache when it goes idle (DESIGN §28, decisions 504 and 505): when its cache
 * lifecycle keeps it warm ({@code cache.strategy} {@code warm}, or {@code auto} choosing it) and a client follows it,
 * {@link KeepWarm} repeats its last request for one token before the cache expires, until its next request, until no
 * client follows it, or until the bound. Each warm request is admitted by the spend ledger like any other (one that
 * would pass a limit is not sent, and asks nobody: a warm-up is not worth a question) and its usage and cost are added
 * to the session, so the session's totals, its limits and {@code lathe stats} count it. Never for a subagent's session
 * or work nobody follows. One per server, shared by every session's runner.
 */
public final class IdleCaches {
    /** How a session's runner compacts it now, as its own task (so no turn runs meanwhile), with the model it last used. */
    @FunctionalInterface
    public interface Compaction {
        void run(Project project, ResolvedModel model);
    }

    /** A request a session's turn sent: what a warm request repeats, the model and project it went to, the answer it wrote. */
    record Sent(Project project, ResolvedModel model, MessageId message, LlmRequest request) {}

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("keep-warm").factory());
    /** The last request of each session's running turn, taken when the session goes idle. */
    private final Map<SessionId, Sent> lastSent = new ConcurrentHashMap<>();
    private final Map<SessionId, KeepWarm> warmers = new ConcurrentHashMap<>();
    /** The compaction planned just before each idle session's cache expires. */
    private final Map<SessionId, ScheduledFuture<?>> compactions = new ConcurrentHashMap<>();
    /** Each session's TTL of its stable blocks, chosen at its first request here and kept, so its prefix stays the same. */
    private final Map<SessionId, CacheTtl> stableTtls = new ConcurrentHashMap<>();
    private volatile Duration ttl = Duration.ofMinutes(5);
    private volatile Duration margin = CacheLifecycle.WARM_MARGIN;

    /** A request of {@code session}'s own goes out now: nothing warm is sent meanwhile, and it is the one to repeat. */
    void sending(SessionId session, Sent sent) {
        busy(session);
        lastSent.put(session, sent);
    }

    /** {@code session} starts a task (or closes): no warm request until it is idle again after a request of its own. */
    public void busy(SessionId session) {
        lastSent.remove(session);
        Optional.ofNullable(warmers.get(session)).ifPresent(KeepWarm::busy);
        Optional.ofNullable(compactions.remove(session)).ifPresent(f -> f.cancel(false));
    }

    /**
     * {@code request} with the TTL of its stable blocks: one hour when, at the session's first request, its cache
     * lifecycle chose the one-hour TTL on them (decision 504: {@code auto}, a wire that offers it), the default otherwise.
     */
    LlmRequest withStableTtl(TurnServices services, Session session, Project project, ResolvedModel model, LlmRequest request) {
        CacheTtl ttl = stableTtls.computeIfAbsent(session.id(), _ -> {
            var strategy = CacheLifecycle.Strategy.parse(project.config().cacheStrategy()).orElse(CacheLifecycle.Strategy.AUTO);
            var prices = CacheLifecycle.Prices.of(model.model().pricing(), model.provider().protocol());
            // the estimates below load the tokenizer (~40 MB of heap, which lathe run --standalone's peak showed): only
            // when the one-hour TTL could be chosen at all
            if (strategy != CacheLifecycle.Strategy.AUTO || prices.longWrite().isEmpty()) return CacheTtl.DEFAULT;
            LlmRequest head = new LlmRequest(request.model(), request.system(), request.tools(), List.of(), request.maxOutputTokens(),
                    request.toolChoice(), request.temperature(), request.cacheKey(), request.reasoning());
            boolean watched = session.parentId().isEmpty() && services.journal().followed(session);
            return stableTtl(strategy, prices, new CacheLifecycle.Session(TokenEstimate.of(request), TokenEstimate.of(head), watched,
                    request.reasoning().isEmpty(), Optional.empty()));
        });
        return ttl == request.stableTtl() ? request : request.withStableTtl(ttl);
    }

    /** One hour when the lifecycle chooses the one-hour TTL on the stable blocks, the default otherwise. */
    static CacheTtl stableTtl(CacheLifecycle.Strategy strategy, CacheLifecycle.Prices prices, CacheLifecycle.Session session) {
        if (strategy != CacheLifecycle.Strategy.AUTO || prices.longWrite().isEmpty() || session.stable() <= 0) return CacheTtl.DEFAULT;
        return CacheLifecycle.choose(strategy, prices, session).choice() == CacheLifecycle.Choice.LONG_TTL ? CacheTtl.ONE_HOUR : CacheTtl.DEFAULT;
    }

    /** {@code session} is closed for good (deleted, or the server stops): what was planned for it is dropped. */
    public void forget(SessionId session) {
        lastSent.remove(session);
        stableTtls.remove(session);
        Optional.ofNullable(compactions.remove(session)).ifPresent(f -> f.cancel(false));
        Optional.ofNullable(warmers.remove(session)).ifPresent(KeepWarm::close);
    }

    /**
     * {@code session} went idle with nothing waiting, and a client follows it: as its cache lifecycle chooses (forced by
     * {@code cache.strategy}, or by price), warm requests are planned, or one compaction ({@code compaction}) just
     * before the cache expires; each only while {@code stillIdle} holds and a client still follows. Returns whether
     * anything was planned.
     */
    public boolean idle(TurnServices services, Session session, BooleanSupplier stillIdle, Compaction compaction) {
        Sent last = lastSent.remove(session.id());
        if (last == null || session.parentId().isPresent()) return false;
        BooleanSupplier watched = () -> stillIdle.getAsBoolean() && services.journal().followed(session);
        if (!watched.getAsBoolean()) return false;
        String strategy = last.project().config().cacheStrategy();
        if (CacheLifecycle.Strategy.parse(strategy).orElse(CacheLifecycle.Strategy.AUTO) == CacheLifecycle.Strategy.NONE) return false;
        String choice = CacheChoice.of(CacheReports.of(session.id(), services.journal().messages().withStepParts(session.id())), last.model(), strategy, true)
                .choice();
        if (choice.equals(CacheLifecycle.Choice.COMPACT.wire())) {
            compactions.put(session.id(), timer.schedule(() -> {
                compactions.remove(session.id());
                if (watched.getAsBoolean()) compaction.run(last.project(), last.model());
            }, ttl.minus(margin).toMillis(), TimeUnit.MILLISECONDS));
            return true;
        }
        if (!choice.equals(CacheLifecycle.Choice.KEEP_WARM.wire())) return false;
        KeepWarm warm = warmers.computeIfAbsent(session.id(), _ -> new KeepWarm(timer, ttl, margin, CacheLifecycle.MAX_WARMS));
        return warm.idle(last.request(), watched, request -> send(services, session, last, request));
    }

    /** One warm request through the spend ledger; its usage and cost added to the session, its answer dropped. */
    private static LlmEvent.Finished send(TurnServices services, Session session, Sent last, LlmRequest warm) {
        var admission = new TurnBudget(services, session, last::project).admitUnasked(last.project(), last.message(), last.model(), warm);
        if (!(admission instanceof SpendLedger.Admission.Admitted(SpendLedger.Reservation reservation))) {
            // a limit would be passed: not sent, and nobody asked (the answer is dropped either way)
            return new LlmEvent.Finished(StopReason.ERROR, Optional.empty());
        }
        try (reservation) {
            TokenUsage[] reported = {TokenUsage.ZERO};
            LlmEvent.Finished finished = reservation.send(last.model().protocol(), last.model().provider(), warm, event -> {
                if (event instanceof LlmEvent.UsageReported(TokenUsage usage)) reported[0] = usage;
            }, new Cancellation());
            TokenUsage u = reported[0];
            long cost = last.project().models().pricing(last.model()).microDollars(u);
            reservation.settle(new SpendStore.Spent(cost, u.input() + u.output() + u.cacheWrite()));
            // written before the reservation is let go: the session's totals count it from then on
            services.usage(session, new Usage(u.input(), u.output(), u.reasoning(), u.cacheRead(), u.cacheWrite()), cost);
            return finished;
        }
    }

    /** The cache's TTL and how long before it expires a warm request goes: tests run a pause of milliseconds. */
    void retime(Duration ttl, Duration margin) {
        this.ttl = ttl;
        this.margin = margin;
    }
}
