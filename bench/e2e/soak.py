"""The soak of DESIGN §16: 2,000 turns over 50 sessions on one server; the RSS of the last quarter must be flat
(least-squares slope ≤ 1 MiB per 100 turns).

Every turn is a prompt ("[session k07] turn 12: …") answered in four model steps: a `read` of one generated module
(a different one each turn: long_session.py's files, module j for the soak's turn j), an `edit` of the session's
counter file (src/soak/k07.py: `VALUE = n` → `VALUE = n + 1`), a `bash` that checks the module is there, and a one-line
answer. Every call's input differs from the turns before, so nothing is a repeated call. Sessions take turns
round-robin (turn j belongs to session j mod S), IN_FLIGHT at once, a session never running two turns at a time; the
sessions' conversations grow turn after turn (the fake model keys each request on its session's marker and its number
of assistant messages). The server's RSS (its process tree, from /proc) is read after every turn, and its peak sampled
every PEAK_INTERVAL s meanwhile.

Figures: RSS after the first turn, after the last, their difference (the overall growth), the peak, the mean of each
quarter, and the least-squares slope of RSS over the last quarter's turns in MiB per 100 turns; wall and turns per
second; the harness gap per step (p50, p99) as context; done: every turn ended idle without error and every session's
counter holds its number of turns.
"""
import os
import statistics
import threading
import time

import analysis
import measure
from long_session import FOLDER, write_files
from server_api import ManySessions, percentile, run_alone, session_requests

IN_FLIGHT = 4
# the peak sampler's period: a scan of /proc costs ~3 ms of the measured cores, over a soak of minutes
PEAK_INTERVAL = 0.1
STEPS_PER_TURN = 4


def session_id(k):
    return "k%02d" % k


def counter_path(sid):
    return "src/soak/%s.py" % sid


def turns_of(k, sessions, turns):
    """The soak's turn numbers that belong to session k, in order."""
    return list(range(k, turns, sessions))


def script(sid, numbers):
    out = []
    for n, j in enumerate(numbers):
        module = "%s/module_%03d.py" % (FOLDER, j)
        out += [{"tool_calls": [{"name": "read", "arguments": {"path": module}}]},
                {"tool_calls": [{"name": "edit", "arguments": {"path": counter_path(sid), "oldString": "VALUE = %d" % n,
                                                               "newString": "VALUE = %d" % (n + 1)}}]},
                {"tool_calls": [{"name": "bash", "arguments": {"command": "test -f " + module,
                                                               "description": "Check the module is there"}}]},
                {"text": "Turn %d done: read %s, the counter is %d." % (j, module, n + 1)}]
    return out


def prompt(sid, j):
    return "[session %s] turn %d: read the next module, bump the counter in %s, check the module is there." % (
        sid, j, counter_path(sid))


def setup(repo, sessions, turns):
    write_files(repo, turns)
    os.makedirs(os.path.join(repo, "src", "soak"))
    for k in range(sessions):
        with open(os.path.join(repo, counter_path(session_id(k))), "w") as out:
            out.write('"""The soak\'s counter of session %s."""\nVALUE = 0\n' % session_id(k))


def slope_per_100(points):
    """Least-squares slope of (turn, MiB) points, in MiB per 100 turns."""
    if len(points) < 2:
        return None
    xs, ys = [x for x, _ in points], [y for _, y in points]
    mx, my = statistics.mean(xs), statistics.mean(ys)
    spread = sum((x - mx) ** 2 for x in xs)
    return 100 * sum((x - mx) * (y - my) for x, y in points) / spread if spread else None


def rss_figures(points):
    """The RSS analysis of [(turns ended, MiB)], in the order the turns ended."""
    n = len(points)
    quarters = [points[q * n // 4:(q + 1) * n // 4] for q in range(4)]
    return {"rss_first_mib": points[0][1] if points else None, "rss_last_mib": points[-1][1] if points else None,
            "growth_mib": points[-1][1] - points[0][1] if points else None,
            "quarter_means_mib": [statistics.mean(y for _, y in q) if q else None for q in quarters],
            "last_quarter_slope_mib_per_100": slope_per_100(quarters[3]),
            "slope_mib_per_100": slope_per_100(points)}


def run(scratch, sessions=50, turns=2000, in_flight=IN_FLIGHT, log=print):
    if sessions < in_flight:
        raise ValueError("the soak needs at least as many sessions (%d) as turns in flight (%d)"
                         % (sessions, in_flight))
    ids = [session_id(k) for k in range(sessions)]
    scripts = {sid: script(sid, turns_of(k, sessions, turns)) for k, sid in enumerate(ids)}
    with ManySessions(scratch, "soak", scripts, STEPS_PER_TURN, lambda repo: setup(repo, sessions, turns),
                      bodies_from=10 ** 9) as served:
        session_of = {sid: served.api.create_session(served.repo) for sid in ids}
        lock = threading.Condition()
        ended = {sid: 0 for sid in ids}  # turns each session has finished: its next one waits for them
        state = {"next": 0, "points": [], "errors": []}
        peak = measure.TreeRss(served.server_pid, interval=PEAK_INTERVAL)
        started = time.time()

        def worker():
            while True:
                with lock:
                    j = state["next"]
                    if j >= turns:
                        return
                    state["next"] += 1
                    sid = ids[j % sessions]
                    while ended[sid] < j // sessions:
                        lock.wait()
                served.watcher.expect(session_of[sid])
                try:
                    served.api.prompt(session_of[sid], prompt(sid, j))
                    error = served.watcher.wait(session_of[sid], 300)
                except (OSError, RuntimeError) as e:
                    error = str(e)
                rss = measure.tree_rss(served.server_pid)[0] / 2**20
                with lock:
                    ended[sid] += 1
                    state["points"].append((len(state["points"]) + 1, rss))
                    if error:
                        state["errors"].append({"turn": j, "session": sid, "error": error})
                    count = len(state["points"])
                    lock.notify_all()
                if count % max(1, turns // 10) == 0:
                    log("bench: soak: %d/%d turns, %.0f s, server RSS %.1f MiB" % (count, turns, time.time() - started,
                                                                                   rss))

        threads = [threading.Thread(target=worker) for _ in range(in_flight)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.time() - started
        peak_mib = peak.stop()[0] / 2**20
        requests = served.requests()
        counters = {}
        for k, sid in enumerate(ids):
            with open(os.path.join(served.repo, counter_path(sid))) as f:
                counters[sid] = f.read().count("VALUE = %d\n" % len(turns_of(k, sessions, turns))) == 1
        trouble = served.server_log_tail()
        reconnects = served.watcher.reconnects
    # the gap after a tool step is the harness's; after a turn's answer it is the wait for that session's next prompt
    gaps = [1000 * g for sid in ids for k, g in analysis.turn_gaps(session_requests(requests, sid)).items()
             if k % STEPS_PER_TURN != STEPS_PER_TURN - 1]
    good = [sid for sid in ids if counters[sid] and not any(e["session"] == sid for e in state["errors"])]
    figures = {"sessions": sessions, "turns": turns, "in_flight": in_flight, "wall_s": wall,
               "turns_per_s": turns / wall if wall else None, "peak_rss_mib": peak_mib,
               **rss_figures(state["points"]),
               "gap_p50_ms": percentile(gaps, 50), "gap_p99_ms": percentile(gaps, 99),
               "done": "%d/%d" % (len(good), sessions), "errors": state["errors"][:20], "server_log": trouble,
               "event_stream_reconnects": reconnects,
               "rss_after_turn_mib": [round(y, 2) for _, y in state["points"]]}
    log("bench: soak %d turns over %d sessions (%d in flight): %.0f s, RSS %.1f → %.1f MiB (peak %.1f), last-quarter "
        "slope %s MiB/100 turns, done %s" % (turns, sessions, in_flight, wall, figures["rss_first_mib"] or 0,
                                             figures["rss_last_mib"] or 0, peak_mib,
                                             "%.2f" % figures["last_quarter_slope_mib_per_100"]
                                             if figures["last_quarter_slope_mib_per_100"] is not None else "—",
                                             figures["done"]))
    for line in trouble:
        log("bench: soak: server log: " + line)
    return figures


if __name__ == "__main__":
    run_alone("soak", run, [("--sessions", 50), ("--turns", 2000), ("--in-flight", IN_FLIGHT)], "rss_after_turn_mib")
