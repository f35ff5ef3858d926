package dev.lathe.core.store;

import dev.lathe.protocol.api.ProjectStats;
import dev.lathe.protocol.session.Usage;
import java.util.List;

/**
 * Usage of a project folder summed in SQL over the {@code session}, {@code message} and {@code part} rows (their JSON
 * bodies read with SQLite's {@code json_extract}): totals from the sessions' recorded usage, a breakdown by the model
 * each assistant message started with, and the number of steps. No table of its own.
 */
public final class StatsStore {
    private final Db db;

    StatsStore(Db db) { this.db = db; }

    /** The stats reader of the database {@code sessions} writes to. */
    public static StatsStore over(SessionStore sessions) { return new StatsStore(sessions.db()); }

    /** {@code directory}: the folder exactly as sessions store it (normalised). */
    public ProjectStats project(String directory) {
        record Total(int sessions, Usage usage, long cost) {}
        Total total = db.query("""
                SELECT COUNT(*),
                       COALESCE(SUM(json_extract(data, '$.usage.input')), 0), COALESCE(SUM(json_extract(data, '$.usage.output')), 0),
                       COALESCE(SUM(json_extract(data, '$.usage.reasoning')), 0), COALESCE(SUM(json_extract(data, '$.usage.cacheRead')), 0),
                       COALESCE(SUM(json_extract(data, '$.usage.cacheWrite')), 0), COALESCE(SUM(json_extract(data, '$.cost')), 0)
                FROM session WHERE directory = ?""",
                rs -> new Total(rs.getInt(1), new Usage(rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)), rs.getLong(7)),
                directory).getFirst();
        List<ProjectStats.ModelStats> models = db.query("""
                SELECT json_extract(m.data, '$.model') AS model, COUNT(*),
                       COALESCE(SUM(json_extract(m.data, '$.usage.input')), 0), COALESCE(SUM(json_extract(m.data, '$.usage.output')), 0),
                       COALESCE(SUM(json_extract(m.data, '$.usage.reasoning')), 0), COALESCE(SUM(json_extract(m.data, '$.usage.cacheRead')), 0),
                       COALESCE(SUM(json_extract(m.data, '$.usage.cacheWrite')), 0), COALESCE(SUM(json_extract(m.data, '$.cost')), 0) AS cost
                FROM message m JOIN session s ON s.id = m.session_id
                WHERE s.directory = ? AND m.role = 'assistant'
                GROUP BY model ORDER BY cost DESC, model""",
                rs -> {
                    var usage = new Usage(rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7));
                    return new ProjectStats.ModelStats(rs.getString(1), rs.getInt(2), usage, rs.getLong(8), usage.hitRatio());
                }, directory);
        int messages = models.stream().mapToInt(ProjectStats.ModelStats::messages).sum();
        int requests = db.query("SELECT COUNT(*) FROM part p JOIN session s ON s.id = p.session_id WHERE s.directory = ? AND p.type = 'step-finish'",
                rs -> rs.getInt(1), directory).getFirst();
        return new ProjectStats(directory, total.sessions(), messages, requests, total.usage(), total.cost(), total.usage().hitRatio(), models);
    }
}
