-- The team server's tables (DESIGN §20); SQLite's V008 is empty: one process keeps these in memory.
-- event: every node's events in one order (the id is the SSE seq on every node), pruned by age (at: epoch millis).
CREATE TABLE event (
    id BIGSERIAL PRIMARY KEY,
    at BIGINT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX event_at ON event(at);
