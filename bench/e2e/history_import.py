#!/usr/bin/env python3
"""Import of a big Claude Code session (issue 46, DESIGN §21): `lathe import --from claude-code --all` on a session
file of about --mib MiB, made by repeating the conversation of a real Claude Code fixture
(testkit/import-fixtures/files/claude-code: prompts, thinking, Bash/Read/Edit calls and results, and the bookkeeping
records Claude Code writes beside them) with fresh ids each time. Measures the import's wall time and peak RSS, for the
big file and for one a tenth of its size: the importer streams the file line by line, so memory grows with what the
session holds, not with the file (most of a Claude Code file is request logs Lathe skips).

    python3 bench/e2e/history_import.py [--mib 50] [--lathe bin/lathe]

Prints one JSON object. Nothing here reaches any address but loopback (nothing at all: import is local).
"""
import argparse
import glob
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FIXTURE = os.path.join(ROOT, "testkit", "import-fixtures", "files", "claude-code", "projects")
RECORDED = "/tmp/lathe-import-fixture/project"


def tool_session():
    """The fixture session that runs tools (the one resumed once: the most lines with tool_use)."""
    best = None
    for f in glob.glob(os.path.join(FIXTURE, "*", "*.jsonl")):
        text = open(f, encoding="utf-8").read()
        score = text.count('"tool_use"')
        if best is None or score > best[0]:
            best = (score, f)
    return best[1]


def suffixed(node, rep):
    """Every id of a record made unique for repetition `rep` (uuids, message ids, tool call ids)."""
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k in ("uuid", "parentUuid", "leafUuid", "sourceToolAssistantUUID", "tool_use_id", "promptId") and isinstance(v, str):
                out[k] = "%s-r%d" % (v, rep)
            elif k == "id" and isinstance(v, str) and (v.startswith("msg_") or v.startswith("toolu_")):
                out[k] = "%s-r%d" % (v, rep)
            else:
                out[k] = suffixed(v, rep)
        return out
    if isinstance(node, list):
        return [suffixed(v, rep) for v in node]
    return node


def make(config, project, mib):
    src = tool_session()
    lines = [json.loads(l) for l in open(src, encoding="utf-8") if l.strip()]
    folder = os.path.join(config, "projects", re.sub(r"[^a-zA-Z0-9]", "-", project))
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "0badc0de-0000-4000-8000-000000000000.jsonl")
    target = mib * 2**20
    size, rep = 0, 0
    with open(path, "w", encoding="utf-8") as out:
        while size < target:
            for rec in lines:
                s = json.dumps(suffixed(rec, rep), ensure_ascii=False).replace(RECORDED, project) + "\n"
                out.write(s)
                size += len(s.encode("utf-8"))
            rep += 1
    return path, size, rep


def run_import(lathe, home, config, project):
    env = {"PATH": os.environ["PATH"], "HOME": home, "XDG_DATA_HOME": os.path.join(home, "data"),
           "XDG_STATE_HOME": os.path.join(home, "state"), "XDG_CONFIG_HOME": os.path.join(home, "config"),
           "XDG_CACHE_HOME": os.path.join(home, "cache"), "CLAUDE_CONFIG_DIR": config, "CI": "1",
           "LATHE_DISABLE_MODELS_FETCH": "1", "JAVA_HOME": os.environ.get("JAVA_HOME", "")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load = os.getloadavg()[0]
    start = time.monotonic()
    child = subprocess.Popen([lathe, "import", "--from", "claude-code", "--dir", project, "--all"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = child.communicate()
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if child.returncode != 0:
        sys.exit("bench: import failed: " + err.decode(errors="replace"))
    # CPU time (user + sys) of the whole process: what the import costs whatever else the machine is doing
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "load1": round(load, 1)}, out.decode().strip().splitlines()


def measure(lathe, mib):
    work = tempfile.mkdtemp(prefix="lathe-import-bench-", dir="/var/tmp")
    try:
        project = os.path.join(work, "project")
        os.makedirs(project)
        config = os.path.join(work, "claude")
        path, size, reps = make(config, project, mib)
        home = os.path.join(work, "home")
        os.makedirs(home)
        # peak RSS: RUSAGE_CHILDREN's maximum over the children waited for so far (run the small size first)
        first, lines = run_import(lathe, home, config, project)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        again, lines2 = run_import(lathe, home, config, project)
        return {"mib": round(size / 2**20, 1), "repetitions": reps, "import_s": first["wall_s"], "import_cpu_s": first["cpu_s"],
                "load1": first["load1"], "reimport_s": again["wall_s"], "reimport_cpu_s": again["cpu_s"],
                "peak_rss_mib": round(peak / 1024, 1), "lines": lines, "reimport": lines2}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def history_import(lathe, mib):
    """The figures for a file of `mib` MiB and one a tenth of it (measured first: peak RSS is a running maximum)."""
    small = measure(lathe, max(1, mib // 10))
    big = measure(lathe, mib)
    for r in (small, big):
        r["sessions"] = len(r.pop("lines"))
        r["reimport_unchanged"] = all("\tunchanged\t" in l for l in r.pop("reimport"))
    return {"small": small, "big": big}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mib", type=int, default=50)
    ap.add_argument("--lathe", default=os.path.join(ROOT, "bin", "lathe"))
    a = ap.parse_args()
    print(json.dumps(history_import(a.lathe, a.mib)))


if __name__ == "__main__":
    main()
