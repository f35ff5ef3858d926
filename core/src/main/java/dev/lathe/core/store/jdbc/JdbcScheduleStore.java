package dev.lathe.core.store.jdbc;

import dev.lathe.core.store.ScheduleStore;
import dev.lathe.protocol.ScheduleId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.wire.WireJson;
import tools.jackson.core.type.TypeReference;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;

/** Rows of {@code schedule}, {@code schedule_environment} and {@code schedule_run} (migrations V012, V014). */
final class JdbcScheduleStore implements ScheduleStore {
    private static final String COLUMNS = "id, owner, cron, zone, directory, repo, message, created_at";
    /** A schedule with the environment its owner's client gave it (none: no row). */
    private static final String SELECT = "SELECT s.id, s.owner, s.cron, s.zone, s.directory, s.repo, s.message, s.created_at, e.environment"
            + " FROM schedule s LEFT JOIN schedule_environment e ON e.schedule_id = s.id";
    /** How many runs of a schedule are remembered: the last one decides what is due, a few more are history. */
    private static final int KEPT_RUNS = 10;

    private final Database db;
    private final SqlDialect dialect;

    JdbcScheduleStore(Database db, SqlDialect dialect) {
        this.db = db;
        this.dialect = dialect;
    }

    @Override
    public long add(Stored s, int maxPerOwner) {
        return db.write(c -> {
            if (dialect.keyLock().isPresent()) {
                try (PreparedStatement lock = Database.prepare(c, dialect.keyLock().get(), "lathe-schedules:" + s.owner()); ResultSet rs = lock.executeQuery()) {
                    rs.next();
                }
            }
            long owned;
            try (PreparedStatement count = Database.prepare(c, "SELECT COUNT(*) FROM schedule WHERE owner = ?", s.owner()); ResultSet rs = count.executeQuery()) {
                rs.next();
                owned = rs.getLong(1);
            }
            if (owned >= maxPerOwner) return owned;
            try (PreparedStatement schedule = Database.prepare(c, "INSERT INTO schedule(" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?)", s.id().value(), s.owner(),
                    s.cron(), s.zone(), s.directory().orElse(null), s.repo().orElse(null), s.message(), s.createdAt())) {
                schedule.executeUpdate();
            }
            if (s.environment().isEmpty()) return owned;
            try (PreparedStatement environment = Database.prepare(c, "INSERT INTO schedule_environment(schedule_id, environment) VALUES (?,?)",
                    s.id().value(), WireJson.write(new TreeMap<>(s.environment())))) {
                environment.executeUpdate();
            }
            return owned;
        });
    }

    @Override
    public List<Stored> list() {
        return db.query(SELECT + " ORDER BY s.id", JdbcScheduleStore::stored);
    }

    @Override
    public Optional<Stored> find(ScheduleId id) {
        return db.query(SELECT + " WHERE s.id = ?", JdbcScheduleStore::stored, id.value()).stream().findFirst();
    }

    @Override
    public boolean remove(ScheduleId id) {
        // the runs go with it (ON DELETE CASCADE); said here too for a SQLite connection without foreign keys
        return db.write(c -> {
            try (PreparedStatement runs = Database.prepare(c, "DELETE FROM schedule_run WHERE schedule_id = ?", id.value());
                    PreparedStatement environment = Database.prepare(c, "DELETE FROM schedule_environment WHERE schedule_id = ?", id.value());
                    PreparedStatement schedule = Database.prepare(c, "DELETE FROM schedule WHERE id = ?", id.value())) {
                runs.executeUpdate();
                environment.executeUpdate();
                return schedule.executeUpdate() == 1;
            }
        });
    }

    @Override
    public Optional<Run> lastRun(ScheduleId id) {
        return db.query("SELECT schedule_id, slot_at, node, session_id FROM schedule_run WHERE schedule_id = ? ORDER BY slot_at DESC LIMIT 1",
                rs -> new Run(new ScheduleId(rs.getString(1)), rs.getLong(2), rs.getString(3), Optional.ofNullable(rs.getString(4)).map(SessionId::new)),
                id.value()).stream().findFirst();
    }

    @Override
    public boolean claim(ScheduleId id, long slotAt, String node) {
        // the (schedule, time) key is the run's lease: of the nodes inserting it at once, one row lands; a schedule removed
        // meanwhile has no row to insert under (the SELECT finds none)
        return db.write(c -> {
            boolean won;
            try (PreparedStatement ps = Database.prepare(c, dialect.insertOrIgnore("schedule_run(schedule_id, slot_at, node) SELECT id, CAST(? AS BIGINT), CAST(? AS TEXT) FROM schedule WHERE id = ?"),
                    slotAt, node, id.value())) {
                won = ps.executeUpdate() == 1;
            }
            if (won) {
                try (PreparedStatement ps = Database.prepare(c, "DELETE FROM schedule_run WHERE schedule_id = ? AND slot_at NOT IN "
                        + "(SELECT slot_at FROM schedule_run WHERE schedule_id = ? ORDER BY slot_at DESC LIMIT " + KEPT_RUNS + ")", id.value(), id.value())) {
                    ps.executeUpdate();
                }
            }
            return won;
        });
    }

    @Override
    public void started(ScheduleId id, long slotAt, SessionId session) {
        db.update("UPDATE schedule_run SET session_id = ? WHERE schedule_id = ? AND slot_at = ?", session.value(), id.value(), slotAt);
    }

    private static Stored stored(ResultSet rs) throws SQLException {
        return new Stored(new ScheduleId(rs.getString(1)), rs.getString(2), rs.getString(3), rs.getString(4), Optional.ofNullable(rs.getString(5)),
                Optional.ofNullable(rs.getString(6)), rs.getString(7), rs.getLong(8), environment(rs.getString(9)));
    }

    /** The stored JSON object of strings; none when absent (a schedule added before V014) or unreadable. */
    private static Map<String, String> environment(String json) {
        if (json == null || json.isBlank()) return Map.of();
        try {
            return WireJson.read(json, new TypeReference<Map<String, String>>() {});
        } catch (RuntimeException e) {
            return Map.of();
        }
    }
}
