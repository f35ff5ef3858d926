-- "Always" answers to permission asks: allow rules a user granted for one project, kept across restarts.
CREATE TABLE approval (
  project_id  TEXT NOT NULL REFERENCES project(id),
  permission  TEXT NOT NULL,                    -- bash, edit, read, external_directory, ...
  pattern     TEXT NOT NULL,                    -- e.g. `git status *`
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (project_id, permission, pattern)
);
