"""Server CPU per step, before and after a change, in one alternating run (issue 70).

    python3 bench/e2e/step_cpu.py [--pairs 3] [--sessions 20] [--steps 100] [--jfr DIR] [BUILD ...]

Each BUILD is a checkout already built as bin/lathe runs it (this checkout when none is named; `bench/run --baseline
REV` leaves one under bench/target). The builds take turns, PAIRS times over: each run is one `lathe serve` of that
build for a fresh HOME, one full untimed round of SESSIONS × STEPS read steps (the concurrency run's, so the measured
round finds the JIT's compiles done, as a user's server that has run for a while), then the same round measured.
Figures per run: the server's CPU time over the measured round (its /proc/PID/stat utime + stime, with waited-for
children) ÷ the steps — what the load moves least, unlike a wall time —, the same split by thread (the turns' virtual
threads run on the ForkJoinPool carriers), the gap p50 / p99 and the load average around the run, which every figure
must be read with. With --jfr a recording of the measured round only (`jcmd JFR.start`, 1 ms execution samples) is
kept as DIR/RUN.jfr. One JSON line per run on stdout, a summary on stderr.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import analysis
import measure
from concurrency import plan, run_round, script, verified
from harnesses import ROOT
from long_session import write_files
from server_api import ManySessions, percentile, session_requests


def thread_cpu(pid):
    """{thread group: CPU seconds so far} of a process, its threads grouped by name (numbers dropped)."""
    groups = {}
    tick = os.sysconf("SC_CLK_TCK")
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/stat" % (pid, tid)) as f:
                text = f.read()
        except OSError:
            continue  # a thread that ended between the listing and the read
        name = text[text.index("(") + 1:text.rindex(")")]
        fields = text.rsplit(")", 1)[1].split()
        group = ("carriers" if name.startswith("ForkJoinPool") else "lathe-turn" if name.startswith("lathe-turn")
                 else re.sub(r"[-#\s]*\d+$", "", name))
        groups[group] = groups.get(group, 0) + (int(fields[11]) + int(fields[12])) / tick
    return groups


def jcmd(pid, *args):
    java_home = subprocess.run([os.path.join(ROOT, "bin", "jdk25")], capture_output=True, text=True).stdout.strip()
    subprocess.run([os.path.join(java_home, "bin", "jcmd"), str(pid), *args], check=True, capture_output=True)


def one_run(build, scratch, sessions, steps, jfr=None):
    runs = plan(sessions, steps, warm_up=sessions, warm_up_steps=steps)
    scripts = {sid: script(first, n) for sid, (first, n) in runs.items()}
    load = os.getloadavg()[0]
    with ManySessions(scratch, "steps", scripts, steps, lambda repo: write_files(repo, sessions * steps),
                      bodies_from=steps, root=build) as served:
        pid = served.server_pid
        warm = sorted(sid for sid in runs if sid.startswith("w"))
        run_round(served, warm, runs, timeout=600)
        measured = sorted(sid for sid in runs if sid.startswith("c"))
        if jfr:
            jcmd(pid, "JFR.start", "name=step", "settings=default", "jdk.ExecutionSample#period=1ms")
        threads, cpu, fake = thread_cpu(pid), measure.cpu_s(pid), measure.cpu_s(served.fake.pid)
        started, ended, errors = run_round(served, measured, runs, timeout=900)
        cpu, threads_after, fake = measure.cpu_s(pid) - cpu, thread_cpu(pid), measure.cpu_s(served.fake.pid) - fake
        if jfr:
            jcmd(pid, "JFR.stop", "name=step", "filename=" + jfr)
        requests = served.requests()
    count = sessions * (steps + 1)
    gaps = [g for sid in measured for g in analysis.step_gaps_ms(session_requests(requests, sid))]
    done = [sid for sid in measured if not errors.get(sid) and verified(requests, sid, *runs[sid])]
    by_thread = {k: round(1000 * (v - threads.get(k, 0)) / count, 3) for k, v in threads_after.items()}
    return {"build": build, "cpu_ms_per_step": round(1000 * cpu / count, 3),
            "threads_ms_per_step": {k: v for k, v in sorted(by_thread.items(), key=lambda kv: -kv[1]) if v >= 0.005},
            # the fake model's, on the same cores: a gap is about sessions × (server + fake) ÷ cores (decision 547)
            "fake_cpu_ms_per_step": round(1000 * fake / count, 3),
            "gap_p50_ms": percentile(gaps, 50), "gap_p99_ms": percentile(gaps, 99), "wall_s": round(ended - started, 2),
            "load_before": round(load, 2), "load_after": round(os.getloadavg()[0], 2),
            "done": "%d/%d" % (len(done), len(measured))}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("builds", nargs="*", default=[ROOT])
    ap.add_argument("--pairs", type=int, default=3)
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--steps", type=int, default=100)
    ap.add_argument("--jfr", metavar="DIR", help="keep a recording of each measured round in DIR")
    a = ap.parse_args()
    builds = [os.path.abspath(b) for b in a.builds]
    for n in range(a.pairs):
        for k, build in enumerate(builds):
            jfr = os.path.join(os.path.abspath(a.jfr), "run%d-b%d.jfr" % (n, k)) if a.jfr else None
            with tempfile.TemporaryDirectory(prefix="lathe-step-cpu-") as scratch:
                r = one_run(build, scratch, a.sessions, a.steps, jfr)
            print(json.dumps(r), flush=True)
            top = ", ".join("%s %.2f" % kv for kv in list(r["threads_ms_per_step"].items())[:4])
            print("step_cpu: %s: %.2f ms per step (%s; the fake model %.2f), gap p50 / p99 %.0f / %.0f ms, load %.1f → %.1f, "
                  "done %s" % (os.path.basename(build), r["cpu_ms_per_step"], top, r["fake_cpu_ms_per_step"],
                               r["gap_p50_ms"] or -1, r["gap_p99_ms"] or -1,
                     r["load_before"], r["load_after"], r["done"]), file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
