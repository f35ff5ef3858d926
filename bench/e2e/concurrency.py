"""The concurrency run of DESIGN §16: one server, 20 sessions each running a 100-step session at once. Targets:
per-step gap p99 ≤ 50 ms, server RSS ≤ 300 MiB.

Each session is a long session (long_session.py) of its own: the prompt names the session ("[session c07]") and its
range of the generated modules, and the fake model answers each of its requests with one `read` of the next module of
that range, then with a one-line answer; the sessions' requests interleave on the one fake model, which keys each on
its session's marker and on the number of assistant messages in it. Session k reads modules k·N … k·N + N − 1, so no
two sessions read the same file and a request answered from the wrong script would fail the check.

One untimed warm-up round first (WARM_UP sessions of WARM_UP_STEPS steps at once, in the same server), as a user's
server has run turns before; then all sessions are created, and prompted at the same moment. Figures: the harness gap
after every step of every session (the fake model's last byte of the answer → the same session's next request), its
p50, p99 and max over all of them; wall (first prompt sent → last session idle); the server's peak RSS (its process
tree, sampled every 20 ms while the sessions run, or its VmHWM over them when larger) and its RSS before and after;
the server's CPU per step; and how many sessions were done and verified (a request for every turn 0…N, each ended
idle without error, the last request holding every marker of that session's modules).
"""
import json
import statistics
import threading
import time

import analysis
import measure
from long_session import FOLDER, marker, write_files
from server_api import ManySessions, percentile, run_alone, session_requests

WARM_UP, WARM_UP_STEPS = 2, 20


def prompt(session_id, first, steps):
    return ("[session %s] Read the modules %s/module_%03d.py to module_%03d.py one by one, in order, then say in one "
            "line that you have read them all." % (session_id, FOLDER, first, first + steps - 1))


def script(first, steps):
    turns = [{"tool_calls": [{"name": "read", "arguments": {"path": "%s/module_%03d.py" % (FOLDER, i)}}]}
             for i in range(first, first + steps)]
    return turns + [{"text": "I have read all %d modules." % steps}]


def plan(sessions, steps, warm_up=WARM_UP, warm_up_steps=WARM_UP_STEPS):
    """{session id: (first module, steps)}: the warm-up sessions w0…, then the measured c00…"""
    runs = {"w%d" % k: (0, min(warm_up_steps, steps)) for k in range(warm_up)}
    runs.update({"c%02d" % k: (k * steps, steps) for k in range(sessions)})
    return runs


def run_round(served, ids, runs, timeout):
    """Creates the sessions, prompts them all at the same moment, waits for every turn; (started, ended,
    {id: error})."""
    session_of = {sid: served.api.create_session(served.repo) for sid in ids}
    errors = {}
    barrier = threading.Barrier(len(ids) + 1)

    def one(sid):
        served.watcher.expect(session_of[sid])
        barrier.wait()
        try:
            served.api.prompt(session_of[sid], prompt(sid, *runs[sid]))
            errors[sid] = served.watcher.wait(session_of[sid], timeout)
        except (OSError, RuntimeError) as e:
            errors[sid] = str(e)

    threads = [threading.Thread(target=one, args=(sid,)) for sid in ids]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.time()
    for t in threads:
        t.join()
    return started, time.time(), errors


def verified(requests, sid, first, steps):
    """Every turn 0…steps came and the last request carries every marker of the session's modules."""
    mine = session_requests(requests, sid)["requests"]
    turns = {r.get("turn") for r in mine if r.get("kind") == "step"}
    last = [r for r in mine if r.get("kind") == "step" and r.get("turn") == steps and "body" in r]
    if not set(range(steps + 1)) <= turns or not last:
        return False
    text = json.dumps(last[-1]["body"], ensure_ascii=False)
    # the marker stands in parentheses in its module's docstring: closed, so marker 100 never matches inside 1000
    return all("(%s)" % marker(i) in text for i in range(first, first + steps))


def run(scratch, sessions=20, steps=100, log=print):
    runs = plan(sessions, steps)
    scripts = {sid: script(first, n) for sid, (first, n) in runs.items()}
    with ManySessions(scratch, "concurrency", scripts, steps, lambda repo: write_files(repo, sessions * steps),
                      bodies_from=steps) as served:
        warm = sorted(sid for sid in runs if sid.startswith("w"))
        _, _, warm_errors = run_round(served, warm, runs, timeout=300)
        warm_failed = {sid: e for sid, e in warm_errors.items() if e}
        log("bench: concurrency warm-up (%d × %d steps): %s" % (len(warm), runs[warm[0]][1], warm_failed or "ok"))
        measured = sorted(sid for sid in runs if sid.startswith("c"))
        before = measure.tree_rss(served.server_pid)[0] / 2**20
        rss = measure.TreeRss(served.server_pid)
        cpu, fake = measure.cpu_s(served.server_pid), measure.cpu_s(served.fake.pid)
        started, ended, errors = run_round(served, measured, runs, timeout=900)
        cpu, fake = measure.cpu_s(served.server_pid) - cpu, measure.cpu_s(served.fake.pid) - fake
        peak = rss.stop()[0] / 2**20
        after = measure.tree_rss(served.server_pid)[0] / 2**20
        requests = served.requests()
        trouble = served.server_log_tail()
        reconnects = served.watcher.reconnects
    gaps = {sid: analysis.step_gaps_ms(session_requests(requests, sid)) for sid in measured}
    pooled = [g for sid in measured for g in gaps[sid]]
    done = [sid for sid in measured if not errors.get(sid) and verified(requests, sid, *runs[sid])]
    figures = {
        "sessions": sessions, "steps": steps, "gaps": len(pooled),
        "gap_p50_ms": percentile(pooled, 50), "gap_p99_ms": percentile(pooled, 99),
        "gap_max_ms": max(pooled) if pooled else None, "gap_mean_ms": statistics.mean(pooled) if pooled else None,
        "wall_s": ended - started,
        # what one step costs the server: with an instant model, twenty sessions' steps queue for the two cores, so
        # a step's gap is about sessions × this ÷ cores
        "server_cpu_ms_per_step": 1000 * cpu / (sessions * (steps + 1)),
        # the fake model's, on the same cores (no provider's is on a user's): context for the gaps (decision 547)
        "fake_cpu_ms_per_step": 1000 * fake / (sessions * (steps + 1)),
        "peak_rss_mib": peak, "rss_before_mib": before, "rss_after_mib": after,
        "done": "%d/%d" % (len(done), len(measured)),
        "failed": {sid: errors.get(sid) or "not verified" for sid in measured if sid not in done},
        "server_log": trouble, "event_stream_reconnects": reconnects,
        "per_session": {sid: {"gap_p50_ms": percentile(gaps[sid], 50), "gap_p99_ms": percentile(gaps[sid], 99),
                              "gaps_ms": [round(g, 2) for g in gaps[sid]]} for sid in measured},
    }
    log("bench: concurrency %d × %d steps: gap p50 %.1f ms, p99 %.1f ms, max %.1f ms, wall %.1f s, server CPU %.1f ms "
        "per step (the fake model %.1f), peak RSS %.0f MiB, done %s"
        % (sessions, steps, figures["gap_p50_ms"] or -1, figures["gap_p99_ms"] or -1, figures["gap_max_ms"] or -1,
           figures["wall_s"], figures["server_cpu_ms_per_step"], figures["fake_cpu_ms_per_step"], peak, figures["done"]))
    for line in trouble:
        log("bench: concurrency: server log: " + line)
    return figures


if __name__ == "__main__":
    run_alone("concurrency", run, [("--sessions", 20), ("--steps", 100)], "per_session")
