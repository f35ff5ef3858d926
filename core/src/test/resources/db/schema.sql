CREATE INDEX message_copied_from ON message(copied_from) WHERE copied_from IS NOT NULL;
CREATE INDEX message_open ON message(completed) WHERE completed = 0;
CREATE INDEX message_session ON message(session_id, id);
CREATE INDEX part_message ON part(message_id, id);
CREATE INDEX part_open ON part(status) WHERE status IN ('pending', 'running');
CREATE INDEX part_session ON part(session_id, id);
CREATE INDEX session_directory_updated ON session(directory, updated_at);
CREATE INDEX session_owner_owner ON session_owner(owner);
CREATE INDEX session_parent ON session(parent_id, created_at);
CREATE INDEX session_worktree_main_checkout ON session_worktree(main_checkout);
CREATE INDEX team_delivery_waiting ON team_delivery(message_id) WHERE delivered_at IS NULL;
CREATE INDEX team_lead ON team(lead_id);
CREATE INDEX team_member_session ON team_member(session_id);
CREATE INDEX team_message_team ON team_message(team_id, id);
CREATE TABLE account (
  name         TEXT PRIMARY KEY,
  admin        INTEGER NOT NULL,
  token_id     TEXT NOT NULL UNIQUE,
  token_salt   TEXT NOT NULL,
  token_hash   TEXT NOT NULL,
  created_at   INTEGER NOT NULL
);
CREATE TABLE approval (
  project_id  TEXT NOT NULL REFERENCES project(id),
  permission  TEXT NOT NULL,                    
  pattern     TEXT NOT NULL,                    
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (project_id, permission, pattern)
);
CREATE TABLE message (
  id          TEXT PRIMARY KEY,                 
  session_id  TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
  role        TEXT NOT NULL,                    
  created_at  INTEGER NOT NULL,
  completed   INTEGER NOT NULL DEFAULT 1,       
  data        TEXT NOT NULL                     
, copied_from TEXT);
CREATE TABLE part (
  id          TEXT PRIMARY KEY,                 
  message_id  TEXT NOT NULL REFERENCES message(id) ON DELETE CASCADE,
  session_id  TEXT NOT NULL,
  type        TEXT NOT NULL,                    
  status      TEXT,                             
  data        TEXT NOT NULL                     
);
CREATE TABLE project (
  id          TEXT PRIMARY KEY,                 
  directory   TEXT NOT NULL UNIQUE,             
  created_at  INTEGER NOT NULL
);
CREATE TABLE schedule (
  id           TEXT PRIMARY KEY,
  owner        TEXT NOT NULL,
  cron         TEXT NOT NULL,
  zone         TEXT NOT NULL,
  directory    TEXT,
  repo         TEXT,
  message      TEXT NOT NULL,
  created_at   INTEGER NOT NULL
);
CREATE TABLE schedule_environment (
  schedule_id  TEXT PRIMARY KEY REFERENCES schedule(id) ON DELETE CASCADE,
  environment  TEXT NOT NULL
);
CREATE TABLE schedule_run (
  schedule_id  TEXT NOT NULL REFERENCES schedule(id) ON DELETE CASCADE,
  slot_at      INTEGER NOT NULL,
  node         TEXT NOT NULL,
  session_id   TEXT,
  PRIMARY KEY (schedule_id, slot_at)
);
CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL);
CREATE TABLE session (
  id          TEXT PRIMARY KEY,                 
  project_id  TEXT NOT NULL REFERENCES project(id),
  directory   TEXT NOT NULL,
  parent_id   TEXT REFERENCES session(id) ON DELETE CASCADE,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  data        TEXT NOT NULL                     
);
CREATE TABLE session_owner (
  session_id   TEXT PRIMARY KEY REFERENCES session(id) ON DELETE CASCADE,
  owner        TEXT NOT NULL
);
CREATE TABLE session_task (
  session_id   TEXT PRIMARY KEY REFERENCES session(id) ON DELETE CASCADE,
  repo         TEXT NOT NULL,
  base_commit  TEXT NOT NULL,
  name         TEXT NOT NULL
);
CREATE TABLE session_worktree (
  session_id     TEXT PRIMARY KEY REFERENCES session(id) ON DELETE CASCADE,
  main_checkout  TEXT NOT NULL
);
CREATE TABLE team (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL,
  lead_id      TEXT NOT NULL,
  created_at   INTEGER NOT NULL
);
CREATE TABLE team_delivery (
  message_id   TEXT NOT NULL REFERENCES team_message(id) ON DELETE CASCADE,
  recipient_id TEXT NOT NULL,
  delivered_at INTEGER,
  PRIMARY KEY (message_id, recipient_id)
);
CREATE TABLE team_member (
  team_id      TEXT NOT NULL REFERENCES team(id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  session_id   TEXT NOT NULL,
  agent        TEXT NOT NULL,
  model        TEXT NOT NULL,
  PRIMARY KEY (team_id, name)
);
CREATE TABLE team_message (
  id           TEXT PRIMARY KEY,
  team_id      TEXT NOT NULL REFERENCES team(id) ON DELETE CASCADE,
  sender       TEXT NOT NULL,
  recipient    TEXT NOT NULL,
  text         TEXT NOT NULL,
  created_at   INTEGER NOT NULL
);
CREATE TABLE team_task (
  team_id      TEXT NOT NULL REFERENCES team(id) ON DELETE CASCADE,
  seq          INTEGER NOT NULL,
  title        TEXT NOT NULL,
  status       TEXT NOT NULL,
  owner        TEXT,
  updated_at   INTEGER NOT NULL,
  PRIMARY KEY (team_id, seq)
);
CREATE TABLE team_task_dep (
  team_id      TEXT NOT NULL,
  seq          INTEGER NOT NULL,
  depends_on   INTEGER NOT NULL,
  PRIMARY KEY (team_id, seq, depends_on),
  FOREIGN KEY (team_id, seq) REFERENCES team_task(team_id, seq) ON DELETE CASCADE
);
CREATE TABLE todo (
  session_id  TEXT PRIMARY KEY REFERENCES session(id) ON DELETE CASCADE,
  updated_at  INTEGER NOT NULL,
  data        TEXT NOT NULL                     
);
