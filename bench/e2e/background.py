"""Background subagents under load (issue 56, DESIGN §16 per session): a parent session starts two background children
(`task` with `"background": true`) and goes on reading while they read, on one warm server; beside it, in the same
server and run, the same reading done by one session alone. Figures, for both: the harness gap per step (p50, p99),
the server's CPU per step and its peak RSS, and what each step sends the model (characters per request: the cost).

The parent's first step asks for both children at once; each child's prompt names its own session marker ("[session
b1]"), so the fake model follows each child's script (fake_model.py's {"sessions": …}); their results reach the parent
at one of its step boundaries or as a turn of their own once it is idle (then the script has no more turns and the
model's one-line answer ends it). The run ends when no session is busy and both children asked their last step.
"""
import json
import statistics
import time

import analysis
import measure
from concurrency import prompt as read_prompt, script as read_script
from long_session import write_files
from server_api import ManySessions, percentile, session_requests


def parent_script(steps, children):
    """Starts the children in one step, then reads its own range, then answers."""
    calls = [{"name": "task", "arguments": {"description": "read modules %s" % sid, "agent": "general", "background": True,
                                            "prompt": read_prompt(sid, first, n)}} for sid, (first, n) in children.items()]
    first = (len(children) + 1) * steps
    return [{"tool_calls": calls}] + read_script(first, steps)


def busy(served):
    status, statuses = served.api.call("GET", "/sessions/status")
    return status != 200 or bool(statuses)


def await_all(served, parent, children, steps, timeout):
    """Waits until every child asked its last step and no session is busy (the parent took the results up)."""
    deadline = time.time() + timeout
    quiet_since = None
    while time.time() < deadline:
        requests = served.requests()
        children_done = all(any(r.get("session") == sid and r.get("kind") == "step" and r.get("turn") == steps
                                for r in requests) for sid in children)
        if children_done and not busy(served):
            quiet_since = quiet_since or time.time()
            if time.time() - quiet_since > 1.0:
                return None
        else:
            quiet_since = None
        time.sleep(0.1)
    return "not done within %d s" % timeout


def figures_of(requests, sessions, cpu_s, peak_mib, steps_total):
    gaps = [g for sid in sessions for g in analysis.step_gaps_ms(session_requests(requests, sid))]
    sizes = [r["chars"] for r in requests if r.get("session") in sessions and r.get("kind") == "step" and r.get("chars")]
    return {"steps": steps_total, "gap_p50_ms": percentile(gaps, 50), "gap_p99_ms": percentile(gaps, 99),
            "server_cpu_ms_per_step": 1000 * cpu_s / steps_total, "peak_rss_mib": peak_mib,
            "request_chars_mean": statistics.mean(sizes) if sizes else None}


def measured(served, run_one):
    rss = measure.TreeRss(served.server_pid)
    cpu = measure.cpu_s(served.server_pid)
    error = run_one()
    cpu = measure.cpu_s(served.server_pid) - cpu
    return error, cpu, rss.stop()[0] / 2**20


def run(scratch, steps=60, log=print):
    children = {"b1": (0, steps), "b2": (steps, steps)}
    alone = {"a0": (3 * steps, steps)}
    warm = {"w0": (3 * steps, min(20, steps))}
    scripts = {sid: read_script(first, n) for sid, (first, n) in {**children, **alone, **warm}.items()}
    scripts["p0"] = parent_script(steps, children)
    with ManySessions(scratch, "background", scripts, steps + 5, lambda repo: write_files(repo, 4 * steps),
                      bodies_from=steps) as served:
        def one(sid, first, n):
            session = served.api.create_session(served.repo)
            served.watcher.expect(session)
            served.api.prompt(session, read_prompt(sid, first, n))
            return served.watcher.wait(session, 600)

        one("w0", *warm["w0"])
        alone_error, alone_cpu, alone_peak = measured(served, lambda: one("a0", *alone["a0"]))

        def family():
            session = served.api.create_session(served.repo)
            served.api.prompt(session, "[session p0] Have two helpers read two ranges in the background while you read "
                                       "the third, then say you are done.")
            return await_all(served, session, children, steps, 900)

        family_error, family_cpu, family_peak = measured(served, family)
        requests = served.requests()
        trouble = served.server_log_tail()
    parent_steps = len([r for r in requests if r.get("session") == "p0" and r.get("kind") == "step"])
    family_steps = parent_steps + 2 * (steps + 1)
    figures = {
        "alone": dict(figures_of(requests, ["a0"], alone_cpu, alone_peak, steps + 1), error=alone_error),
        "with_two_background_children": dict(figures_of(requests, ["p0", "b1", "b2"], family_cpu, family_peak, family_steps),
                                             error=family_error, parent_requests=parent_steps),
        "server_log": trouble,
    }
    for name in ("alone", "with_two_background_children"):
        f = figures[name]
        log("bench: background %s: %d steps, gap p50 %.1f ms, p99 %.1f ms, server CPU %.1f ms per step, peak RSS %.0f MiB,"
            " %.0f chars per request%s" % (name, f["steps"], f["gap_p50_ms"] or -1, f["gap_p99_ms"] or -1,
                                           f["server_cpu_ms_per_step"], f["peak_rss_mib"], f["request_chars_mean"] or -1,
                                           ", error: " + f["error"] if f["error"] else ""))
    return figures


if __name__ == "__main__":
    import sys
    import tempfile

    with tempfile.TemporaryDirectory(prefix="lathe-background-") as folder:
        result = run(folder, int(sys.argv[1]) if len(sys.argv) > 1 else 60,
                     log=lambda *x: print(*x, file=sys.stderr, flush=True))
    print(json.dumps(result, indent=2))
