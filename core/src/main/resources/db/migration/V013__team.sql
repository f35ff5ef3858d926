-- Agent teams (DESIGN §18 "Agent teams"), on every adapter: a lead session, named members (each a session of its own),
-- a shared task list and the team's message log. Times are epoch milliseconds.
CREATE TABLE IF NOT EXISTS team (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL,
  lead_id      TEXT NOT NULL,
  created_at   INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS team_lead ON team(lead_id);
CREATE TABLE IF NOT EXISTS team_member (
  team_id      TEXT NOT NULL REFERENCES team(id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  session_id   TEXT NOT NULL,
  agent        TEXT NOT NULL,
  model        TEXT NOT NULL,
  PRIMARY KEY (team_id, name)
);
CREATE INDEX IF NOT EXISTS team_member_session ON team_member(session_id);
-- seq numbers a team's tasks 1, 2, 3… as the model reads them; owner is a member name (or 'lead') once claimed.
-- A claim is one conditional UPDATE (unowned, pending, every dependency completed): of two claimers one row changes.
CREATE TABLE IF NOT EXISTS team_task (
  team_id      TEXT NOT NULL REFERENCES team(id) ON DELETE CASCADE,
  seq          INTEGER NOT NULL,
  title        TEXT NOT NULL,
  status       TEXT NOT NULL,
  owner        TEXT,
  updated_at   INTEGER NOT NULL,
  PRIMARY KEY (team_id, seq)
);
CREATE TABLE IF NOT EXISTS team_task_dep (
  team_id      TEXT NOT NULL,
  seq          INTEGER NOT NULL,
  depends_on   INTEGER NOT NULL,
  PRIMARY KEY (team_id, seq, depends_on),
  FOREIGN KEY (team_id, seq) REFERENCES team_task(team_id, seq) ON DELETE CASCADE
);
-- The team's messages in the order sent (id is time-ordered); each is delivered into its recipient's session as well.
CREATE TABLE IF NOT EXISTS team_message (
  id           TEXT PRIMARY KEY,
  team_id      TEXT NOT NULL REFERENCES team(id) ON DELETE CASCADE,
  sender       TEXT NOT NULL,
  recipient    TEXT NOT NULL,
  text         TEXT NOT NULL,
  created_at   INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS team_message_team ON team_message(team_id, id);
