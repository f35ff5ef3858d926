"""The MCP part of bench/run (`--only mcp`), for two rows of DESIGN §16: "10 MCP servers configured: no delay to the
first model request (servers start in the background)" and "first request ≤ 5k tokens however many MCP tools are
configured (deferred behind a tool search)".

The scripted task of task.py runs with 0 and with ten configured MCP servers (ten copies of the real npm
server-everything over stdio, from testkit/npm: `npm ci --prefix testkit/npm`), the two alternating, for Lathe
daemon-first and standalone, and for Claude Code with the same ten servers in `--mcp-config` when the peers are
measured. The figures per series: launch → first model request and wall (medians). Tool-definition tokens: the first
request of a session once the servers are connected (a second `lathe run` in the same folder, daemon-first: the
servers of that folder's project instance are up by then), with deferral as Lathe sends it, and without it as it
would be if every tool of the ten servers were offered (their `tools/list` in the request's wire shape, counted the
same way)."""
import json
import os
import subprocess
import time
import urllib.parse
import urllib.request

import analysis
import harnesses
import task
from measure import start_fake_model

SERVERS = 10
ROOT = harnesses.ROOT


def everything():
    path = os.path.join(ROOT, "testkit", "npm", "node_modules", ".bin", "mcp-server-everything")
    if not os.access(path, os.X_OK):
        raise SystemExit("bench: %s is missing: run npm ci --prefix testkit/npm" % path)
    return path


class WithServers(task.ScriptedTask):
    """The scripted task with `servers` MCP servers configured (server-everything over stdio, named ev1…evN)."""

    def __init__(self, servers):
        self.servers = servers
        self.mcp = {"ev%d" % i: {"type": "local", "command": [everything()]} for i in range(1, servers + 1)}


class Hello(WithServers):
    """One turn answered with text, in a folder that exists already: what the model is offered once servers run."""
    prompt = "hello"

    def script(self, product):
        return [{"text": "Hello."}]


class ClaudeCodeWithServers(harnesses.ClaudeCode):
    """Claude Code given the same servers through --mcp-config (and only those: --strict-mcp-config)."""

    def __init__(self, bin_dir, servers):
        super().__init__(bin_dir)
        self.name = "claude-mcp%d" % servers
        self.servers = servers
        self.config_file = None

    @property
    def product(self):
        return "claude"

    def prepare(self, repo, home, port, workload=None):
        self.config_file = os.path.join(os.path.dirname(repo), "mcp.json")
        with open(self.config_file, "w") as out:
            json.dump({"mcpServers": {"ev%d" % i: {"command": everything(), "args": []}
                                      for i in range(1, self.servers + 1)}}, out)

    def command(self, prompt=task.PROMPT):
        return super().command(prompt) + ["--mcp-config", self.config_file, "--strict-mcp-config"]


def mcp_status(home, directory):
    """GET /mcp of the daemon of home for directory: [(name, status)]."""
    with open(os.path.join(home, "state", "lathe", "server.json")) as f:
        server = json.load(f)
    request = urllib.request.Request(server["url"].rstrip("/") + "/mcp?directory=" + urllib.parse.quote(directory),
                                     headers={"Authorization": "Bearer " + server["token"]})
    with urllib.request.urlopen(request, timeout=10) as response:
        return [(s["name"], s["status"]) for s in json.load(response)]


def await_connected(home, directory, servers, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        statuses = mcp_status(home, directory)
        if len(statuses) == servers and all(s == "connected" for _, s in statuses):
            return True
        time.sleep(0.2)
    return False


def second_request(harness, home, repo, folder, servers):
    """A second `lathe run` in repo (whose servers are up): the first request's (system text, tools JSON) and the tools
    as sent."""
    os.makedirs(folder, exist_ok=True)
    workload = Hello(servers)
    fake, port, log = start_fake_model(folder, workload.script(harness.product), repo)
    try:
        harness.prepare(repo, home, port, workload)
        subprocess.run(harness.command(workload.prompt), cwd=repo, env=harness.environment(home, port, workload),
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
        with open(log, encoding="utf-8") as f:
            run = {"requests": [json.loads(line) for line in f if line.strip()]}
    finally:
        fake.terminate()
        fake.wait()
    steps = analysis.steps(run)
    if not steps:
        return None, None
    _, tools, _ = analysis.prompt_parts(steps[0])
    return analysis.first_request_texts(run), tools


def tools_list():
    """server-everything's tools/list over stdio."""
    messages = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize",
         "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "bench", "version": "0"}}},
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
    ]
    server = subprocess.Popen([everything()], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              text=True)
    try:
        for m in messages:
            server.stdin.write(json.dumps(m) + "\n")
            server.stdin.flush()
            if "id" not in m:
                continue
            while True:
                reply = json.loads(server.stdout.readline())
                if reply.get("id") == m["id"]:
                    break
        return reply["result"]["tools"]
    finally:
        server.kill()
        server.wait()


def undeferred_tools(sent, servers):
    """The tools Lathe sent minus tool_search, plus every tool of `servers` server-everything instances in the same
    (Anthropic Messages) shape: what the first request would carry without deferral."""
    tools = [t for t in sent if t.get("name") != "tool_search"]
    listed = tools_list()
    for i in range(1, servers + 1):
        for t in sorted(listed, key=lambda t: t["name"]):
            schema = {k: v for k, v in t.get("inputSchema", {}).items() if k != "$schema"}
            tools.append({"name": "ev%d_%s" % (i, t["name"]), "description": t.get("description", ""),
                          "input_schema": schema})
    return json.dumps(tools, ensure_ascii=False, separators=(",", ":"))
