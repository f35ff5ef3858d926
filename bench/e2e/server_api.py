"""Many sessions on one `lathe serve` at once, driven through its HTTP API (DESIGN §6), for the concurrency run and
the soak: the server started for a HOME as bin/lathe starts it (harnesses.LatheWithDaemon, the same JVM flags as a
user's), one fake model answering every session from that session's own script (fake_model.py's {"sessions": …}
form, keyed on the "[session ID]" marker of the prompt), sessions created and prompted over HTTP, and their turns
awaited on one GET /events stream, as a client would.

Why the API rather than one `lathe run` per session: twenty `lathe run` clients are twenty JVMs (each ~60–80 MiB and a
few hundred ms of CPU to start, then decoding every event of its session) on the same two cores as the server, so the
figure would measure the clients' start-up and decoding as much as the server; one Python process holding an HTTP
connection per session and a single event stream costs the cores far less and leaves the server's work to be measured.
"""
import http.client
import json
import os
import threading
import time
import types

import harnesses
import measure

# a window no session here can fill: no compaction changes what is measured
CONTEXT = 1000000


def workload(steps_per_turn):
    """What harnesses.config reads from a workload: the long-session window and the agent's step cap for a turn."""
    return types.SimpleNamespace(long=True, context=CONTEXT, steps=steps_per_turn)


class ServerApi:
    """A client of the server running for a HOME (its server.json: url and token); one keep-alive connection per
    calling thread."""

    def __init__(self, home):
        with open(os.path.join(home, "state", "lathe", "server.json")) as f:
            server = json.load(f)
        host_port = server["url"].split("//", 1)[1].rstrip("/")
        self.host, self.port = host_port.rsplit(":", 1)[0], int(host_port.rsplit(":", 1)[1])
        self.headers = {"Authorization": "Bearer " + server["token"], "Content-Type": "application/json"}
        self.local = threading.local()

    def connection(self, timeout=60):
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def call(self, method, path, body=None):
        """(status, decoded JSON) of one request on this thread's connection (opened again if the server closed it)."""
        for attempt in (1, 2):
            if getattr(self.local, "connection", None) is None:
                self.local.connection = self.connection()
            try:
                self.local.connection.request(method, path, None if body is None else json.dumps(body), self.headers)
                response = self.local.connection.getresponse()
                data = response.read()
                return response.status, json.loads(data) if data else None
            except (http.client.HTTPException, ConnectionError):
                self.local.connection.close()
                self.local.connection = None
                if attempt == 2:
                    raise

    def create_session(self, directory):
        status, session = self.call("POST", "/sessions", {"directory": directory})
        if status != 201:
            raise RuntimeError("POST /sessions answered %d: %s" % (status, session))
        return session["id"]

    def prompt(self, session_id, text):
        """Sends a prompt whose asks the server answers allow-once (what `lathe run --allow-all` sends)."""
        status, accepted = self.call("POST", "/sessions/%s/prompt" % session_id,
                                     {"parts": [{"type": "text", "text": text}], "allowAll": True})
        if status != 202:
            raise RuntimeError("POST /sessions/%s/prompt answered %d: %s" % (session_id, status, accepted))
        return accepted["messageId"]


class TurnWatcher:
    """One GET /events subscription for all sessions: a turn has ended when its session went busy after the prompt
    and then idle again; a session.error on the way is the turn's failure. The stream is read in large blocks and only
    the lines of the event types it needs are decoded, so it keeps up with twenty busy sessions on a loaded machine;
    if the server drops it anyway (its buffer for this reader full for 5 s), it reconnects with Last-Event-ID, as the
    clients do, and counts that in reconnects (a resync, events lost, fails the turns still awaited)."""

    WANTED = (b"session.status", b"session.error", b"resync")

    def __init__(self, api):
        self.api = api
        self.condition = threading.Condition()
        self.turns = {}  # session id → {"busy": bool, "idle": bool, "error": str | None}
        self.broken = None
        self.closed = False
        self.last_id = None
        self.reconnects = 0
        self.connection = self.open()
        self.thread = threading.Thread(target=self.read, daemon=True)
        self.thread.start()

    def open(self):
        connection = self.api.connection(timeout=None)
        headers = dict(self.api.headers, **({"Last-Event-ID": self.last_id} if self.last_id else {}))
        connection.request("GET", "/events", headers=headers)
        self.response = connection.getresponse()
        if self.response.status != 200:
            raise RuntimeError("GET /events answered %d" % self.response.status)
        return connection

    def expect(self, session_id):
        """Call before the prompt is sent: from now on the session's next busy → idle is this turn."""
        with self.condition:
            self.turns[session_id] = {"busy": False, "idle": False, "error": None}

    def wait(self, session_id, timeout):
        """None when the turn ended well, else why not."""
        deadline = time.time() + timeout
        with self.condition:
            while True:
                turn = self.turns[session_id]
                if turn["idle"]:
                    return turn["error"]
                if self.broken:
                    return self.broken
                left = deadline - time.time()
                if left <= 0:
                    return "no idle status within %d s" % timeout
                self.condition.wait(left)

    def read(self):
        while not self.closed:
            try:
                self.read_stream()
            except Exception as e:  # noqa: BLE001 (whatever broke the stream: resume it, as a client does)
                if self.closed:
                    return
                why = repr(e)
            else:
                why = "it ended"
            if self.closed or self.broken:
                return
            self.reconnects += 1
            if self.reconnects > 20:
                return self.fail("the event stream broke %d times, the last: %s" % (self.reconnects, why))
            try:
                self.connection.close()
                self.connection = self.open()
            except Exception as e:  # noqa: BLE001
                return self.fail("the event stream could not be resumed: %r" % e)

    def read_stream(self):
        kind, pending = None, b""
        while True:
            block = self.response.read1(1 << 16)
            if not block:
                return
            lines = (pending + block).split(b"\n")
            pending = lines.pop()
            for line in lines:
                if line.startswith(b"id:"):
                    self.last_id = line[3:].strip().decode()
                elif line.startswith(b"event:"):
                    kind = line[6:].strip()
                elif line.startswith(b"data:") and kind in self.WANTED:
                    self.on(kind.decode(), json.loads(line[5:]))

    def on(self, kind, event):
        if kind == "resync":
            return self.fail("the event stream lagged (resync): statuses may have been missed")
        with self.condition:
            turn = self.turns.get(event.get("sessionId"))
            if turn is None:
                return
            if kind == "session.error":
                turn["error"] = json.dumps(event.get("error"))[:500]
            elif event["status"]["type"] == "idle":
                turn["idle"] = turn["busy"]
            else:
                turn["busy"] = True
            self.condition.notify_all()

    def fail(self, why):
        with self.condition:
            self.broken = self.broken or why
            self.condition.notify_all()

    def close(self):
        self.closed = True
        self.connection.close()


class ManySessions:
    """One `lathe serve` for a fresh HOME in scratch, its model the fake one answering the per-session scripts
    {session id: turns}, the repository folder made a git repository, an API client and an event watcher. A context
    manager: leaving it stops the server and the fake model."""

    def __init__(self, scratch, name, scripts, steps_per_turn, setup, bodies_from=None, root=harnesses.ROOT):
        self.folder = os.path.join(scratch, name)
        self.home, self.repo = os.path.join(self.folder, "home"), os.path.join(self.folder, "repo")
        os.makedirs(self.home)
        os.makedirs(self.repo)
        setup(self.repo)
        measure.git(self.repo, "init", "-q", "-b", "main")
        measure.git(self.repo, "add", "-A")
        measure.git(self.repo, "commit", "-q", "-m", "scenario")
        self.fake, port, self.log = measure.start_fake_model(self.folder, {"sessions": scripts}, self.repo, bodies_from)
        self.daemon = harnesses.LatheWithDaemon(root)  # root: another checkout's build, for an A/B (step_cpu.py)
        self.watcher = None
        try:
            self.daemon.prepare(self.repo, self.home, port, workload(steps_per_turn))
            self.api = ServerApi(self.home)
            self.watcher = TurnWatcher(self.api)
        except BaseException:
            self.close()
            raise

    @property
    def server_pid(self):
        return self.daemon.server_pid()

    def server_log_tail(self, lines=40):
        """The last lines of the server's log that look like trouble (for the report of a failed run)."""
        with open(os.path.join(self.home, "serve.log"), encoding="utf-8", errors="replace") as f:
            bad = [line.rstrip() for line in f
                   if any(word in line for word in ("ERROR", "WARN", "Exception", "at dev.lathe"))]
        return bad[-lines:]

    def requests(self):
        return measure.read_requests(self.log)

    def close(self):
        if self.watcher:
            self.watcher.close()
        self.daemon.stop()
        self.fake.terminate()
        self.fake.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def percentile(values, p):
    """Nearest-rank percentile of values (None when empty)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))  # ceil(n·p/100)
    return ordered[int(rank) - 1]


def session_requests(requests, session_id):
    """A session's own requests in the log, in the shape analysis.py reads (a run with requests)."""
    return {"requests": [r for r in requests if r.get("session") == session_id]}


def run_alone(name, run, options, bulky):
    """A part run by itself from the command line: options are (flag, default) integers passed to run in their order;
    the figures (less the bulky per-step key) go to stdout as JSON, notes to stderr."""
    import argparse
    import sys
    import tempfile

    ap = argparse.ArgumentParser(description="The %s alone (bench/run --only %s)." % (name, name))
    for flag, default in options:
        ap.add_argument(flag, type=int, default=default)
    values = list(vars(ap.parse_args()).values())
    with tempfile.TemporaryDirectory(prefix="lathe-%s-" % name) as folder:
        result = run(folder, *values, log=lambda *x: print(*x, file=sys.stderr, flush=True))
    print(json.dumps({k: v for k, v in result.items() if k != bulky}, indent=2))
