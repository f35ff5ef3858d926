"""The LSP part of bench/run (`--only lsp`), for DESIGN §16's row "LSP diagnostics after an edit: in the same tool
result, ≤ 1.5 s added with a warm server".

The scripted task of task.py edits two Python files (wc.py at turn 1, test_wc.py at turn 2). It runs daemon-first
with pyright from testkit/npm on the PATH (`npm ci --prefix testkit/npm`), alternating runs with language servers on
and with `"lsp": false`, same server, same PATH. What an edit's diagnostics add is the gap the harness leaves after
the edit's reply (its next request's arrival minus the reply's sending, as the fake model logs them), on minus off:
after the first edit of a run pyright is cold (each run's new folder is a new project instance, whose server starts on
its first Python file), after the second it is warm."""
import os

import harnesses
import task

ROOT = harnesses.ROOT
# the turns whose reply is an edit: turn 1 edits wc.py (the server starts), turn 2 edits test_wc.py (it runs)
COLD_EDIT, WARM_EDIT = 1, 2


def servers_bin():
    folder = os.path.join(ROOT, "testkit", "npm", "node_modules", ".bin")
    if not os.access(os.path.join(folder, "pyright-langserver"), os.X_OK):
        raise SystemExit("bench: pyright-langserver is missing from %s: run npm ci --prefix testkit/npm" % folder)
    return folder


class WithLsp(task.ScriptedTask):
    """The scripted task with language servers on (the built-in table) or off (`"lsp": false`)."""

    def __init__(self, on):
        self.lsp = {"wait": 10} if on else False


class LatheWithServersOnPath(harnesses.LatheWithDaemon):
    """Lathe daemon-first with testkit/npm's language servers on the PATH of its server (both series: only config differs)."""

    def __init__(self):
        super().__init__()
        self.name = "lathe-daemon-lsp"

    def environment(self, home, port, workload=None):
        env = super().environment(home, port, workload)
        env["PATH"] = servers_bin() + os.pathsep + env["PATH"]
        return env


def gap_after(run, turn):
    """Seconds from the reply to step `turn` leaving the fake model to the next step's request arriving; None when
    the run has no such steps."""
    steps = {r["turn"]: r for r in run["requests"] if r.get("kind") == "step"}
    if turn not in steps or turn + 1 not in steps:
        return None
    return steps[turn + 1]["t"] - steps[turn]["sent"]


def diagnostics_in(run, turn):
    """Whether the request after `turn` carries a <diagnostics> block (pyright found something in the edit)."""
    steps = {r["turn"]: r for r in run["requests"] if r.get("kind") == "step"}
    body = steps.get(turn + 1, {}).get("body")
    return body is not None and "<diagnostics" in str(body)
