"""How each harness is installed, configured and launched for the scripted task: Lathe from this checkout, Claude Code
and OpenCode from the npm registry (into a local folder, never globally). Every harness talks to the same fake model
on loopback; none of them may reach anything else, so updaters, telemetry and model-list fetches are switched off.
"""
import json
import os
import subprocess
import time

from task import PROMPT

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# the anchors (issue 70: Claude Code 2.1.330, the version the targets of DESIGN §16 are measured against)
PEERS = {"opencode": "opencode-ai@1.18.33", "claude": "@anthropic-ai/claude-code@2.1.330"}
MODEL = "claude-sonnet-4-5"
SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def install_peers(folder):
    """npm-installs the peers into folder (once, and again when a pin in PEERS changed: a folder installed for an
    earlier pin would be measured under the new one's name); returns the folder of their launchers."""
    bin_dir = os.path.join(folder, "node_modules", ".bin")
    if not all(os.path.exists(os.path.join(bin_dir, name)) for name in ("claude", "opencode")) or installed(folder) != PEERS:
        os.makedirs(folder, exist_ok=True)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", folder]
                       + list(PEERS.values()), check=True, stdout=subprocess.DEVNULL)
        if installed(folder) != PEERS:
            raise RuntimeError("npm installed %s into %s, not %s" % (installed(folder), folder, PEERS))
    return bin_dir


def installed(folder):
    """What folder holds of each peer, as PEERS names it (package@version); None for one it lacks."""
    found = {}
    for name, spec in PEERS.items():
        package = spec.rsplit("@", 1)[0]
        try:
            with open(os.path.join(folder, "node_modules", package, "package.json")) as f:
                found[name] = "%s@%s" % (package, json.load(f)["version"])
        except (OSError, ValueError, KeyError):
            found[name] = None
    return found


class Harness:
    """name, protocol the fake model speaks to it, the product whose tool names the script uses, and how one run is
    prepared and started."""
    name = ""
    protocol = ""

    @property
    def product(self):
        return self.name

    def prepare(self, repo, home, port, workload=None):
        """Writes whatever the harness reads from the repository before it starts."""

    def command(self, prompt=PROMPT):
        raise NotImplementedError

    def environment(self, home, port, workload=None):
        raise NotImplementedError

    def server_pid(self):
        """The pid of the server this harness is a client of, if any (its memory is measured too)."""
        return None


class Lathe(Harness):
    """`lathe run --standalone`, as a CI job runs it (DESIGN §3: a set CI variable means standalone): the core in the
    run's own cold JVM, no daemon. Lathe built in root (this checkout, or a baseline build of another commit: then its
    name carries the tag). CI rather than --standalone, so a baseline from before the flag runs the same way."""
    protocol = "anthropic"
    product = "lathe"

    def __init__(self, root=ROOT, tag=None):
        self.root, self.tag = root, tag
        self.name = "lathe" + ("@" + tag if tag else "")

    def command(self, prompt=PROMPT):
        return [os.path.join(self.root, "bin", "lathe"), "run", "--allow-all", prompt]

    def environment(self, home, port, workload=None):
        env = {"PATH": SYSTEM_PATH, "LANG": "C.UTF-8", "HOME": home, "TERM": "dumb",
               "LATHE_DISABLE_MODELS_FETCH": "1",  # like OPENCODE_DISABLE_MODELS_FETCH: the bundled catalog only
               "CI": "1"}
        for kind in ("DATA", "STATE", "CONFIG", "CACHE"):
            env["XDG_%s_HOME" % kind] = os.path.join(home, kind.lower())
        env["LATHE_CONFIG_CONTENT"] = json.dumps(config(port, workload))
        # a profile (or a deliberately slowed start, the guard's A/B) of the runs: e.g. BENCH_JAVA_TOOL_OPTIONS="-javaagent:..."
        if os.environ.get("BENCH_JAVA_TOOL_OPTIONS"):
            env["JAVA_TOOL_OPTIONS"] = os.environ["BENCH_JAVA_TOOL_OPTIONS"]
        return env


def config(port, workload=None):
    """Lathe's config for the fake model at port: a provider configured completely by hand. A long session gets a
    window it cannot fill (no compaction) and enough steps for its reads (the default agent stops at 50); a workload
    with MCP servers (mcp_servers.py) gets them as `mcp`, one that sets language servers (lsp_edits.py) as `lsp`."""
    long = workload is not None and workload.long
    # BENCH_LATHE_PROTOCOL=openai-chat: the fake model speaks both, and most providers in the catalog speak that one
    protocol = os.environ.get("BENCH_LATHE_PROTOCOL", "anthropic-messages")
    result = {"model": "fake/" + MODEL, "provider": {"fake": {
        "protocol": protocol, "baseUrl": "http://127.0.0.1:%d/v1" % port,
        "models": {MODEL: {"context": workload.context if long else 200000, "output": 32000}}}}}
    if long:
        result["agent"] = {"build": {"steps": workload.steps + 10}}
    if getattr(workload, "mcp", None):
        result["mcp"] = workload.mcp
    if hasattr(workload, "lsp"):
        result["lsp"] = workload.lsp  # lsp_edits.py: language servers on ({...}) or off (false)
    return result


class LatheWithDaemon(Lathe):
    """`lathe run` as a user runs it (daemon-first, DESIGN §3) on the second run of the day: the user's server runs
    and the run is a client of it, its code warm from the runs before. The server reads the model's config from the user config file,
    rewritten before each run with that run's fake-model port (a new folder opens a new project instance, which reads
    it afresh)."""

    def __init__(self, root=ROOT, tag=None):
        super().__init__(root, tag)
        self.name = "lathe-daemon" + ("@" + tag if tag else "")
        self.server = None

    def environment(self, home, port, workload=None):
        env = super().environment(home, port, workload)
        del env["LATHE_CONFIG_CONTENT"]
        del env["CI"]  # the default `lathe run`: daemon-first (BENCH_JAVA_TOOL_OPTIONS reaches its server too)
        return env

    def prepare(self, repo, home, port, workload=None):
        folder = os.path.join(home, "config", "lathe")
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "lathe.json"), "w") as out:
            json.dump(config(port, workload), out)
        if self.server is None:
            self.start(home)

    def server_pid(self):
        return self.server.pid if self.server else None

    def start(self, home):
        """Starts `lathe serve` for home and waits until its server.json is written."""
        state = os.path.join(home, "state", "lathe", "server.json")
        log = open(os.path.join(home, "serve.log"), "wb")
        self.server = subprocess.Popen([os.path.join(self.root, "bin", "lathe"), "serve"], env=self.environment(home, 0),
                                       stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while not os.path.exists(state):
            if self.server.poll() is not None or time.time() > deadline:
                raise RuntimeError("lathe serve did not start; see " + log.name)
            time.sleep(0.05)

    def stop(self):
        if self.server is not None:
            self.server.terminate()
            self.server.wait()
            self.server = None


class ClaudeCode(Harness):
    name, protocol = "claude", "anthropic"

    def __init__(self, bin_dir):
        self.bin_dir = bin_dir

    def command(self, prompt=PROMPT):
        return [os.path.join(self.bin_dir, "claude"), "-p", prompt, "--model", MODEL,
                "--permission-mode", "bypassPermissions"]

    def environment(self, home, port, workload=None):
        env = {"PATH": SYSTEM_PATH, "LANG": "C.UTF-8", "HOME": home, "TERM": "dumb", "SHELL": "/bin/bash",
               "ANTHROPIC_BASE_URL": "http://127.0.0.1:%d" % port, "ANTHROPIC_API_KEY": "sk-ant-fake-bench",
               "IS_SANDBOX": "1",  # lets bypassPermissions run as root
               "DISABLE_AUTOUPDATER": "1", "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
               "DISABLE_TELEMETRY": "1", "DISABLE_ERROR_REPORTING": "1"}
        if workload is not None and workload.long:
            # the fake model's usage figures are estimates: no compaction may cut a long session short
            env["DISABLE_AUTO_COMPACT"] = "1"
        return env


class OpenCode(Harness):
    name, protocol = "opencode", "openai"

    def __init__(self, bin_dir):
        self.bin_dir = bin_dir

    def prepare(self, repo, home, port, workload=None):
        config = {"autoupdate": False, "share": "disabled", "model": "fake/" + MODEL,
                  "permission": {"edit": "allow", "bash": "allow", "external_directory": "allow"},
                  "provider": {"fake": {"npm": "@ai-sdk/openai-compatible", "name": "Fake",
                                        "options": {"baseURL": "http://127.0.0.1:%d/v1" % port, "apiKey": "fake"},
                                        "models": {MODEL: {"name": MODEL, "tool_call": True,
                                                           "limit": {"context": 200000, "output": 32000}}}}}}
        with open(os.path.join(repo, "opencode.json"), "w") as out:
            json.dump(config, out, indent=2)

    def command(self, prompt=PROMPT):
        return [os.path.join(self.bin_dir, "opencode"), "run", "--model", "fake/" + MODEL, prompt]

    def serve_command(self, port):
        """Its background server, the peer of `lathe serve` for the idle-memory figure."""
        return [os.path.join(self.bin_dir, "opencode"), "serve", "--hostname", "127.0.0.1", "--port", str(port)]

    def environment(self, home, port, workload=None):
        return {"PATH": SYSTEM_PATH, "LANG": "C.UTF-8", "HOME": home, "TERM": "dumb", "SHELL": "/bin/bash",
                "OPENCODE_DISABLE_AUTOUPDATE": "1", "OPENCODE_DISABLE_MODELS_FETCH": "1",
                "OPENCODE_DISABLE_LSP_DOWNLOAD": "1", "OPENCODE_DISABLE_SHARE": "1"}
