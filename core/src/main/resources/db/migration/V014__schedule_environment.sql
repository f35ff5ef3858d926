-- What of its owner's client environment a schedule's runs use (DESIGN §18 "Schedules"): a JSON object holding
-- LATHE_NETWORK and LATHE_CONFIG as they were at `lathe schedule add` (never a key); no row: the server's own.
-- V014, not V013: issue 57's team store takes V013 in the same round. A table of its own rather than a column, so the
-- migration runs again over itself as every one since V006 does (CREATE ... IF NOT EXISTS; SQLite has no
-- ADD COLUMN IF NOT EXISTS).
CREATE TABLE IF NOT EXISTS schedule_environment (
  schedule_id  TEXT PRIMARY KEY REFERENCES schedule(id) ON DELETE CASCADE,
  environment  TEXT NOT NULL
);
