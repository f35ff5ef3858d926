"""The team server's figures (DESIGN §16, §20; issue 45): `lathe serve --store postgresql://…` nodes on one throwaway
PostgreSQL cluster on this machine, driven through their HTTP API as concurrency.py drives one server.

- gap: the per-step harness gap of one node on PostgreSQL against one server on SQLite, the same long session of
  read steps on each (target: within 1.5 ×), and each server's CPU per step.
- latency: two nodes; a client watches GET /events on both while sessions run (wherever their lease puts them); for
  each event, its arrival on the node that did not run it minus its arrival on the node that did (target: p99 ≤ 50 ms
  on loopback).
- throughput: 30 sessions of 20 read steps, prompted round-robin through 1, 2 and 3 nodes on one database: tasks per
  minute (first prompt → last session idle), the nodes' CPU per step and PostgreSQL's; on one machine the nodes
  share its cores, so the figure to carry to N machines is the CPU per step (see docs/team-server.md).
- takeover: two nodes (default 15 s lease); a session's turn runs `sleep 60` on one node with a second prompt queued
  through the other; the running node is killed with SIGKILL: the time from the kill to the queued prompt's first
  model request, made by the other node (target: ≤ lease + 5 s).

The cluster: Debian's PostgreSQL binaries (/usr/lib/postgresql/N/bin, the newest; LATHE_PG_BIN names another), a
fresh data folder in the scratch folder, a free loopback port, trust authentication, fsync off (as the tests'
PostgresCluster); run as the `postgres` user when the bench runs as root; stopped with -m immediate. Never a system
cluster. A fresh database per figure. The machine's load average is recorded beside each figure: on a shared machine
wall times move with it, CPU per step much less.
"""
import glob
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time

import analysis
import harnesses
import measure
from concurrency import script, prompt
from long_session import write_files
from server_api import ServerApi, TurnWatcher, percentile, session_requests, workload

ROOT = harnesses.ROOT


def load():
    return os.getloadavg()[0]


class Cluster:
    """A throwaway PostgreSQL in folder: started on a free loopback port; databases made on demand."""

    def __init__(self, folder):
        self.bin = os.environ.get("LATHE_PG_BIN") or max(
            glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]), default=None)
        if not self.bin or not os.path.exists(os.path.join(self.bin, "initdb")):
            raise RuntimeError("no PostgreSQL binaries (apt install postgresql, or LATHE_PG_BIN)")
        self.dir = os.path.join(folder, "pg")
        os.makedirs(self.dir)
        self.root = os.geteuid() == 0
        if self.root:
            # initdb refuses root: the server runs as `postgres`, which must reach its folder
            os.chmod(folder, 0o755)
            shutil.chown(self.dir, "postgres", "postgres")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        data = os.path.join(self.dir, "data")
        self.server(["initdb", "-D", data, "-U", "lathe", "-A", "trust", "-E", "UTF8", "--locale=C", "-N"])
        self.server(["pg_ctl", "start", "-w", "-t", "120", "-D", data, "-l", os.path.join(self.dir, "log"), "-o",
                     "-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
                     "-c full_page_writes=off -c max_connections=300" % (self.port, self.dir)])
        self.count = 0

    def server(self, command):
        full = (["runuser", "-u", "postgres", "--"] if self.root else []) + [os.path.join(self.bin, command[0])] + command[1:]
        subprocess.run(full, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)

    def psql(self, sql, database="postgres"):
        out = subprocess.run([os.path.join(self.bin, "psql"), "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", self.dir,
                              "-p", str(self.port), "-U", "lathe", "-d", database, "-c", sql],
                             check=True, capture_output=True, text=True)
        return out.stdout.strip()

    def database(self):
        self.count += 1
        name = "team_bench_%d" % self.count
        self.psql("CREATE DATABASE %s" % name)
        return "postgresql://lathe@127.0.0.1:%d/%s" % (self.port, name), name

    def cpu_s(self):
        """CPU seconds of the cluster: the postmaster with the backends it has reaped, and the live ones."""
        with open(os.path.join(self.dir, "data", "postmaster.pid")) as f:
            postmaster = int(f.readline())
        children = subprocess.run(["pgrep", "-P", str(postmaster)], capture_output=True, text=True).stdout.split()
        total = measure.cpu_s(postmaster)
        for pid in children:
            try:
                total += measure.cpu_s(int(pid))
            except OSError:
                pass  # ended between the listing and the read: its time is in the postmaster's now
        return total

    def stop(self):
        try:
            self.server(["pg_ctl", "stop", "-m", "immediate", "-D", os.path.join(self.dir, "data")])
        except subprocess.CalledProcessError:
            pass


def lathe_command():
    """bin/lathe, as a user starts Lathe; BENCH_LATHE_JAR runs that jar instead (a copy, while a build uses the tree)."""
    jar = os.environ.get("BENCH_LATHE_JAR")
    if jar:
        return [os.path.join(os.environ.get("JAVA_HOME", "/usr"), "bin", "java"), "--enable-native-access=ALL-UNNAMED", "-jar", jar]
    return [os.path.join(ROOT, "bin", "lathe")]


class Node:
    """`lathe serve` (bin/lathe, as a user starts it) for a HOME of its own; on a store when given."""

    def __init__(self, folder, name, model_port, steps, store=None, lease=None):
        self.home = os.path.join(folder, name)
        config = os.path.join(self.home, "config", "lathe")
        os.makedirs(config)
        with open(os.path.join(config, "lathe.json"), "w") as out:
            json.dump(harnesses.config(model_port, workload(steps)), out)
        env = harnesses.LatheWithDaemon().environment(self.home, model_port)
        command = lathe_command() + ["serve"] + (["--store", store] if store else []) \
            + (["--lease-seconds", str(lease)] if lease else [])
        self.log = os.path.join(self.home, "serve.log")
        self.process = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=open(self.log, "wb"),
                                        stderr=subprocess.STDOUT)
        state = os.path.join(self.home, "state", "lathe", "server.json")
        deadline = time.time() + 180
        while not os.path.exists(state):
            if self.process.poll() is not None or time.time() > deadline:
                raise RuntimeError("lathe serve did not start; see " + self.log)
            time.sleep(0.05)
        self.api = ServerApi(self.home)
        self.node = self.api.call("GET", "/health")[1].get("node")

    @property
    def pid(self):
        return self.process.pid

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.kill()


class Team:
    """A fake model answering per-session scripts, a repository, and nodes on one database (or one SQLite server)."""

    def __init__(self, scratch, name, scripts, files, steps, nodes, cluster=None, lease=None):
        self.folder = os.path.join(scratch, name)
        self.repo = os.path.join(self.folder, "repo")
        os.makedirs(self.repo)
        write_files(self.repo, files)
        for args in (("init", "-q", "-b", "main"), ("add", "-A"), ("commit", "-q", "-m", "scenario")):
            measure.git(self.repo, *args)
        self.fake, port, self.requests_log = measure.start_fake_model(self.folder, {"sessions": scripts}, self.repo,
                                                                       bodies_from=steps)
        self.store = cluster.database()[0] if cluster else None
        self.nodes = []
        try:
            for k in range(nodes):
                self.nodes.append(Node(self.folder, "node%d" % k, port, steps, self.store, lease))
        except BaseException:
            self.close()
            raise

    def requests(self):
        return measure.read_requests(self.requests_log) if os.path.exists(self.requests_log) else []

    def cpu_s(self):
        return sum(measure.cpu_s(n.pid) for n in self.nodes if n.process.poll() is None)

    def close(self):
        for n in self.nodes:
            n.stop()
        self.fake.terminate()
        self.fake.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def run_sessions(team, sessions, steps, first_sid="t", timeout=1800):
    """Creates `sessions` sessions round-robin through the nodes, prompts them at once through the same nodes, and
    waits until each is idle (watched on the first node: events cross); (wall s, {sid: error}, session ids)."""
    runs = {"%s%02d" % (first_sid, k): (k * steps, steps) for k in range(sessions)}
    watcher = TurnWatcher(team.nodes[0].api)
    try:
        ids, errors = {}, {}
        for k, sid in enumerate(sorted(runs)):
            node = team.nodes[k % len(team.nodes)]
            ids[sid] = (node, node.api.create_session(team.repo))
        for sid in runs:
            watcher.expect(ids[sid][1])
        barrier = threading.Barrier(len(runs) + 1)

        def one(sid):
            node, session = ids[sid]
            barrier.wait()
            try:
                node.api.prompt(session, prompt(sid, *runs[sid]))
                errors[sid] = watcher.wait(session, timeout)
            except (OSError, RuntimeError) as e:
                errors[sid] = str(e)

        threads = [threading.Thread(target=one, args=(sid,)) for sid in runs]
        for t in threads:
            t.start()
        barrier.wait()
        started = time.time()
        for t in threads:
            t.join()
        return time.time() - started, errors, runs
    finally:
        watcher.close()


def scripts_for(prefix, sessions, steps):
    return {"%s%02d" % (prefix, k): script(k * steps, steps) for k in range(sessions)}


def gap(scratch, cluster, steps=60, sessions=2, log=print):
    """One node on PostgreSQL vs one server on SQLite: the same sessions, one after the other (the gap of a lone
    session, as the long-session figure), after a warm-up session on each."""
    out = {}
    for kind in ("sqlite", "postgresql"):
        scripts = scripts_for("w", 1, steps)
        scripts.update(scripts_for("g", sessions, steps))
        with Team(scratch, "gap-" + kind, scripts, (sessions + 1) * steps, steps, 1,
                  cluster if kind == "postgresql" else None) as team:
            run_sessions(team, 1, steps, "w")  # warm-up
            cpu, before = team.cpu_s(), load()
            gaps, wall = [], 0.0
            for k in range(sessions):
                # one session at a time: its script is g00, g01, … each on its own range of files
                w, errors, _ = run_sessions_named(team, "g%02d" % k, k * steps, steps)
                wall += w
                if errors:
                    raise RuntimeError("gap %s: %s" % (kind, errors))
                gaps += analysis.step_gaps_ms(session_requests(team.requests(), "g%02d" % k))
            cpu = team.cpu_s() - cpu
        out[kind] = {"gap_p50_ms": percentile(gaps, 50), "gap_mean_ms": sum(gaps) / len(gaps), "gap_p99_ms": percentile(gaps, 99),
                     "server_cpu_ms_per_step": 1000 * cpu / (sessions * (steps + 1)), "steps": len(gaps),
                     "load_before": before, "load_after": load()}
        log("bench: team gap %s: p50 %.1f ms, mean %.1f ms, server CPU %.2f ms/step (load %.1f→%.1f)"
            % (kind, out[kind]["gap_p50_ms"], out[kind]["gap_mean_ms"], out[kind]["server_cpu_ms_per_step"], before, load()))
    out["ratio_p50"] = out["postgresql"]["gap_p50_ms"] / out["sqlite"]["gap_p50_ms"]
    out["ratio_cpu"] = out["postgresql"]["server_cpu_ms_per_step"] / out["sqlite"]["server_cpu_ms_per_step"]
    return out


def run_sessions_named(team, sid, first, steps, timeout=900):
    watcher = TurnWatcher(team.nodes[0].api)
    try:
        session = team.nodes[0].api.create_session(team.repo)
        watcher.expect(session)
        started = time.time()
        team.nodes[0].api.prompt(session, prompt(sid, first, steps))
        error = watcher.wait(session, timeout)
        return time.time() - started, ({sid: error} if error else {}), None
    finally:
        watcher.close()


class Arrivals(threading.Thread):
    """GET /events on one node: for each event id, when it arrived here and when its node published it (the envelope's
    `at`, epoch ms; every node here is on this machine's clock)."""

    AT = re.compile(rb'"at":(\d+)')

    def __init__(self, api):
        super().__init__(daemon=True)
        self.api, self.seen, self.closed = api, {}, False
        self.connection = api.connection(timeout=None)
        self.connection.request("GET", "/events", headers=api.headers)
        self.response = self.connection.getresponse()
        self.start()

    def run(self):
        pending, last = b"", None
        try:
            while not self.closed:
                block = self.response.read1(1 << 16)
                if not block:
                    return
                now = time.time() * 1000
                lines = (pending + block).split(b"\n")
                pending = lines.pop()
                for line in lines:
                    if line.startswith(b"id:"):
                        last = int(line[3:].strip())
                    elif line.startswith(b"data:") and last is not None and last not in self.seen:
                        at = self.AT.search(line)
                        if at:
                            self.seen[last] = (now, int(at.group(1)))
        except (OSError, ValueError, AttributeError):
            return  # closed under the reader

    def close(self):
        self.closed = True
        self.connection.close()


def latency(scratch, cluster, sessions=3, steps=20, log=print):
    """Every event reaches every node through the `event` table (its id is the stream's seq on each), the node that
    ran the step included; so the figure is, per event, publish (its `at`) → arrival on the later of the two nodes'
    streams, which bounds "a turn on B → SSE on A". The two nodes' arrivals are compared too. Measured on warm nodes,
    as a team's run for days: an untimed round of the same sessions first (on nodes just started, their first seconds'
    collections, among them a full one when the JIT's code cache first fills, 60–80 ms on this machine, were the
    tail)."""
    scripts = scripts_for("w", sessions, steps)
    scripts.update(scripts_for("l", sessions, steps))
    with Team(scratch, "latency", scripts, sessions * steps, steps, 2, cluster) as team:
        run_sessions(team, sessions, steps, "w")  # warm-up
        a, b = (Arrivals(n.api) for n in team.nodes)
        before = load()
        try:
            wall, errors, _ = run_sessions(team, sessions, steps, "l")
            time.sleep(2)  # the last events reach both streams
        finally:
            a.close()
            b.close()
        both = sorted(set(a.seen) & set(b.seen))
        later = [max(a.seen[i][0], b.seen[i][0]) - a.seen[i][1] for i in both]
        apart = [abs(a.seen[i][0] - b.seen[i][0]) for i in both]
    out = {"events": len(both), "only_a": len(set(a.seen) - set(b.seen)), "only_b": len(set(b.seen) - set(a.seen)),
           "p50_ms": percentile(later, 50), "p99_ms": percentile(later, 99), "max_ms": max(later) if later else None,
           "between_nodes_p50_ms": percentile(apart, 50), "between_nodes_p99_ms": percentile(apart, 99),
           "errors": {k: v for k, v in errors.items() if v}, "load_before": before, "load_after": load()}
    log("bench: team event latency, publish → SSE on both nodes, over %d events: p50 %.1f ms, p99 %.1f ms, max %.1f ms; "
        "between the nodes p50 %.1f ms, p99 %.1f ms (load %.1f→%.1f)"
        % (out["events"], out["p50_ms"] or -1, out["p99_ms"] or -1, out["max_ms"] or -1, out["between_nodes_p50_ms"] or -1,
           out["between_nodes_p99_ms"] or -1, before, out["load_after"]))
    return out


def throughput(scratch, cluster, nodes, sessions=30, steps=20, log=print):
    scripts = scripts_for("t", sessions, steps)
    with Team(scratch, "throughput-%d" % nodes, scripts, sessions * steps, steps, nodes, cluster) as team:
        cpu, pg, before = team.cpu_s(), cluster.cpu_s(), load()
        wall, errors, _ = run_sessions(team, sessions, steps, "t")
        cpu, pg = team.cpu_s() - cpu, cluster.cpu_s() - pg
    done = sum(1 for e in errors.values() if not e)
    all_steps = sessions * (steps + 1)
    out = {"nodes": nodes, "sessions": sessions, "steps": steps, "done": "%d/%d" % (done, sessions), "wall_s": wall,
           "tasks_per_minute": 60 * done / wall, "node_cpu_ms_per_step": 1000 * cpu / all_steps,
           "postgres_cpu_ms_per_step": 1000 * pg / all_steps, "load_before": before, "load_after": load(),
           "errors": {k: v for k, v in errors.items() if v}}
    log("bench: team throughput, %d node(s): %s done in %.1f s = %.1f tasks/min; CPU per step: nodes %.2f ms, "
        "PostgreSQL %.2f ms (load %.1f→%.1f)" % (nodes, out["done"], wall, out["tasks_per_minute"],
                                                 out["node_cpu_ms_per_step"], out["postgres_cpu_ms_per_step"], before,
                                                 out["load_after"]))
    return out


def takeover(scratch, cluster, lease=15, log=print):
    scripts = {"k00": [{"tool_calls": [{"name": "bash", "arguments": {"command": "sleep 60", "description": "wait"}}]}]
               + [{"text": "Taken over."}] * 6}
    with Team(scratch, "takeover", scripts, 1, 1, 2, cluster, lease) as team:
        a, b = team.nodes
        session = b.api.create_session(team.repo)
        b.api.prompt(session, "[session k00] run the slow command")
        deadline = time.time() + 300
        while not any(r.get("session") == "k00" and r.get("kind") == "step" for r in team.requests()):
            if time.time() > deadline:
                raise RuntimeError("takeover: the first step never reached the model")
            time.sleep(0.1)
        time.sleep(2)  # the sleep runs
        store = team.store.rsplit("/", 1)[1]
        holder = cluster.psql("SELECT node FROM session_lease WHERE session_id = '%s'" % session, store)
        running = a if holder == a.node else b
        other = b if running is a else a
        other.api.prompt(session, "[session k00] and then?")
        asked = len([r for r in team.requests() if r.get("session") == "k00" and r.get("kind") == "step"])
        before = load()
        killed = time.time()
        running.kill()
        deadline = killed + 120
        taken = None
        while time.time() < deadline:
            steps = [r for r in team.requests() if r.get("session") == "k00" and r.get("kind") == "step"]
            if len(steps) > asked:
                taken = steps[asked]["t"] - killed
                break
            time.sleep(0.05)
    out = {"lease_s": lease, "takeover_s": taken, "target_s": lease + 5, "ran_on": holder, "load_before": before,
           "load_after": load()}
    log("bench: team takeover after kill -9: the queued prompt's first request %s s after the kill (lease %d s; target "
        "≤ %d s; load %.1f→%.1f)" % ("%.1f" % taken if taken is not None else "never", lease, lease + 5, before,
                                    out["load_after"]))
    return out


def run(scratch, quick=False, log=print):
    cluster = Cluster(scratch)
    try:
        results = {"cluster_port": cluster.port}
        results["gap"] = gap(scratch, cluster, steps=20 if quick else 60, sessions=1 if quick else 2, log=log)
        results["latency"] = latency(scratch, cluster, sessions=2 if quick else 3, log=log)
        results["throughput"] = [throughput(scratch, cluster, n, sessions=6 if quick else 30, steps=20, log=log)
                                 for n in ((1, 2) if quick else (1, 2, 3))]
        results["takeover"] = takeover(scratch, cluster, log=log)
        return results
    finally:
        cluster.stop()


if __name__ == "__main__":
    import argparse
    import sys
    import tempfile

    ap = argparse.ArgumentParser(description="The team server's figures alone (bench/run --only team).")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--part", help="gap, latency, throughput or takeover (default: all)")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="lathe-team-") as folder:
        say = lambda *x: print(*x, file=sys.stderr, flush=True)  # noqa: E731
        if a.part:
            c = Cluster(folder)
            try:
                fn = {"gap": gap, "latency": latency, "takeover": takeover}.get(a.part)
                result = fn(folder, c, log=say) if fn else [throughput(folder, c, n, log=say) for n in (1, 2, 3)]
            finally:
                c.stop()
        else:
            result = run(folder, a.quick, log=say)
    print(json.dumps(result, indent=2))
