"""`lathe run "say hello"` against a warm daemon in each output format (issue 86): launch → first model request as the
fake model logs it, and wall, medians of --runs. The formats (and, with --baseline, the builds) alternate run by run,
so each comparison is taken in the same minutes on a shared machine; the load average is printed with each figure.

    python3 bench/e2e/format_start.py --runs 7
    python3 bench/e2e/format_start.py --runs 7 --baseline /tmp/before   # a tree with bin/ and app/target/ of another build

A few warm-up runs per build and format come first (the daemon's code warm, as on a user's second run of the day);
each build has its own warm daemon, stopped at the end. Nothing reaches any address but loopback.
"""
import argparse
import json
import os
import statistics
import tempfile

import analysis
import harnesses
import measure

FORMATS = ("text", "json")


class Hello:
    """One text answer to "say hello" in a folder with one file, as issue 86 measured it."""
    prompt = "say hello"
    long = False
    bodies_from = None

    def setup(self, repo):
        os.makedirs(repo)
        with open(os.path.join(repo, "README.md"), "w") as f:
            f.write("hello\n")

    def script(self, product):
        return [{"text": "Hello."}]

    def done(self, repo, requests):
        return any(r.get("kind") == "step" for r in requests)


class InFormat(harnesses.LatheWithDaemon):
    """The daemon client with --format FORMAT (text: the default, no option)."""

    def __init__(self, root, tag):
        super().__init__(root, tag)
        self.format = "text"

    def command(self, prompt=harnesses.PROMPT):
        base = super().command(prompt)
        return base if self.format == "text" else base[:2] + ["--format", self.format] + base[2:]


def load():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--warm-up", type=int, default=3)
    ap.add_argument("--baseline", help="another build's tree: bin/ and app/target/")
    a = ap.parse_args()
    builds = {"now": InFormat(harnesses.ROOT, None)}
    if a.baseline:
        builds["baseline"] = InFormat(os.path.abspath(a.baseline), "baseline")
    scratch = tempfile.mkdtemp(prefix="format-start-")
    rows, loads = {}, []
    work = Hello()
    try:
        for i in range(-a.warm_up, a.runs):
            order = list(builds.items()) if i % 2 == 0 else list(reversed(builds.items()))
            for fmt in (FORMATS if i % 2 == 0 else tuple(reversed(FORMATS))):
                for name, h in order:
                    h.format = fmt
                    r = measure.run_once(h, os.path.join(scratch, "home-" + name), os.path.join(scratch, "%s-%s-%d" % (name, fmt, i + a.warm_up)), work)
                    first = analysis.first_request_s(r)
                    row = {"build": name, "format": fmt, "run": i + 1, "exit": r["exit"], "first_request_s": first and round(first, 3),
                           "wall_s": round(r["wall_s"], 3), "cpu_s": round(r["cpu_s"], 3), "load": load()}
                    print(json.dumps(row), flush=True)
                    if i >= 0:
                        rows.setdefault((name, fmt), []).append(row)
                        loads.append(row["load"])
    finally:
        for h in builds.values():
            h.stop()
    print("load at the start %s, at the end %s" % (loads[0] if loads else "?", load()))
    for (name, fmt), rs in sorted(rows.items()):
        med = lambda k: statistics.median(r[k] for r in rs if r[k] is not None)  # noqa: E731
        print("%-8s %-5s first request %.3f s, wall %.3f s, cpu %.3f s (median of %d; exits %s)" % (
            name, fmt, med("first_request_s"), med("wall_s"), med("cpu_s"), len(rs), sorted({r["exit"] for r in rs})))


if __name__ == "__main__":
    main()
