-- the main checkout of each session that runs in one of its git worktrees (DESIGN §19), so a repository's session list
-- holds its worktrees' sessions too without a scan; sessions outside a worktree (all earlier ones) have no row. A table
-- of its own rather than a column, so that the migration can run again over itself (IF NOT EXISTS)
CREATE TABLE IF NOT EXISTS session_worktree (
  session_id     TEXT PRIMARY KEY REFERENCES session(id) ON DELETE CASCADE,
  main_checkout  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS session_worktree_main_checkout ON session_worktree(main_checkout);
