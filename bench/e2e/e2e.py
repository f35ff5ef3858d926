#!/usr/bin/env python3
"""Scripted end-to-end bench: the peers' 5-turn task (read, edit, edit, run tests, answer) run by `bin/lathe run`
against the stdlib fake LLM of ../shared/bench/peers, measuring wall time, peak RSS and launch-to-first-request.

Usage: python3 bench/e2e/e2e.py [RUNS] [--protocol anthropic-messages|openai-chat] [--peers DIR]
The scenario and fake server come from the peers folder (default ../shared/bench/peers next to the checkout), so
the numbers are comparable with its bench.py results for Claude Code and OpenCode measured in the same session.
"""
import argparse, json, os, shutil, socket, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TASK = "Add a --json flag to the word-count CLI that prints the counts as JSON, update the tests, and run them."


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_once(peers, protocol, work):
    repo = os.path.join(work, "repo")
    shutil.copytree(os.path.join(peers, "scenario"), repo)
    for cmd in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "-c", "user.name=b", "-c", "user.email=b@b", "commit", "-qm", "init"]):
        subprocess.run(cmd, cwd=repo, check=True)
    port, log = free_port(), os.path.join(work, "requests.jsonl")
    fake = subprocess.Popen([sys.executable, os.path.join(peers, "fakellm.py"), "--port", str(port), "--script",
                             os.path.join(os.path.dirname(os.path.abspath(__file__)), "lathe-script.json"), "--log", log],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), 0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        env = dict(os.environ)
        for k in ("DATA", "STATE", "CONFIG", "CACHE"):
            env["XDG_%s_HOME" % k] = os.path.join(work, k.lower())
        env["LATHE_CONFIG_CONTENT"] = json.dumps({"model": "fake/fake-model", "provider": {"fake": {
            "protocol": protocol, "baseUrl": "http://127.0.0.1:%d/v1" % port,
            "models": {"fake-model": {"context": 200000, "output": 8192}}}}})
        start = time.time()
        with open(os.path.join(work, "stderr.txt"), "wb") as errf:
            child = subprocess.Popen([os.path.join(ROOT, "bin", "lathe"), "run", "--allow-all", "--dir", repo, TASK],
                                     env=env, stdout=subprocess.DEVNULL, stderr=errf)
            _, status, usage = os.wait4(child.pid, 0)  # this child's own peak RSS, not the build's
        wall = time.time() - start
        exit_code = os.waitstatus_to_exitcode(status)
        rss_mib = usage.ru_maxrss / 1024
        err = open(os.path.join(work, "stderr.txt"), "rb").read()
        with open(log) as fh:
            reqs = [json.loads(l) for l in fh if l.strip()]
        model_reqs = [r for r in reqs if r.get("method") == "POST" and r.get("path", "").endswith(("/messages", "/chat/completions"))]
        first = model_reqs[0]["t"] - start if model_reqs else float("nan")
        ok = subprocess.run([sys.executable, "-m", "unittest", "-q"], cwd=repo, capture_output=True).returncode == 0 \
            and "--json" in open(os.path.join(repo, "wc.py")).read()
        return {"exit": exit_code, "wall": wall, "first_request": first, "requests": len(model_reqs), "rss_mib": rss_mib,
                "verified": ok, "stderr": err.decode()[-300:] if exit_code else ""}
    finally:
        fake.terminate()
        fake.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("runs", nargs="?", type=int, default=5)
    ap.add_argument("--protocol", default="anthropic-messages")
    ap.add_argument("--peers", default=os.path.join(os.path.dirname(ROOT), "shared", "bench", "peers"))
    a = ap.parse_args()
    subprocess.run([os.path.join(ROOT, "bin", "lathe"), "--version"], check=True, stdout=subprocess.DEVNULL)  # build first
    results = []
    for i in range(a.runs):
        with tempfile.TemporaryDirectory(prefix="lathe-bench-") as work:
            r = run_once(a.peers, a.protocol, work)
            results.append(r)
            print(json.dumps(r))
    walls = [r["wall"] for r in results]
    firsts = [r["first_request"] for r in results]
    print("median wall %.2f s (min %.2f, max %.2f); median launch->first request %.2f s; peak RSS (max over runs) %.0f MiB; verified %d/%d"
          % (statistics.median(walls), min(walls), max(walls), statistics.median(firsts), max(r["rss_mib"] for r in results),
             sum(r["verified"] for r in results), len(results)))


if __name__ == "__main__":
    main()
