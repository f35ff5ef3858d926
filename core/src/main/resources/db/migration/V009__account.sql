-- Team-server accounts (DESIGN §20 "Users"): a user's name, whether they are an admin, and their token as a lookup id
-- plus a salted HMAC of its secret (never the token itself: decision 230). Every adapter creates the tables; only a
-- node started with --store uses them, so a SQLite database keeps them empty.
CREATE TABLE IF NOT EXISTS account (
  name         TEXT PRIMARY KEY,
  admin        INTEGER NOT NULL,
  token_id     TEXT NOT NULL UNIQUE,
  token_salt   TEXT NOT NULL,
  token_hash   TEXT NOT NULL,
  created_at   INTEGER NOT NULL
);
-- Who created each session (its owner). A table of its own rather than a column of session, so the session store and
-- its contract stay as they were and the migration can run again over itself; a session without a row (created
-- before accounts, or a subagent's child) is owned as its parent is.
CREATE TABLE IF NOT EXISTS session_owner (
  session_id   TEXT PRIMARY KEY REFERENCES session(id) ON DELETE CASCADE,
  owner        TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS session_owner_owner ON session_owner(owner);
