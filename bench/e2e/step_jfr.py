"""Where a recording of step_cpu.py's measured round spends its samples (issue 70).

    python3 bench/e2e/step_jfr.py [--top 40] [--under FRAME] [--match TEXT ...] RUN.jfr ...

Reads each recording's execution samples (`jfr print --json`, stacks 128 frames deep) and prints, per recording, the
inclusive share of all its samples of the methods seen most (a method counted once per sample however often it is on
the stack), then of the methods named by --match (a substring of `Class.method`; for costs to compare across builds).
With --under FRAME the shares are of the samples whose stack holds FRAME, and only of the frames above it (its callees).
Thread names, the other dimension a step's cost splits by, are step_cpu.py's (/proc).
"""
import argparse
import json
import os
import subprocess
from collections import Counter

from harnesses import ROOT


def samples(path):
    """Each execution sample's stack, innermost first, as `Class.method` names."""
    java_home = subprocess.run([os.path.join(ROOT, "bin", "jdk25")], capture_output=True, text=True).stdout.strip()
    text = subprocess.run([os.path.join(java_home, "bin", "jfr"), "print", "--json", "--stack-depth", "128",
                           "--events", "jdk.ExecutionSample", path], capture_output=True, text=True, check=True).stdout
    for event in json.loads(text)["recording"]["events"]:
        trace = event["values"].get("stackTrace") or {"frames": []}
        yield [f["method"]["type"]["name"].rsplit("/", 1)[-1] + "." + f["method"]["name"] for f in trace["frames"]]


def shares(stacks, under=None):
    counts, total = Counter(), 0
    for stack in stacks:
        if under:
            at = next((i for i, frame in enumerate(stack) if under in frame), None)
            if at is None:
                continue
            stack = stack[:at]
        total += 1
        counts.update(set(stack))
    return counts, total


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("recordings", nargs="+")
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--under", metavar="FRAME")
    ap.add_argument("--match", nargs="*", default=[])
    a = ap.parse_args()
    for path in a.recordings:
        stacks = list(samples(path))
        counts, total = shares(stacks, a.under)
        print("%s: %d samples%s" % (path, total, " under " + a.under if a.under else ""))
        for frame, n in counts.most_common(a.top):
            print("  %5.1f %%  %s" % (100.0 * n / max(total, 1), frame))
        for text in a.match:
            n = sum(1 for stack in stacks if any(text in frame for frame in stack))
            print("  match %5.1f %%  %s" % (100.0 * n / max(len(stacks), 1), text))


if __name__ == "__main__":
    main()
