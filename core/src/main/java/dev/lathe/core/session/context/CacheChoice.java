package dev.lathe.core.session.context;

import dev.lathe.core.model.ResolvedModel;
import dev.lathe.core.report.CacheLifecycle;
import dev.lathe.protocol.api.CacheReport;
import dev.lathe.protocol.api.ProjectStats;
import java.util.List;
import java.util.Optional;

/**
 * The cache lifecycle's choice for a session as it stands (decision 504), from its cache report: the context is what
 * its last request sent, the stable blocks about what its first request sent (system, tools, instructions and the first
 * prompt, which every session of the project shares but the last), and whether a client follows it now.
 */
public final class CacheChoice {
    private CacheChoice() {}

    /** The choice under {@code strategy} ({@code cache.strategy}), or the decision that nothing is priced. */
    public static CacheReport.Lifecycle of(CacheReport report, ResolvedModel model, String strategy, boolean watched) {
        List<CacheReport.Request> sent = report.requests();
        long context = sent.isEmpty() ? 0 : prompt(sent.getLast());
        long stable = sent.isEmpty() ? 0 : Math.min(context, prompt(sent.getFirst()));
        // extended thinking's budget follows max_tokens: a one-token warm request would change it
        boolean warmable = model.model().reasoningEffort().isEmpty();
        return of(strategy, model, new CacheLifecycle.Session(context, stable, watched, warmable, Optional.empty()));
    }

    /**
     * For {@code lathe stats}: a watched session of the folder's first model, pausing at the folder's average prompt per
     * request (a turn's steps each send the whole context, so per request, not per response); the stable blocks are not
     * known there, so the one-hour TTL is not weighed.
     */
    public static CacheReport.Lifecycle forStats(ProjectStats stats, ResolvedModel model, String strategy) {
        long context = stats.requests() == 0 ? 0 : stats.usage().prompt() / stats.requests();
        return of(strategy, model, new CacheLifecycle.Session(context, 0, true, model.model().reasoningEffort().isEmpty(), Optional.empty()));
    }

    private static CacheReport.Lifecycle of(String strategy, ResolvedModel model, CacheLifecycle.Session session) {
        CacheLifecycle.Strategy chosen = CacheLifecycle.Strategy.parse(strategy).orElse(CacheLifecycle.Strategy.AUTO);
        var prices = CacheLifecycle.Prices.of(model.model().pricing(), model.provider().protocol());
        var decision = CacheLifecycle.choose(chosen, prices, session);
        return new CacheReport.Lifecycle(chosen.wire(), decision.choice().wire(), decision.saving(), (int) decision.pause().toMinutes(),
                decision.describe());
    }

    private static long prompt(CacheReport.Request r) {
        return r.input() + r.cacheRead() + r.cacheWrite();
    }
}
