-- The team server's open asks and running sessions' statuses (DESIGN §20); SQLite's V011 is empty: one process keeps these in memory.
-- node_ask: a permission ask or question open on the node running the turn, so any node lists it and takes its answer.
-- The answer is written here (once: WHERE reply IS NULL) and the running node is told by NOTIFY lathe_ask; the row goes
-- when the asking call stops waiting. An ask counts as open only while its node holds a live lease (it runs a turn).
CREATE TABLE node_ask (
    id TEXT COLLATE "C" PRIMARY KEY,
    kind TEXT NOT NULL,
    session_id TEXT COLLATE "C" NOT NULL,
    directory TEXT NOT NULL,
    node TEXT NOT NULL,
    request TEXT NOT NULL,
    reply TEXT
);
CREATE INDEX node_ask_node ON node_ask(node);
-- session_run: the status (busy, waiting, retry) of each session a node runs now, parents and subagents' children alike;
-- the row goes when the session is idle. Counted only while its node holds a live lease, so a dead node's rows read idle.
CREATE TABLE session_run (
    session_id TEXT COLLATE "C" PRIMARY KEY,
    node TEXT NOT NULL,
    status TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX session_run_node ON session_run(node);
