"""Resume of a big session (issue 31, DESIGN §16): a day of work (5,000 parts) opened over the API, in the terminal UI
and in the web UI, each right after the server restarted (nothing warm, nothing cached).

The session is made by importing an export document (POST /sessions/import: 1,250 exchanges of a prompt and an
answer between a step's start and finish, four parts each), which is what a session the fake model ran would store,
in a fraction of the time. Then, with a fresh `lathe serve`:
  - api_last_page_s: GET /sessions/ID/messages?limit=50, the call every client makes first
  - api_whole_history_s: the same without limit (what clients loaded before paging), for context
  - server RSS (its process tree) idle after the restart, and after the TUI opened the session
  - tui_last_message_s: `lathe attach --session ID` launched in tmux (100×30) to the last answer on screen, with the
    time to its first frame and the client's CPU seconds by then; jvm_floor_s, `lathe --version`'s wall time, is the
    client JVM's start under it
  - web_last_message_s: a logged-in chromium page, from going to the session's route to its last answer on screen,
    when node, playwright-core (testkit/npm/node_modules) and /usr/bin/chromium are there (skipped otherwise, and the
    table says why)
Nothing here reaches any address but loopback.
"""
import glob
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
import zipfile

from measure import tree_rss

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PARTS_PER_EXCHANGE = 4
PAGE = 50
# the session of one page beside the big one: the terminal UI's opening when history costs nothing
SMALL_PARTS = 8


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def export_document(directory, parts, tag="b"):
    """The export of a session of `parts` parts (rounded down to whole exchanges), ids in time order; `tag` keeps the
    ids of two sessions made in the same millisecond apart."""
    sid = "ses_bench%s%019d" % (tag, int(time.time() * 1000))
    messages = []
    for i in range(parts // PARTS_PER_EXCHANGE):
        user, answer = "msg_%s%012du" % (tag, i), "msg_%s%012dv" % (tag, i)
        prt = lambda k: "prt_%s%012d%s" % (tag, i, k)
        messages.append({"info": {"role": "user", "id": user, "sessionId": sid, "createdAt": 1000 + 10 * i,
                                  "agent": "build", "model": "fake/fake"},
                         "parts": [{"type": "text", "id": prt("a"), "sessionId": sid, "messageId": user,
                                    "text": "prompt %d: read src/module_%d.py and tell me what it does" % (i, i),
                                    "synthetic": False}]})
        zero = {"input": 0, "output": 0, "reasoning": 0, "cacheRead": 0, "cacheWrite": 0}
        usage = {"input": 1200 + i, "output": 80, "reasoning": 0, "cacheRead": 30000, "cacheWrite": 200}
        messages.append({"info": {"role": "assistant", "id": answer, "sessionId": sid, "parentId": user, "agent": "build",
                                  "model": "fake/fake", "createdAt": 1001 + 10 * i, "completedAt": 1002 + 10 * i,
                                  "finish": "stop", "usage": usage, "cost": 0},
                         "parts": [{"type": "step-start", "id": prt("b"), "sessionId": sid, "messageId": answer},
                                   {"type": "text", "id": prt("c"), "sessionId": sid, "messageId": answer,
                                    "text": "answer %d: module_%d.py parses the config and returns its sections." % (i, i),
                                    "synthetic": False},
                                   {"type": "step-finish", "id": prt("d"), "sessionId": sid, "messageId": answer,
                                    "reason": "stop", "usage": usage, "cost": 0}]})
    session = {"id": sid, "projectId": "prj_bench", "directory": directory, "title": "A day of work", "agent": "build",
               "model": "fake/fake", "createdAt": 1000, "updatedAt": 2000, "usage": zero, "cost": 0}
    return {"format": "lathe.session/1", "session": session, "messages": messages}, sid, len(messages)


def call(endpoint, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(endpoint["url"] + path, data=data, method=method,
                                     headers={"Authorization": "Bearer " + endpoint["token"],
                                              "Content-Type": "application/json", "Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        # names lower-cased: the JDK's server sends "X-lathe-more"
        return response.read(), {k.lower(): v for k, v in response.headers.items()}


def endpoint_of(home):
    with open(os.path.join(home, "state", "lathe", "server.json")) as f:
        return json.load(f)


def rss_mib(pid):
    return tree_rss(pid)[0] / 2**20


def tree_cpu_s(root):
    """CPU seconds (user + system) used so far by a process and its descendants."""
    children, cpu = {}, {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open("/proc/%s/stat" % entry) as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                children.setdefault(int(fields[1]), []).append(int(entry))
                cpu[int(entry)] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            except (OSError, IndexError, ValueError):
                pass
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        total += cpu.get(pid, 0.0)
    return total


def tui_open(env, folder, sid, last_text, timeout=60):
    """Launches `lathe attach --session ID` in a fresh tmux; returns ({first_frame_s, last_message_s, cpu_s}, why):
    seconds to anything on its screen and to `last_text` on it, and the client's CPU seconds by then."""
    if not shutil.which("tmux"):
        return {}, "tmux is not installed"
    # a tmux server of its own per opening: the last one's may still be exiting
    figures, why = watch_in_tmux("lathe-bench-%d-%s" % (os.getpid(), sid),
                                 [os.path.join(ROOT, "bin", "lathe"), "attach", "--session", sid], env, folder, last_text, timeout)
    out = {k: v for k, v in figures.items() if k in ("first_frame_s", "cpu_s")}
    if "text_s" in figures:
        out["last_message_s"] = figures["text_s"]
    return out, why and "the last message did not show in %d s" % timeout


def watch_in_tmux(socket, command, env, folder, text, timeout):
    """Runs `command` in a 100 × 30 tmux pane of a tmux server of its own (`socket`) with only `env`, in `folder`, and
    watches its screen until `text` shows; returns ({first_frame_s, first_frame_cpu_s, text_s, cpu_s}, why not):
    seconds to anything on the screen and to `text`, and the pane's process tree's CPU seconds at each."""
    tmux = ["tmux", "-L", socket, "-f", "/dev/null"]
    pane_env = dict(env, TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TMUX")}
    figures = {}
    try:
        started = time.time()
        subprocess.run(tmux + ["new-session", "-d", "-x", "100", "-y", "30", "-c", folder,
                               "env -i " + " ".join("%s='%s'" % kv for kv in pane_env.items()) + " " + " ".join(command)],
                       check=True, env=clean)
        pane = int(subprocess.run(tmux + ["display-message", "-p", "#{pane_pid}"], capture_output=True, text=True,
                                  env=clean).stdout.strip() or 0)
        while time.time() - started < timeout:
            screen = subprocess.run(tmux + ["capture-pane", "-p"], capture_output=True, text=True, env=clean).stdout
            now = time.time() - started
            if screen.strip() and "first_frame_s" not in figures:
                figures["first_frame_s"] = now
                figures["first_frame_cpu_s"] = tree_cpu_s(pane)
            if text in screen:
                figures["text_s"] = now
                figures["cpu_s"] = tree_cpu_s(pane)
                return figures, ""
            time.sleep(0.01)
        return figures, "%r did not show in %d s" % (text, timeout)
    finally:
        subprocess.run(tmux + ["kill-server"], capture_output=True, env=clean)


def jvm_floor(env, folder, runs=3):
    """The median wall seconds of `lathe --version`: a client JVM's start with the jar and its AOT cache, the floor
    under any terminal UI figure (the machine's load moves it too)."""
    times = []
    for _ in range(runs):
        started = time.time()
        subprocess.run([os.path.join(ROOT, "bin", "lathe"), "--version"], env=env, cwd=folder, capture_output=True)
        times.append(time.time() - started)
    return sorted(times)[len(times) // 2]


WEB_SCRIPT = r"""
const {chromium} = require(process.argv[2]);
(async () => {
  const [login, session, text] = process.argv.slice(3);
  const browser = await chromium.launch({executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--headless']});
  const page = await browser.newPage();
  await page.goto(login);
  await page.getByRole('button', {name: 'Log in', exact: true}).click();
  await page.getByRole('status', {name: 'Connection', exact: true}).getByText('live').waitFor({timeout: 60000});
  const started = Date.now();
  await page.goto(session);
  await page.getByText(text, {exact: true}).waitFor({state: 'visible', timeout: 60000});
  console.log(JSON.stringify({seconds: (Date.now() - started) / 1000}));
  await browser.close();
})().catch((e) => { console.log(JSON.stringify({error: String(e)})); process.exit(1); });
"""


def playwright_core():
    """The playwright-core node package: testkit/npm's when it has one, else the one inside the Playwright Java driver
    jar that the web UI's IT already brings into the local Maven repository (extracted once under bench/target)."""
    found = os.path.join(ROOT, "testkit", "npm", "node_modules", "playwright-core")
    if os.path.isdir(found):
        return found
    jars = sorted(glob.glob(os.path.expanduser("~/.m2/repository/com/microsoft/playwright/driver/*/driver-*.jar")))
    if not jars:
        return None
    target = os.path.join(ROOT, "bench", "target", "playwright-core", os.path.basename(jars[-1])[:-4])
    package = os.path.join(target, "driver", "package")
    if not os.path.isfile(os.path.join(package, "package.json")):
        with zipfile.ZipFile(jars[-1]) as jar:
            jar.extractall(target, [n for n in jar.namelist() if n.startswith("driver/package/")])
    return package


def web_last_message(endpoint, sid, last_text, scratch):
    """Seconds from opening the session's page (logged in by a one-time link) to `last_text` on screen."""
    module = playwright_core()
    if not module or not shutil.which("node") or not os.path.exists("/usr/bin/chromium"):
        return None, "needs node, playwright-core (testkit/npm or the Playwright driver jar in ~/.m2) and /usr/bin/chromium"
    body, _ = call(endpoint, "POST", "/login/code", {})
    login = json.loads(body)["url"]
    # the one-time link's page logs in (its button) and lands on the board; the timing starts at the session's route
    session = endpoint["url"] + "/#/session/" + sid
    script = os.path.join(scratch, "resume-web.js")
    with open(script, "w") as f:
        f.write(WEB_SCRIPT)
    run = subprocess.run(["node", script, module, login, session, last_text], capture_output=True, text=True, timeout=120)
    try:
        out = json.loads(run.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None, (run.stdout + run.stderr).strip()[-200:]
    return out.get("seconds"), out.get("error", "")


def resume(harness_class, parts, scratch):
    home = os.path.join(scratch, "resume-home")
    folder = os.path.join(scratch, "resume-project")
    os.makedirs(folder, exist_ok=True)
    harness = harness_class()
    figures = {"parts": parts}
    harness.prepare(folder, home, 9)  # a model port nothing listens on: nothing here asks the model
    try:
        document, sid, count = export_document(folder, parts)
        figures["messages"] = count
        call(endpoint_of(home), "POST", "/sessions/import", document)
        # the same opening of a session of one page: what the terminal UI costs whatever the history's size
        small, small_sid, _ = export_document(folder, SMALL_PARTS, tag="s")
        call(endpoint_of(home), "POST", "/sessions/import", small)
        last_text = document["messages"][-1]["parts"][1]["text"]
        log("bench: resume: imported %d messages, %d parts; restarting the server" % (count, parts))
        harness.stop()
        # the old server's connection file must not be taken for the new one's
        state = os.path.join(home, "state", "lathe", "server.json")
        if os.path.exists(state):
            os.remove(state)
        harness.start(home)
        endpoint = endpoint_of(home)
        time.sleep(3)  # the restarted server settles before its idle memory is read
        figures["rss_before_mib"] = rss_mib(harness.server_pid())
        started = time.time()
        body, headers = call(endpoint, "GET", "/sessions/%s/messages?limit=%d" % (sid, PAGE))
        figures["api_last_page_s"] = time.time() - started
        page = json.loads(body)
        figures["api_page_ok"] = len(page) == PAGE and page[-1]["parts"][1]["text"] == last_text \
            and headers.get("x-lathe-more") == "true"
        env = harness.environment(home, 9)
        tui, why = tui_open(env, folder, sid, last_text[:60])
        figures.update({"tui_" + k: v for k, v in tui.items()})
        if why:
            figures["tui_skipped"] = why
        figures["rss_after_mib"] = rss_mib(harness.server_pid())
        tui, why = tui_open(env, folder, small_sid, small["messages"][-1]["parts"][1]["text"][:60])
        figures.update({"tui_small_" + k: v for k, v in tui.items()})
        figures["jvm_floor_s"] = jvm_floor(env, folder)
        figures["web_last_message_s"], why = web_last_message(endpoint, sid, last_text, scratch)
        if why:
            figures["web_skipped"] = why
        else:
            figures["rss_after_web_mib"] = rss_mib(harness.server_pid())
        started = time.time()
        whole, _ = call(endpoint, "GET", "/sessions/%s/messages" % sid)
        figures["api_whole_history_s"] = time.time() - started
        figures["api_whole_history_mib"] = len(whole) / 2**20
        figures["rss_after_whole_mib"] = rss_mib(harness.server_pid())
    finally:
        harness.stop()
    log("bench: resume: %s" % json.dumps(figures))
    return figures
