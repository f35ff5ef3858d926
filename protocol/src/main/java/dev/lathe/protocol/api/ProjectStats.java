package dev.lathe.protocol.api;

import dev.lathe.protocol.session.Usage;
import java.util.List;

/**
 * Answer of {@code GET /stats?directory=}: what the sessions of one project folder spent. {@code sessions} counts every
 * session of the folder (subagents' and archived ones included); {@code usage} and {@code cost} (micro-dollars) are
 * their recorded totals, turns a revert dropped included; {@code requests} counts the steps still stored.
 * {@code cacheHitRatio} is {@code cacheRead / (input + cacheRead + cacheWrite)}. {@code models} splits the stored
 * assistant messages by the model each started with, most expensive first.
 */
public record ProjectStats(String directory, int sessions, int messages, int requests, Usage usage, long cost, double cacheHitRatio,
        List<ModelStats> models) {
    public ProjectStats {
        models = List.copyOf(models);
    }

    /** One model's share: its assistant messages, their tokens and cost. */
    public record ModelStats(String model, int messages, Usage usage, long cost, double cacheHitRatio) {}
}
