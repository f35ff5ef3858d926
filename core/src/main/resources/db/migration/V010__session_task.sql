-- Fleet tasks of a team server (DESIGN §20, lathe run --repo): a session that runs in a worktree of a git repository
-- each node clones for itself. The repository's URL, the commit the task's branch started from, and the worktree's
-- name (branch lathe/NAME). Every adapter creates the table; only a node started with --store uses it, so a SQLite
-- database keeps it empty (one process has no fleet).
CREATE TABLE IF NOT EXISTS session_task (
  session_id   TEXT PRIMARY KEY REFERENCES session(id) ON DELETE CASCADE,
  repo         TEXT NOT NULL,
  base_commit  TEXT NOT NULL,
  name         TEXT NOT NULL
);
