-- the todo list of a session, written whole by the todo tool; outside messages so compaction never drops it
CREATE TABLE todo (
  session_id  TEXT PRIMARY KEY REFERENCES session(id) ON DELETE CASCADE,
  updated_at  INTEGER NOT NULL,
  data        TEXT NOT NULL                     -- JSON array of Todo
);
