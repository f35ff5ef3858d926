package dev.lathe.core.store;

import dev.lathe.core.permission.Action;
import dev.lathe.core.permission.Rule;
import dev.lathe.core.permission.RuleOrigin;
import dev.lathe.protocol.ProjectId;
import java.util.List;

/**
 * The "always" answers users gave in a project, as allow rules. They belong to the project, not to a session or a
 * server run: a new session and a restarted server see them.
 */
public final class ApprovalStore {
    private final Db db;

    public ApprovalStore(Db db) { this.db = db; }

    public List<Rule> rules(ProjectId project) {
        return db.query("SELECT permission, pattern FROM approval WHERE project_id = ? ORDER BY created_at, permission, pattern",
                rs -> new Rule(rs.getString(1), rs.getString(2), Action.ALLOW, RuleOrigin.APPROVAL), project.value());
    }

    public void add(ProjectId project, List<Rule> rules) {
        long now = System.currentTimeMillis();
        db.write(c -> {
            for (Rule r : rules) {
                try (var st = c.prepareStatement("INSERT OR IGNORE INTO approval(project_id, permission, pattern, created_at) VALUES (?,?,?,?)")) {
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
}
