package dev.lathe.core.store.jdbc;

import dev.lathe.core.permission.Action;
import dev.lathe.core.store.ApprovalStore;
import dev.lathe.core.permission.Rule;
import dev.lathe.core.permission.RuleOrigin;
import dev.lathe.protocol.ProjectId;
import java.util.List;

/** Rows of the {@code approval} table. */
final class JdbcApprovalStore implements ApprovalStore {
    private final Database db;

    private final SqlDialect dialect;

    JdbcApprovalStore(Database db, SqlDialect dialect) {
        this.db = db;
        this.dialect = dialect;
    }

    @Override
    public List<Stored> stored(ProjectId project) {
        return db.query("SELECT permission, pattern, created_at FROM approval WHERE project_id = ? ORDER BY created_at, permission, pattern",
                rs -> new Stored(new Rule(rs.getString(1), rs.getString(2), Action.ALLOW, RuleOrigin.APPROVAL), rs.getLong(3)), project.value());
    }

    @Override
    public void add(ProjectId project, List<Rule> rules) {
        long now = System.currentTimeMillis();
        db.write(c -> {
            for (Rule r : rules) {
                try (var st = c.prepareStatement(dialect.insertOrIgnore("approval(project_id, permission, pattern, created_at) VALUES (?,?,?,?)"))) {
                    st.setString(1, project.value());
                    st.setString(2, r.permission());
                    st.setString(3, r.pattern());
                    st.setLong(4, now);
                    st.executeUpdate();
                }
            }
            return null;
        });
    }

    /** Forgets one answer; true when it was there. */
    @Override
    public boolean remove(ProjectId project, String permission, String pattern) {
        return db.write(c -> {
            try (var st = c.prepareStatement("DELETE FROM approval WHERE project_id = ? AND permission = ? AND pattern = ?")) {
                st.setString(1, project.value());
                st.setString(2, permission);
                st.setString(3, pattern);
                return st.executeUpdate() > 0;
            }
        });
    }
}
