package dev.lathe.core.store;

import dev.lathe.core.permission.Rule;
import dev.lathe.protocol.ProjectId;
import java.util.List;

/**
 * The project-wide "always" answers users gave, as allow rules. They belong to the project, not to a session or a
 * server run: a new session and a restarted server see them, until the user revokes one.
 */
public interface ApprovalStore {
    /** One stored answer: the rule it allows and when it was given. */
    record Stored(Rule rule, long createdAt) {}

    /** The project's answers as allow rules of origin {@code APPROVAL}, oldest first (ties by permission, pattern). */
    default List<Rule> rules(ProjectId project) {
        return stored(project).stream().map(Stored::rule).toList();
    }

    List<Stored> stored(ProjectId project);

    /** Adds answers; one the project has already (same permission and pattern) is kept as it was, with its first time. */
    void add(ProjectId project, List<Rule> rules);

    /** Forgets one answer; true when it was there. */
    boolean remove(ProjectId project, String permission, String pattern);
}
