"""One timed run of a workload (the scripted task, or a long session): a fresh repository, a fake model of its own, the
harness started with a clean environment, wall time, peak RSS of its whole process tree (and of the server's, when the
harness is a client of one), and the fake model's request log.

Peaks are the kernel's first (issue 70): a burst of a few tens of milliseconds falls between two samples of /proc, and
a user's memory limit sees it all the same. The harness's own peak is `wait4`'s `ru_maxrss` (what `/usr/bin/time -v`
prints: the largest resident set of the process and of each child it waited for); a server's is its `VmHWM`, reset at the
start of what is measured (`/proc/PID/clear_refs`). Sampling is kept beside them for what the kernel does not add up:
a process tree's processes at the same moment."""
import json
import os
import subprocess
import sys
import threading
import time

import task

HERE = os.path.dirname(os.path.abspath(__file__))
PAGE = os.sysconf("SC_PAGE_SIZE")


class TreeRss:
    """Samples the summed resident set of a process and all its descendants every few milliseconds; keeps the peak.
    More roots (a client's server) are summed each on its own from the same scan of /proc, so a second tree costs no
    second scan (one takes ~3 ms of CPU, every 20 ms, on the cores being measured). Each root's own peak by the kernel's
    count is taken too (its VmHWM, reset now): the peak stop() returns is the larger of the two, so a burst between
    samples is never missed; `sampled` and `kernel` keep both."""

    def __init__(self, pid, *more, interval=0.02):
        self.roots, self.interval = [pid, *more], interval
        self.peaks = [0] * len(self.roots)
        self.reset = [reset_peak(root) for root in self.roots]
        self.sampled, self.kernel = None, None
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stopped.is_set():
            self.peaks = [max(p, s) for p, s in zip(self.peaks, self.sample_all())]
            self.stopped.wait(self.interval)

    def sample_all(self):
        return tree_rss(*self.roots)

    def stop(self):
        """The peak of each root's tree in bytes, in the order given: the sampled sum of the tree, or the root's own peak
        by the kernel's count when that is larger (None in `kernel` for a root whose peak could not be reset: it would
        count what came before, or a root that is gone)."""
        self.stopped.set()
        self.thread.join()
        self.sampled = list(self.peaks)
        self.kernel = [peak_bytes(root) if reset else None for root, reset in zip(self.roots, self.reset)]
        self.peaks = [max(p, k or 0) for p, k in zip(self.sampled, self.kernel)]
        return self.peaks


def tree_rss(*roots):
    """The summed resident set in bytes of each root's process tree (the root and all its descendants), from one scan
    of /proc. A child that has not yet run exec (the JVM starts a process through posix_spawn, whose child is for a
    moment a clone of the JVM sharing its memory, the same program with the same mappings) is not counted: it would
    count the parent's pages twice (a 175 MiB server read as 345 MiB while its bash tool started a command)."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
        except (OSError, IndexError, ValueError):
            pass
    totals = []
    for root in roots:
        total, todo = 0, [(root, None)]
        while todo:
            pid, parent = todo.pop()
            try:
                with open("/proc/%d/statm" % pid) as f:
                    size, resident = (int(v) for v in f.read().split()[:2])
                if parent is None or not same_image(pid, size, *parent):
                    total += resident * PAGE
            except (OSError, IndexError, ValueError):
                continue
            todo += [(child, (pid, size)) for child in children.get(pid, [])]
        totals.append(total)
    return totals


def reset_peak(pid):
    """Resets the kernel's record of pid's peak resident set (VmHWM) to its resident set now: Linux 4.0 and later, for
    the process's owner. False when it could not be reset."""
    try:
        with open("/proc/%d/clear_refs" % pid, "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def peak_bytes(pid):
    """The kernel's peak resident set of pid (VmHWM: what getrusage's ru_maxrss reports for it) in bytes; None when
    the process is gone."""
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return None


def cpu_s(pid):
    """CPU seconds (user + system) a process used so far, with the children it has waited for."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def same_image(pid, size, parent_pid, parent_size):
    """Whether pid is its parent's clone before exec: the same program with a virtual size equal to the parent's."""
    if size != parent_size:
        return False
    try:
        return os.readlink("/proc/%d/exe" % pid) == os.readlink("/proc/%d/exe" % parent_pid)
    except OSError:
        return False


def git(repo, *args):
    subprocess.run(["git", "-C", repo, "-c", "user.name=bench", "-c", "user.email=bench@localhost"] + list(args),
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def start_fake_model(folder, turns, workdir, bodies_from=None, extra=()):
    """The fake model for one run; extra: more of its options (cost.py's billing and pause)."""
    with open(os.path.join(folder, "script.json"), "w") as out:
        json.dump(turns, out)
    log = os.path.join(folder, "requests.jsonl")
    more = [] if bodies_from is None else ["--bodies-from", str(bodies_from)]
    fake = subprocess.Popen([sys.executable, os.path.join(HERE, "fake_model.py"), "--script", out.name, "--log", log,
                             "--workdir", workdir, *more, *extra], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    port = int(fake.stdout.readline())
    return fake, port, log


def read_requests(log):
    """The fake model's request log: one record per request, in the order they were answered."""
    with open(log, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def run_once(harness, home, folder, workload=task.SCRIPTED, timeout=300):
    """Runs the workload once in folder/repo; returns the figures of that run and its request log."""
    repo = os.path.join(folder, "repo")
    workload.setup(repo)
    fake, port, log = start_fake_model(folder, workload.script(harness.product), repo, workload.bodies_from,
                                       getattr(workload, "fake_args", ()))
    try:
        harness.prepare(repo, home, port, workload)
        git(repo, "init", "-q", "-b", "main")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "word count")
        with open(os.path.join(folder, "stdout.txt"), "wb") as out, open(os.path.join(folder, "stderr.txt"), "wb") as err:
            launched = time.time()
            child = subprocess.Popen(harness.command(workload.prompt), cwd=repo,
                                     env=harness.environment(home, port, workload),
                                     stdin=subprocess.DEVNULL, stdout=out, stderr=err)
            # with a client's server: its whole tree too, sampled the same way while this run lasts
            server = harness.server_pid()
            rss = TreeRss(child.pid, *([server] if server else []))
            deadline = launched + timeout
            while True:
                pid, status, usage = os.wait4(child.pid, os.WNOHANG)
                if pid:
                    break
                if time.time() > deadline:
                    child.kill()
                    pid, status, usage = os.wait4(child.pid, 0)
                    break
                time.sleep(0.005)
            wall = time.time() - launched
            tree_peak, server_peak = (rss.stop() + [None])[:2]
            server_kernel, server_sampled = (rss.kernel + [None])[1], (rss.sampled + [None])[1]
        requests = read_requests(log)
        mib = lambda b: None if b is None else b / 2**20  # noqa: E731
        return {"harness": harness.name, "exit": os.waitstatus_to_exitcode(status), "wall_s": wall,
                # the kernel's peak of the harness (ru_maxrss, KiB), or its tree's sampled sum when that is larger
                "launched": launched, "peak_rss_mib": max(tree_peak / 2**20, usage.ru_maxrss / 1024),
                "maxrss_mib": usage.ru_maxrss / 1024, "sampled_peak_rss_mib": rss.sampled[0] / 2**20,
                # CPU of the harness and the children it waited for: steadier than wall time on a shared machine
                "cpu_s": usage.ru_utime + usage.ru_stime,
                "server_peak_rss_mib": mib(server_peak), "server_hwm_mib": mib(server_kernel),
                "server_sampled_peak_rss_mib": mib(server_sampled),
                "done": workload.done(repo, requests), "requests": requests, "folder": folder}
    finally:
        fake.terminate()
        fake.wait()


def idle_rss_mib(command, cwd, env, settle=8.0):
    """Resident set of a server's whole process tree once it has been up and idle for settle seconds."""
    server = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        time.sleep(settle)
        if server.poll() is not None:
            return None
        return tree_rss(server.pid)[0] / 2**20
    finally:
        server.kill()
        server.wait()
