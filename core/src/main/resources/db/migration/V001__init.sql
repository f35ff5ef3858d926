-- Projects, sessions, messages and parts. Relational columns for what is queried, JSON `data` for the body.
CREATE TABLE project (
  id          TEXT PRIMARY KEY,                 -- prj_…
  directory   TEXT NOT NULL UNIQUE,             -- absolute, normalised project folder
  created_at  INTEGER NOT NULL
);

CREATE TABLE session (
  id          TEXT PRIMARY KEY,                 -- ses_…, time-ordered
  project_id  TEXT NOT NULL REFERENCES project(id),
  directory   TEXT NOT NULL,
  parent_id   TEXT REFERENCES session(id) ON DELETE CASCADE,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  data        TEXT NOT NULL                     -- JSON of Session
);
CREATE INDEX session_directory_updated ON session(directory, updated_at);

CREATE TABLE message (
  id          TEXT PRIMARY KEY,                 -- msg_…, time-ordered
  session_id  TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
  role        TEXT NOT NULL,                    -- 'user' | 'assistant'
  created_at  INTEGER NOT NULL,
  completed   INTEGER NOT NULL DEFAULT 1,       -- 0 while an assistant message is still being produced
  data        TEXT NOT NULL                     -- JSON of UserMessage | AssistantMessage
);
CREATE INDEX message_session ON message(session_id, id);
CREATE INDEX message_open ON message(completed) WHERE completed = 0;

CREATE TABLE part (
  id          TEXT PRIMARY KEY,                 -- prt_…, time-ordered
  message_id  TEXT NOT NULL REFERENCES message(id) ON DELETE CASCADE,
  session_id  TEXT NOT NULL,
  type        TEXT NOT NULL,                    -- wire type: text, tool, step-start, …
  status      TEXT,                             -- tool parts: pending | running | completed | failed
  data        TEXT NOT NULL                     -- JSON of the Part
);
CREATE INDEX part_message ON part(message_id, id);
CREATE INDEX part_session ON part(session_id, id);
CREATE INDEX part_open ON part(status) WHERE status IN ('pending', 'running');
