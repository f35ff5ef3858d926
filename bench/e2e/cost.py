"""What a task costs (DESIGN §28, issue 68): one scripted 30-step coding task, the same tool calls in each harness's own
tool names, through Lathe, Claude Code and OpenCode, every harness speaking Anthropic Messages to a fake model that
bills as Anthropic bills prompt caching (cache_billing.py). Two series: straight through, and with one 10-minute pause
before step 16, on the fake's billing clock (decision 506: the pause costs the bench no time, and no harness does
anything of its own during it in a headless run, so advancing the fake's clock alone is the same bill).

Figures per harness: dollars per task (every request it sent, side requests included), the first request's system +
tools tokens (o200k, as the e2e part counts them), and prefix breaks: requests whose system, tools or earlier messages
differ from the request before it.
"""
import json
import os

import analysis
import harnesses
import task
from measure import run_once

STEPS = 30
PAUSE_AT, PAUSE_S = 16, 600


def turns(product):
    """30 tool steps then the answer: look around, run the tests, make the two edits of the scripted task, check."""
    t = task._TOOLS[product]
    where = (lambda f: "{{WORKDIR}}/" + f) if t["abs"] else (lambda f: f)
    read_name, read_path = t["read"]
    edit_name, edit_path, old, new = t["edit"]

    def read(f):
        return {"tool_calls": [{"name": read_name, "arguments": {read_path: where(f)}}]}

    def bash(command, description):
        return {"tool_calls": [{"name": t["bash"], "arguments": {"command": command, "description": description}}]}

    def edit(f, before, after):
        return {"tool_calls": [{"name": edit_name, "arguments": {edit_path: where(f), old: before, new: after}}]}

    looks = [bash("ls -la", "List the files"), read("wc.py"), read("test_wc.py"),
             bash("git log --oneline | head -5", "Recent commits"), bash(task.TEST_COMMAND, "Run the tests first"),
             bash("python3 wc.py wc.py", "Try the CLI"), bash("printf 'a b\\nc\\n' | python3 wc.py", "Try stdin"),
             bash("grep -n argparse wc.py", "Find the parser"), bash("python3 wc.py --help", "See the help"),
             bash("grep -n 'def test' test_wc.py", "List the tests"), bash("wc -l wc.py test_wc.py", "File sizes"),
             bash("git status --short", "Check the tree"), read("wc.py")]
    work = [edit("wc.py", task.WC_BEFORE, task.WC_AFTER), bash("python3 wc.py --json wc.py", "Try the flag"),
            bash(task.TEST_COMMAND, "Run the tests"), read("test_wc.py"),
            edit("test_wc.py", task.TEST_BEFORE, task.TEST_AFTER), bash(task.TEST_COMMAND, "Run the tests"),
            bash("git diff --stat", "What changed"), bash("git diff wc.py", "Review the change"),
            bash("printf 'x\\n' | python3 wc.py --json", "The flag on stdin"), read("wc.py"),
            bash("python3 -m unittest -v 2>&1 | tail -8", "Tests in detail"), bash("python3 wc.py --help", "Help again"),
            bash("grep -n json wc.py test_wc.py", "Every mention"), bash("git status --short", "Check the tree"),
            bash("python3 -m py_compile wc.py test_wc.py && echo ok", "Compile"),
            bash("python3 wc.py --json test_wc.py", "Count the test file"), bash(task.TEST_COMMAND, "The final run")]
    steps = looks + work
    assert len(steps) == STEPS, len(steps)
    return steps + [{"text": task.ANSWER}]


class CostTask:
    """The workload: the scenario repository, the task's prompt, the 30 steps, billed, optionally with the pause."""
    prompt = task.PROMPT
    long = False
    bodies_from = None

    def __init__(self, pause):
        self.pause = pause
        self.fake_args = ["--bill"] + (["--pause-at", str(PAUSE_AT), "--pause-s", str(PAUSE_S)] if pause else [])

    def setup(self, repo):
        task.ScriptedTask().setup(repo)

    def script(self, product):
        return turns(product)

    def done(self, repo, requests):
        steps = {r.get("turn") for r in requests if r.get("kind") == "step"}
        return set(range(STEPS + 1)) <= steps and task.done(repo)


class OpenCodeAnthropic(harnesses.OpenCode):
    """OpenCode with the fake as an Anthropic provider (its own Anthropic SDK package, which sets cache marks)."""
    protocol = "anthropic"

    @property
    def product(self):
        return "opencode"

    def prepare(self, repo, home, port, workload=None):
        super().prepare(repo, home, port, workload)
        path = os.path.join(repo, "opencode.json")
        with open(path) as f:
            config = json.load(f)
        config["provider"]["fake"]["npm"] = "@ai-sdk/anthropic"
        config["provider"]["fake"]["options"] = {"baseURL": "http://127.0.0.1:%d/v1" % port,
                                                 "apiKey": "sk-ant-fake-bench"}
        with open(path, "w") as out:
            json.dump(config, out, indent=2)


def figures(run, count_tokens):
    """$ per task, requests, first request's system + tools tokens, prefix breaks, done."""
    requests = run["requests"]
    billed = [r["bill"] for r in requests if "bill" in r]
    steps = analysis.steps(run)
    kept = analysis.prefix_kept(run)
    texts = analysis.first_request_texts(run)
    tokens = count_tokens(list(texts)) if texts else [None]
    return {"usd": sum(b["usd"] for b in billed), "requests": len(billed), "steps": len(steps),
            "side_usd": sum(r["bill"]["usd"] for r in requests if "bill" in r and r.get("kind") != "step"),
            "read": sum(b["read"] for b in billed), "write_5m": sum(b["write_5m"] for b in billed),
            "write_1h": sum(b["write_1h"] for b in billed), "uncached": sum(b["uncached"] for b in billed),
            "first_request_tokens": sum(tokens) if None not in tokens else None,
            "prefix_breaks": round((1 - kept) * (len(steps) - 1)) if kept is not None else None,
            "done": run["done"] and run["exit"] == 0, "exit": run["exit"], "wall_s": run["wall_s"],
            "folder": run["folder"]}


def cost(runs, with_peers, scratch, peers_bin, count_tokens, log):
    """Both series for Lathe (standalone, as a CI job runs it) and, with_peers, Claude Code and OpenCode; the median
    dollars of `runs` runs each (the bill is deterministic up to a harness's own variation)."""
    chosen = [harnesses.Lathe()]
    if with_peers:
        bin_dir = peers_bin()
        chosen += [harnesses.ClaudeCode(bin_dir), OpenCodeAnthropic(bin_dir)]
    results = {}
    for pause in (False, True):
        series = "pause" if pause else "straight"
        for h in chosen:
            home = os.path.join(scratch, "cost-home-" + h.name)
            os.makedirs(home, exist_ok=True)
            found = []
            for i in range(runs):
                run = run_once(h, home, os.path.join(scratch, "cost-%s-%s-%d" % (series, h.name, i)), CostTask(pause))
                found.append(figures(run, lambda texts: count_tokens(texts, scratch)))
                log("bench: cost %s, %s, run %d: $%.4f, %d requests, %s prefix breaks, done %s" % (
                    series, h.name, i + 1, found[-1]["usd"], found[-1]["requests"], found[-1]["prefix_breaks"],
                    found[-1]["done"]))
            found.sort(key=lambda f: f["usd"])
            results.setdefault(h.name, {})[series] = dict(found[len(found) // 2], runs=[f["usd"] for f in found],
                                                          done="%d/%d" % (sum(f["done"] for f in found), len(found)))
    return results


def rows(results):
    """(figure, Lathe, Claude Code, OpenCode, target, met) rows for bench/run's table."""
    lathe, claude, opencode = (results.get(n, {}) for n in ("lathe", "claude", "opencode"))
    out = []
    for series, label in (("straight", "$ per task (30 steps)"), ("pause", "$ per task, one 10-minute pause")):
        l, c, o = (h.get(series, {}).get("usd") for h in (lathe, claude, opencode))
        cheaper = min([v for v in (c, o) if v], default=None)
        ratio = "" if l is None or not cheaper else " (%.2f ×)" % (l / cheaper)
        out.append((label, l, c, o, "≤ 0.65 × the cheaper peer" + ratio,
                    None if l is None or not cheaper else l / cheaper <= 0.65, "$"))
    for key, label in (("first_request_tokens", "cost task: first request, system + tools"),
                       ("prefix_breaks", "cost task: prefix breaks")):
        values = [h.get("straight", {}).get(key) for h in (lathe, claude, opencode)]
        out.append((label, *values, "(context)", None, " tok" if "tokens" in key else ""))
    out.append(("cost task done and verified", *(h.get("straight", {}).get("done") for h in (lathe, claude, opencode)),
                "all runs", None, ""))
    return out
