-- The team server's tables (DESIGN §20); SQLite's V008 is empty: one process keeps these in memory.
-- event: every node's events in one order (the id is the SSE seq on every node), pruned by age (at: epoch millis).
CREATE TABLE event (
    id BIGSERIAL PRIMARY KEY,
    at BIGINT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX event_at ON event(at);
-- session_lease: the one node running a session's turns (DESIGN §20); expiry by the database's clock (now()), never a node's.
CREATE TABLE session_lease (
    session_id TEXT COLLATE "C" PRIMARY KEY,
    node TEXT NOT NULL,
    heartbeat TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
-- session_work: sessions with a prompt waiting (the prompt itself is its user message); taken with FOR UPDATE SKIP LOCKED.
CREATE TABLE session_work (
    session_id TEXT COLLATE "C" PRIMARY KEY,
    queued_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
