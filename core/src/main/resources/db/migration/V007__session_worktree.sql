-- the main checkout of a session that runs in one of its git worktrees (DESIGN §19), so a repository's session list
-- holds its worktrees' sessions too without a scan; NULL for every session outside a worktree (all earlier ones)
ALTER TABLE session ADD COLUMN main_checkout TEXT;
CREATE INDEX session_main_checkout ON session(main_checkout, updated_at) WHERE main_checkout IS NOT NULL;
