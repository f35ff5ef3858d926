package dev.lathe.core.store.jdbc;

import dev.lathe.core.store.StatsStore;
import dev.lathe.protocol.api.ProjectStats;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Quota;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.wire.WireJson;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Usage of a project folder summed in SQL over the {@code session}, {@code message} and {@code part} rows (their JSON
 * bodies read through the {@link SqlDialect}): totals from the sessions' recorded usage, a breakdown by the model
 * each assistant message started with, the number of steps, and the latest rate-limit windows. No table of its own.
 *
 * <p>A fork copies its source's messages, with what they cost, into a new session whose totals include them. Each
 * answer is counted once: a copy (its {@code copied_from} names the first original) is left out while that original
 * exists, and of several copies of a deleted original only the oldest counts.
 */
final class JdbcStatsStore implements StatsStore {
    /** Message {@code m} is a copy whose answer another row counts (JdbcSpendStore's project scope counts the same way). */
    static final String COUNTED_ELSEWHERE = """
            m.copied_from IS NOT NULL AND (EXISTS (SELECT 1 FROM message o WHERE o.id = m.copied_from)
                OR EXISTS (SELECT 1 FROM message c WHERE c.copied_from = m.copied_from AND c.id < m.id))""";
    /** How many of the latest reporting steps the quota is read from: a window another provider reports is seldom older. */
    private static final int QUOTA_STEPS = 50;
    private final Database db;
    private final SqlDialect dialect;

    JdbcStatsStore(Database db, SqlDialect dialect) {
        this.db = db;
        this.dialect = dialect;
    }

    /** Usage and cost summed over the JSON column {@code column} (a session's totals or a message's). */
    private String usageSums(String column) {
        return Stream.of("usage.input", "usage.output", "usage.reasoning", "usage.cacheRead", "usage.cacheWrite", "cost")
                .map(path -> "COALESCE(SUM(" + dialect.jsonNumber(column, path) + "), 0)").collect(Collectors.joining(", "));
    }

    @Override
    public ProjectStats project(String directory) {
        Total recorded = total("SELECT COUNT(*), " + usageSums("data") + " FROM session WHERE directory = ?", directory);
        // the forks' totals include what their copies cost: the copies another row counts come off again
        Total copies = total("SELECT 0, " + usageSums("m.data") + " FROM message m JOIN session s ON s.id = m.session_id"
                + " WHERE s.directory = ? AND m.role = 'assistant' AND " + COUNTED_ELSEWHERE, directory);
        Usage usage = minus(recorded.usage(), copies.usage());
        long cost = recorded.cost() - copies.cost();
        List<ProjectStats.ModelStats> models = db.query("SELECT " + dialect.jsonText("m.data", "model") + " AS model, COUNT(*), "
                        + usageSums("m.data") + " AS cost FROM message m JOIN session s ON s.id = m.session_id"
                        + " WHERE s.directory = ? AND m.role = 'assistant' AND NOT (" + COUNTED_ELSEWHERE + ")"
                        + " GROUP BY model ORDER BY cost DESC, model",
                rs -> {
                    var sum = new Usage(rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7));
                    return new ProjectStats.ModelStats(rs.getString(1), rs.getInt(2), sum, rs.getLong(8), sum.hitRatio());
                }, directory);
        int messages = models.stream().mapToInt(ProjectStats.ModelStats::messages).sum();
        int requests = db.query("SELECT COUNT(*) FROM part p JOIN message m ON m.id = p.message_id JOIN session s ON s.id = p.session_id"
                + " WHERE s.directory = ? AND p.type = 'step-finish' AND NOT (" + COUNTED_ELSEWHERE + ")", rs -> rs.getInt(1), directory).getFirst();
        return new ProjectStats(directory, recorded.sessions(), messages, requests, usage, cost, usage.hitRatio(), models, quota(directory));
    }

    /** The latest rate-limit window of each name, from the folder's last steps that reported any. */
    private List<Quota> quota(String directory) {
        List<List<Quota>> newestFirst = db.query("SELECT p.data FROM part p JOIN session s ON s.id = p.session_id"
                + " WHERE s.directory = ? AND p.type = 'step-finish' AND p.data LIKE ? ORDER BY p.id DESC LIMIT " + QUOTA_STEPS,
                rs -> ((Part.StepFinish) WireJson.read(rs.getString(1), Part.class)).quota(), directory, "%\"quota\":%");
        return Quota.latestPerName(newestFirst.reversed());
    }

    private record Total(int sessions, Usage usage, long cost) {}

    /** {@code sql} selects a count, then {@link #usageSums}. */
    private Total total(String sql, String directory) {
        return db.query(sql, rs -> new Total(rs.getInt(1), new Usage(rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)),
                rs.getLong(7)), directory).getFirst();
    }

    private static Usage minus(Usage a, Usage b) {
        return new Usage(a.input() - b.input(), a.output() - b.output(), a.reasoning() - b.reasoning(), a.cacheRead() - b.cacheRead(),
                a.cacheWrite() - b.cacheWrite());
    }
}
