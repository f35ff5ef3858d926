"""The terminal UI's launch → first frame with the user's server running (issue 43, DESIGN §16: ≤ 0.5 s), beside
Claude Code's launch → first frame of its own terminal UI.

Each harness is launched in a fresh tmux (100×30) in a small git repository, the way a user opens it on the second
launch of the day: Lathe as bare `lathe` (bin/lathe: its own AOT cache, `lathe-tui.aot`) with `lathe serve` already
running for the same HOME and the folder opened once before (untimed), Claude Code as `claude` with its onboarding,
the folder's trust dialog and the API key already accepted in its HOME. The screen is polled every 10 ms:
  - first_frame_s: launch → anything visible on the screen;
  - ready_s: launch → the harness's input line drawn (Lathe's footer with the model, Claude Code's prompt line);
  - cpu_s: the client's CPU seconds (its process tree, user + sys) by then.
Runs alternate between the harnesses, so the machine's noise falls on both. Nothing here reaches any address but
loopback: no model is asked anything (Lathe's model points at a port nothing listens on, Claude Code's at the same).
"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

from resume import watch_in_tmux

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
# the port the harnesses' model points at: nothing listens there (opening a UI asks no model)
NO_MODEL_PORT = 9
API_KEY = "sk-ant-fake-bench-tui-0123456789"


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def open_ui(command, env, folder, ready_text, timeout=60):
    """Launches command in a fresh tmux; returns ({first_frame_s, first_frame_cpu_s, ready_s, cpu_s}, why not)."""
    figures, why = watch_in_tmux("lathe-bench-tui-%d-%d" % (os.getpid(), int(time.time() * 1000)), command, env, folder,
                                 ready_text, timeout)
    if "text_s" in figures:
        figures["ready_s"] = figures.pop("text_s")
    return figures, why


def project(folder):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "README.md"), "w") as out:
        out.write("# a small project\n")
    for args in (["init", "-q"], ["add", "."], ["-c", "user.email=b@e.nch", "-c", "user.name=bench", "commit", "-qm", "init"]):
        subprocess.run(["git", "-C", folder] + args, check=True, capture_output=True)


def claude_home(home, folder):
    """Claude Code's HOME after its first launch: onboarding done, the folder trusted, the API key approved."""
    os.makedirs(home, exist_ok=True)
    with open(os.path.join(home, ".claude.json"), "w") as out:
        json.dump({"hasCompletedOnboarding": True, "theme": "dark", "numStartups": 2,
                   "customApiKeyResponses": {"approved": [API_KEY[-20:]], "rejected": []},
                   "projects": {folder: {"hasTrustDialogAccepted": True, "hasCompletedProjectOnboarding": True,
                                         "allowedTools": []}}}, out)


def summary(runs):
    done = [r for r in runs if "ready_s" in r]
    out = {"runs": runs, "done": "%d/%d" % (len(done), len(runs))}
    for key in ("first_frame_s", "ready_s", "cpu_s", "first_frame_cpu_s"):
        values = [r[key] for r in runs if key in r]
        if values:
            out[key] = statistics.median(values)
            out[key + "_min"] = min(values)
    return out


def tui_start(runs, with_peers, scratch, peers_bin=None):
    """{"lathe": {...}, "claude": {...}}: medians (and minima) of runs launches each, after one untimed launch each."""
    import harnesses
    if not shutil.which("tmux"):
        log("bench: tui: skipped, tmux is not installed")
        return {"skipped": "tmux is not installed"}
    home = os.path.join(scratch, "tui-home")
    folder = os.path.join(scratch, "tui-project")
    project(folder)
    lathe = harnesses.LatheWithDaemon()
    lathe.prepare(folder, home, NO_MODEL_PORT)
    chosen = [("lathe", [os.path.join(ROOT, "bin", "lathe")], lathe.environment(home, NO_MODEL_PORT),
               # the footer's model name: drawn with the input line once the session is shown
               harnesses.MODEL)]
    if with_peers and peers_bin:
        claude = harnesses.ClaudeCode(peers_bin)
        claude_env = claude.environment(os.path.join(scratch, "tui-claude-home"), NO_MODEL_PORT)
        claude_env.update({"ANTHROPIC_API_KEY": API_KEY, "TERM": "xterm-256color"})
        claude_home(claude_env["HOME"], folder)
        chosen.append(("claude", [os.path.join(peers_bin, "claude")], claude_env, "for shortcuts"))
    results = {name: [] for name, *_ in chosen}
    try:
        for name, command, env, ready in chosen:
            warm, why = open_ui(command, env, folder, ready)
            log("bench: tui %s warm-up: %s%s" % (name, json.dumps(warm), " (" + why + ")" if why else ""))
        for i in range(runs):
            for name, command, env, ready in chosen:
                figures, why = open_ui(command, env, folder, ready)
                if why:
                    figures["why"] = why
                results[name].append(figures)
                log("bench: tui %s run %d: %s" % (name, i + 1, json.dumps(figures)))
    finally:
        lathe.stop()
    return {name: summary(rs) for name, rs in results.items()}


if __name__ == "__main__":
    import tempfile
    sys.path.insert(0, HERE)
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    peers = sys.argv[2] if len(sys.argv) > 2 else None
    with tempfile.TemporaryDirectory(prefix="lathe-bench-tui-") as scratch:
        print(json.dumps(tui_start(runs, peers is not None, scratch, peers), indent=1))
