package dev.lathe.core.store.jdbc;

import dev.lathe.core.store.SpendStore;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.SessionId;

/**
 * What was spent, summed in SQL for the spend limits (decision 119), before every step of a session that has one: so
 * each sum reads rows an index finds and few of them — never every part of a project, which takes ~130 ms at 120,000
 * parts. What a finished answer cost is in its session's totals and its message; what an answer still being written
 * cost so far is in its {@code step-finish} parts (found through the index of open messages). The message the asking
 * turn writes is left out ({@code excluding}): the turn adds its own steps from memory, where the last one is before
 * its write commits.
 *
 * <p>Tokens are uncached input, cache writes and output (reasoning is part of output): what a provider processed anew.
 * Cache reads are left out — every step reads the whole conversation again, so counting them would make a long
 * session's count grow with the square of its length.
 */
final class JdbcSpendStore implements SpendStore {
    /**
     * How long before midnight an answer still finishing after it may have started: the day counts its steps from
     * midnight on. A turn longer than this loses its after-midnight steps from the day once it finishes.
     */
    private static final long DAY_MILLIS = 24 * 60 * 60 * 1000L;

    /** How many sessions' roots are kept ({@link #root}); all are let go when more are asked for. */
    private static final int ROOTS_KEPT = 4_096;

    private final Database db;
    private final SqlDialect dialect;
    private final java.util.Map<SessionId, SessionId> roots = new java.util.concurrent.ConcurrentHashMap<>();
    /** The session named by the first parameter and every subagent session below it. */
    private final String tree;
    /** The steps so far of answers being written, but {@code excluding}'s (bound after the query's own parameters). */
    private final String openSteps;

    JdbcSpendStore(Database db, SqlDialect dialect) {
        this.db = db;
        this.dialect = dialect;
        this.tree = "WITH RECURSIVE tree(id) AS (" + dialect.treeSeed() + " UNION ALL SELECT s.id FROM session s JOIN tree t ON s.parent_id = t.id) ";
        this.openSteps = "SELECT " + sums("p.data") + " FROM message m JOIN part p ON p.message_id = m.id"
                + " WHERE m.completed = 0 AND p.type = 'step-finish' AND m.id <> ?";
    }

    /** Cost and tokens summed over the JSON column {@code column} (a session's totals, a message's or a step's). */
    private String sums(String column) {
        return "COALESCE(SUM(" + dialect.jsonNumber(column, "cost") + "), 0), COALESCE(SUM(COALESCE(" + dialect.jsonNumber(column, "usage.input")
                + ", 0) + COALESCE(" + dialect.jsonNumber(column, "usage.output") + ", 0) + COALESCE("
                + dialect.jsonNumber(column, "usage.cacheWrite") + ", 0)), 0)";
    }

    /**
     * The session at the top of {@code id}'s subagent tree ({@code id} itself when it has no parent). The ledger asks at
     * every step, inside its lock: a stored session's root is kept, since a session's parent is set when it is stored
     * and never changes (deleting a session deletes its subagents); a session not stored (yet) is not kept.
     */
    @Override
    public SessionId root(SessionId id) {
        SessionId kept = roots.get(id);
        if (kept != null) return kept;
        var found = db.query("WITH RECURSIVE up(id, parent) AS (SELECT id, parent_id FROM session WHERE id = ?"
                + " UNION ALL SELECT s.id, s.parent_id FROM session s JOIN up ON s.id = up.parent) SELECT id FROM up WHERE parent IS NULL",
                rs -> new SessionId(rs.getString(1)), id.value()).stream().findFirst();
        if (found.isEmpty()) return id;
        if (roots.size() >= ROOTS_KEPT) roots.clear();
        roots.put(id, found.get());
        return found.get();
    }

    /**
     * What session {@code root} and its subagents spent: their totals less the answers a fork copied into them (spent by
     * the session forked, not this one), and their answers being written (but {@code excluding}).
     */
    @Override
    public Spent session(SessionId root, MessageId excluding) {
        Spent totals = sum(tree + "SELECT " + sums("s.data") + " FROM session s WHERE s.id IN (SELECT id FROM tree)", root.value());
        Spent copies = sum(tree + "SELECT " + sums("m.data") + " FROM message m WHERE m.session_id IN (SELECT id FROM tree)"
                + " AND m.copied_from IS NOT NULL AND m.role = 'assistant'", root.value());
        Spent open = sum(tree + openSteps + " AND m.session_id IN (SELECT id FROM tree)", root.value(), excluding.value());
        return totals.minus(copies).plus(open);
    }

    /**
     * What every session spent since {@code midnight} (local): the finished answers started since (a copy a fork made is
     * not spending); the steps since of answers started in the day before that finished since (a turn running past
     * midnight keeps the steps it counted while it ran); and the steps since of answers still being written (but
     * {@code excluding}'s). Each answer is counted by one of the three, never two.
     */
    @Override
    public Spent since(long midnight, MessageId excluding) {
        String stamp = stamp(midnight);
        Spent finished = sum("SELECT " + sums("m.data") + " FROM message m WHERE m.id >= ? AND m.role = 'assistant' AND m.completed = 1"
                + " AND m.copied_from IS NULL", MessageId.PREFIX + stamp);
        Spent acrossMidnight = sum("SELECT " + sums("p.data") + " FROM message m JOIN part p ON p.message_id = m.id"
                + " WHERE m.id >= ? AND m.id < ? AND m.role = 'assistant' AND m.completed = 1 AND m.copied_from IS NULL"
                + " AND p.type = 'step-finish' AND p.id >= ?",
                MessageId.PREFIX + stamp(midnight - DAY_MILLIS), MessageId.PREFIX + stamp, PartId.PREFIX + stamp);
        Spent open = sum(openSteps + " AND p.id >= ?", excluding.value(), PartId.PREFIX + stamp);
        return finished.plus(acrossMidnight).plus(open);
    }

    /**
     * What the sessions of the project folder {@code directory} spent: their totals less the answers forks copied into
     * them that another row counts (as {@code /stats} counts them: a copy whose original was deleted counts once), and
     * their answers being written (but {@code excluding}).
     */
    @Override
    public Spent project(String directory, MessageId excluding) {
        Spent totals = sum("SELECT " + sums("s.data") + " FROM session s WHERE s.directory = ?", directory);
        Spent copies = sum("SELECT " + sums("m.data") + " FROM message m JOIN session s ON s.id = m.session_id"
                + " WHERE s.directory = ? AND m.role = 'assistant' AND " + JdbcStatsStore.COUNTED_ELSEWHERE, directory);
        Spent open = sum(openSteps + " AND m.session_id IN (SELECT id FROM session WHERE directory = ?)", excluding.value(), directory);
        return totals.minus(copies).plus(open);
    }

    /** The time part of an id made at {@code millis} ({@code MessageId.next}, {@code PartId.next}): ids sort by it. */
    private static String stamp(long millis) {
        return String.format("%012x", millis & 0xFFFF_FFFF_FFFFL);
    }

    private Spent sum(String sql, Object... args) {
        return db.query(sql, rs -> new Spent(rs.getLong(1), rs.getLong(2)), args).getFirst();
    }
}
