package dev.lathe.core.store;

import dev.lathe.protocol.api.ProjectStats;

/**
 * Usage of a project folder: totals from the sessions' recorded usage, a breakdown by the model each answer started
 * with, and the number of steps.
 *
 * <p>A fork copies its source's messages, with what they cost, into a new session whose totals include them. Each
 * answer is counted once: a copy (its {@code copiedFrom} names the first original) is left out while that original
 * exists, and of several copies of a deleted original only the oldest counts.
 */
public interface StatsStore {
    /** {@code directory}: the folder exactly as sessions store it (normalised). */
    ProjectStats project(String directory);
}
