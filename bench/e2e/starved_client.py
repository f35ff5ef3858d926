"""The `lathe run` client's peak when it is the slow side (issue 70, decision 487): long sessions through a warm daemon
pinned to CPU 0, each client pinned to CPU 1 beside busy loops, so the client ends its turn seconds behind its events,
as on a loaded machine. What the client then does at the end (catch up with the stream, or read the store) shows in its
peak by the kernel's count (`ru_maxrss`). With --baseline, another build's daemon and clients alternate with this
checkout's.

    python3 bench/e2e/starved_client.py --sizes 30,150,300 --runs 3
    python3 bench/e2e/starved_client.py --baseline bench/target/baseline-f8f1db0ae896 --loops 4 --sizes 300 --runs 2

Needs `taskset` (util-linux) and two CPUs. Prints one JSON line per run and a median per build and size; the busy
loops and the daemons end with it. Nothing reaches any address but loopback.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

import harnesses
import measure
from long_session import LongSession

WARM_UP_STEPS = 20


class Pinned(harnesses.LatheWithDaemon):
    """`lathe run` on CPU 1 only; its daemon is pinned to CPU 0 once it runs (see main)."""

    def command(self, prompt=harnesses.PROMPT):
        return ["taskset", "-c", "1"] + super().command(prompt)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="30,150,300", help="long-session steps, comma-separated")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--loops", type=int, default=2, help="busy loops beside the client on CPU 1")
    ap.add_argument("--baseline", help="another build's tree (bench/run --baseline leaves one in bench/target)")
    a = ap.parse_args()
    if os.cpu_count() < 2:
        sys.exit("starved_client: needs two CPUs")
    sizes = [int(n) for n in a.sizes.split(",")]
    builds = {"now": Pinned()}
    if a.baseline:
        builds["baseline"] = Pinned(os.path.abspath(a.baseline), "baseline")
    scratch = tempfile.mkdtemp(prefix="starved-client-")
    loops, rows = [], {}
    try:
        for name, h in builds.items():
            measure.run_once(h, os.path.join(scratch, "home-" + name), os.path.join(scratch, "warm-" + name),
                             LongSession(WARM_UP_STEPS))
            subprocess.run(["taskset", "-a", "-p", "-c", "0", str(h.server.pid)], check=True, stdout=subprocess.DEVNULL)
        loops = [subprocess.Popen(["taskset", "-c", "1", "sh", "-c", "while :; do :; done"]) for _ in range(a.loops)]
        for i in range(a.runs):
            order = list(builds.items()) if i % 2 == 0 else list(reversed(builds.items()))
            for n in sizes:
                for name, h in order:
                    r = measure.run_once(h, os.path.join(scratch, "home-" + name),
                                         os.path.join(scratch, "%s-%d-%d" % (name, n, i)), LongSession(n), timeout=600)
                    row = {"build": name, "steps": n, "run": i + 1, "exit": r["exit"], "done": r["done"],
                           "client_maxrss_mib": round(r["maxrss_mib"], 1),
                           "client_sampled_mib": round(r["sampled_peak_rss_mib"], 1),
                           "server_hwm_mib": r["server_hwm_mib"] and round(r["server_hwm_mib"], 1),
                           "wall_s": round(r["wall_s"], 2), "cpu_s": round(r["cpu_s"], 2)}
                    print(json.dumps(row), flush=True)
                    rows.setdefault((name, n), []).append(row)
    finally:
        for p in loops:
            p.kill()
            p.wait()
        for h in builds.values():
            h.stop()
    with open("/proc/loadavg") as f:
        print("load %s" % " ".join(f.read().split()[:3]))
    for (name, n), rs in sorted(rows.items()):
        values = [r["client_maxrss_mib"] for r in rs]
        print("%-8s %3d steps: client ru_maxrss median %.1f MiB (%s), done %d/%d" % (
            name, n, statistics.median(values), " ".join("%.1f" % v for v in values),
            sum(1 for r in rs if r["done"] and r["exit"] == 0), len(rs)))


if __name__ == "__main__":
    main()
