-- children of a session (GET /sessions/{id}/children, deleting a session with its subagents' sessions) without a scan;
-- SQLite also needs an index on the child key to check the parent_id foreign key cheaply when a session is deleted
CREATE INDEX session_parent ON session(parent_id, created_at);
