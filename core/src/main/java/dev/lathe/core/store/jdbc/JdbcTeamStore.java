package dev.lathe.core.store.jdbc;

import dev.lathe.core.store.TeamStore;
import dev.lathe.core.store.StoreException;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.TeamId;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.UserMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Rows of {@code team}, {@code team_member}, {@code team_task}, {@code team_task_dep}, {@code team_message} (migration V013) and {@code team_delivery} (V015). */
final class JdbcTeamStore implements TeamStore {
    /** How often adding a task is tried when another node took the same number at once. */
    private static final int ADD_ATTEMPTS = 5;

    private final Database db;

    JdbcTeamStore(Database db) {
        this.db = db;
    }

    @Override
    public void create(Team team, List<Member> members) {
        db.write(c -> {
            try (PreparedStatement ps = Database.prepare(c, "INSERT INTO team(id, name, lead_id, created_at) VALUES (?,?,?,?)", team.id().value(),
                    team.name(), team.lead().value(), team.createdAt())) {
                ps.executeUpdate();
            }
            for (Member m : members) {
                try (PreparedStatement ps = Database.prepare(c, "INSERT INTO team_member(team_id, name, session_id, agent, model) VALUES (?,?,?,?,?)",
                        team.id().value(), m.name(), m.session().value(), m.agent(), m.model())) {
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    @Override
    public void addMember(TeamId team, Member m) {
        db.update("INSERT INTO team_member(team_id, name, session_id, agent, model) VALUES (?,?,?,?,?)", team.value(), m.name(), m.session().value(), m.agent(),
                m.model());
    }

    @Override
    public Optional<Team> find(TeamId id) {
        return db.query("SELECT id, name, lead_id, created_at FROM team WHERE id = ?", JdbcTeamStore::team, id.value()).stream().findFirst();
    }

    @Override
    public Optional<Team> ofSession(SessionId session) {
        return db.query("SELECT id, name, lead_id, created_at FROM team WHERE lead_id = ? OR id IN (SELECT team_id FROM team_member WHERE session_id = ?) "
                + "ORDER BY id DESC LIMIT 1", JdbcTeamStore::team, session.value(), session.value()).stream().findFirst();
    }

    @Override
    public Map<SessionId, Place> places(Collection<SessionId> sessions) {
        if (sessions.isEmpty()) return Map.of();
        String in = String.join(",", Collections.nCopies(sessions.size(), "?"));
        Object[] ids = sessions.stream().map(SessionId::value).toArray();
        Object[] twice = new Object[ids.length * 2];
        System.arraycopy(ids, 0, twice, 0, ids.length);
        System.arraycopy(ids, 0, twice, ids.length, ids.length);
        // the leads' rows (no member name), then the members' (their team's row with their name), each with the member count
        String count = "(SELECT COUNT(*) FROM team_member c WHERE c.team_id = t.id)";
        Map<SessionId, Place> out = new HashMap<>();
        // ordered by team id (time-ordered): a session in two teams gets the newest one's place, as ofSession answers
        for (Map.Entry<SessionId, Place> e : db.query("SELECT t.id, t.name, t.lead_id, t.created_at, t.lead_id, NULL, " + count + " FROM team t "
                + "WHERE t.lead_id IN (" + in + ") UNION ALL SELECT t.id, t.name, t.lead_id, t.created_at, m.session_id, m.name, " + count
                + " FROM team_member m JOIN team t ON t.id = m.team_id WHERE m.session_id IN (" + in + ") ORDER BY 1",
                rs -> Map.entry(new SessionId(rs.getString(5)), new Place(team(rs), Optional.ofNullable(rs.getString(6)), rs.getInt(7))), twice)) {
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    @Override
    public List<Member> members(TeamId team) {
        return db.query("SELECT name, session_id, agent, model FROM team_member WHERE team_id = ? ORDER BY session_id",
                rs -> new Member(rs.getString(1), new SessionId(rs.getString(2)), rs.getString(3), rs.getString(4)), team.value());
    }

    @Override
    public Task addTask(TeamId team, String title, List<Integer> dependsOn) {
        // tasks are never removed: a dependency known now is known at the write
        List<Integer> known = tasks(team).stream().map(Task::id).toList();
        for (int d : dependsOn) if (!known.contains(d)) throw new IllegalArgumentException("there is no task " + d + " to depend on");
        for (int attempt = 1; ; attempt++) {
            try {
                return db.write(c -> {
                    int seq;
                    try (PreparedStatement ps = Database.prepare(c, "SELECT COALESCE(MAX(seq), 0) + 1 FROM team_task WHERE team_id = ?", team.value());
                            ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        seq = rs.getInt(1);
                    }
                    try (PreparedStatement ps = Database.prepare(c, "INSERT INTO team_task(team_id, seq, title, status, updated_at) VALUES (?,?,?,?,?)",
                            team.value(), seq, title, Status.PENDING.word(), System.currentTimeMillis())) {
                        ps.executeUpdate();
                    }
                    for (int d : dependsOn.stream().distinct().toList()) {
                        try (PreparedStatement ps = Database.prepare(c, "INSERT INTO team_task_dep(team_id, seq, depends_on) VALUES (?,?,?)", team.value(), seq, d)) {
                            ps.executeUpdate();
                        }
                    }
                    return new Task(seq, title, Status.PENDING, Optional.empty(), dependsOn.stream().distinct().sorted().toList());
                });
            } catch (StoreException e) {
                // two nodes numbering a task at once: one insert lands, the other takes the next number
                if (attempt >= ADD_ATTEMPTS) throw e;
            }
        }
    }

    @Override
    public List<Task> tasks(TeamId team) {
        Map<Integer, List<Integer>> deps = new HashMap<>();
        db.query("SELECT seq, depends_on FROM team_task_dep WHERE team_id = ? ORDER BY seq, depends_on", rs -> {
            deps.computeIfAbsent(rs.getInt(1), _ -> new ArrayList<>()).add(rs.getInt(2));
            return null;
        }, team.value());
        return db.query("SELECT seq, title, status, owner FROM team_task WHERE team_id = ? ORDER BY seq",
                rs -> task(rs, deps.getOrDefault(rs.getInt(1), List.of())), team.value());
    }

    @Override
    public Claim claim(TeamId team, int id, String owner) {
        return db.write(c -> {
            // one statement decides: unowned, pending, and no dependency that is not completed; a second claimer's
            // UPDATE finds the row owned (PostgreSQL re-reads a row a concurrent transaction changed; SQLite has one writer)
            int changed;
            try (PreparedStatement ps = Database.prepare(c, "UPDATE team_task SET owner = ?, status = ?, updated_at = ? WHERE team_id = ? AND seq = ? "
                    + "AND owner IS NULL AND status = ? AND NOT EXISTS (SELECT 1 FROM team_task_dep d JOIN team_task t ON t.team_id = d.team_id "
                    + "AND t.seq = d.depends_on WHERE d.team_id = ? AND d.seq = ? AND t.status <> ?)", owner, Status.IN_PROGRESS.word(),
                    System.currentTimeMillis(), team.value(), id, Status.PENDING.word(), team.value(), id, Status.COMPLETED.word())) {
                changed = ps.executeUpdate();
            }
            Optional<Task> now = read(c, team, id);
            if (now.isEmpty()) return new Claim.Missing();
            if (changed == 1) return new Claim.Claimed(now.get());
            if (now.get().owner().isPresent() || now.get().status() != Status.PENDING) return new Claim.Taken(now.get());
            return new Claim.Blocked(now.get(), waitingFor(c, team, id));
        });
    }

    @Override
    public Optional<Task> update(TeamId team, int id, Status status, Optional<String> owner) {
        return db.write(c -> {
            String sql = owner.isPresent() ? "UPDATE team_task SET status = ?, updated_at = ?, owner = ? WHERE team_id = ? AND seq = ?"
                    : "UPDATE team_task SET status = ?, updated_at = ? WHERE team_id = ? AND seq = ?";
            Object[] args = owner.isPresent() ? new Object[] {status.word(), System.currentTimeMillis(), owner.get(), team.value(), id}
                    : new Object[] {status.word(), System.currentTimeMillis(), team.value(), id};
            try (PreparedStatement ps = Database.prepare(c, sql, args)) {
                ps.executeUpdate();
            }
            return read(c, team, id);
        });
    }

    @Override
    public void logMessage(TeamId team, Message m, List<SessionId> recipients) {
        db.write(c -> {
            try (PreparedStatement ps = Database.prepare(c, "INSERT INTO team_message(id, team_id, sender, recipient, text, created_at) VALUES (?,?,?,?,?,?)",
                    m.id(), team.value(), m.from(), m.to(), m.text(), m.sentAt())) {
                ps.executeUpdate();
            }
            for (SessionId r : recipients.stream().distinct().toList()) {
                try (PreparedStatement ps = Database.prepare(c, "INSERT INTO team_delivery(message_id, recipient_id) VALUES (?,?)", m.id(), r.value())) {
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    @Override
    public List<Delivery> undelivered() {
        return db.query("SELECT d.message_id, d.recipient_id, m.sender, m.text FROM team_delivery d JOIN team_message m ON m.id = d.message_id "
                + "WHERE d.delivered_at IS NULL ORDER BY d.message_id, d.recipient_id",
                rs -> new Delivery(rs.getString(1), new SessionId(rs.getString(2)), rs.getString(3), rs.getString(4)));
    }

    @Override
    public boolean deliver(Delivery d, UserMessage message, List<Part> parts) {
        return db.write(c -> {
            // the mark decides: of two nodes delivering at once one changes the row (PostgreSQL re-reads a row a concurrent
            // transaction changed; SQLite has one writer), and only that one writes the message, in the same transaction
            if (!mark(c, d)) return false;
            JdbcMessageStore.insert(c, message);
            for (Part p : parts) JdbcMessageStore.upsertPart(c, p);
            return true;
        });
    }

    @Override
    public void discard(Delivery d) {
        db.write(c -> mark(c, d));
    }

    private static boolean mark(Connection c, Delivery d) throws SQLException {
        try (PreparedStatement ps = Database.prepare(c, "UPDATE team_delivery SET delivered_at = ? WHERE message_id = ? AND recipient_id = ? AND delivered_at IS NULL",
                System.currentTimeMillis(), d.messageId(), d.recipient().value())) {
            return ps.executeUpdate() == 1;
        }
    }

    @Override
    public List<Message> messages(TeamId team, int limit) {
        return db.query("SELECT id, sender, recipient, text, created_at FROM team_message WHERE team_id = ? ORDER BY id DESC LIMIT " + Math.max(0, limit),
                rs -> new Message(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5)), team.value()).reversed();
    }

    private static Optional<Task> read(Connection c, TeamId team, int id) throws SQLException {
        List<Integer> deps = new ArrayList<>();
        try (PreparedStatement ps = Database.prepare(c, "SELECT depends_on FROM team_task_dep WHERE team_id = ? AND seq = ? ORDER BY depends_on", team.value(), id);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) deps.add(rs.getInt(1));
        }
        try (PreparedStatement ps = Database.prepare(c, "SELECT seq, title, status, owner FROM team_task WHERE team_id = ? AND seq = ?", team.value(), id);
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(task(rs, deps)) : Optional.empty();
        }
    }

    private static List<Integer> waitingFor(Connection c, TeamId team, int id) throws SQLException {
        List<Integer> out = new ArrayList<>();
        try (PreparedStatement ps = Database.prepare(c, "SELECT d.depends_on FROM team_task_dep d JOIN team_task t ON t.team_id = d.team_id AND t.seq = d.depends_on "
                + "WHERE d.team_id = ? AND d.seq = ? AND t.status <> ? ORDER BY d.depends_on", team.value(), id, Status.COMPLETED.word());
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(rs.getInt(1));
        }
        return out;
    }

    private static Task task(ResultSet rs, List<Integer> deps) throws SQLException {
        return new Task(rs.getInt(1), rs.getString(2), Status.of(rs.getString(3)).orElse(Status.PENDING), Optional.ofNullable(rs.getString(4)), List.copyOf(deps));
    }

    private static Team team(ResultSet rs) throws SQLException {
        return new Team(new TeamId(rs.getString(1)), rs.getString(2), new SessionId(rs.getString(3)), rs.getLong(4));
    }
}
