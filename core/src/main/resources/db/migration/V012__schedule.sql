-- Cron schedules (DESIGN §18 "Schedules"), on every adapter: one process runs them as a team server's nodes do.
-- Times are epoch milliseconds (INTEGER: 64 bits on SQLite, BIGINT on PostgreSQL by PgMigrations). owner is '' on a server without accounts.
CREATE TABLE IF NOT EXISTS schedule (
  id           TEXT PRIMARY KEY,
  owner        TEXT NOT NULL,
  cron         TEXT NOT NULL,
  zone         TEXT NOT NULL,
  directory    TEXT,
  repo         TEXT,
  message      TEXT NOT NULL,
  created_at   INTEGER NOT NULL
);
-- One row per run: its primary key (schedule, due time) is the lease of that run, so of the nodes that see it due, the
-- one whose insert lands runs it. session_id is filled once the run's session exists.
CREATE TABLE IF NOT EXISTS schedule_run (
  schedule_id  TEXT NOT NULL REFERENCES schedule(id) ON DELETE CASCADE,
  slot_at      INTEGER NOT NULL,
  node         TEXT NOT NULL,
  session_id   TEXT,
  PRIMARY KEY (schedule_id, slot_at)
);
