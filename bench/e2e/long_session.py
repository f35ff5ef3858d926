"""The long session of DESIGN §16: the model reads N files of the scenario one step at a time, then answers, so each
step's request carries every earlier read (about 100k tokens of history at 150 steps). What grows is the history the
harness holds, rebuilds and sends; the gap per step and its growth from the first to the last steps are the figures.

The files are generated into the run's repository (src/longread/module_NNN.py, about 1.4 KB of Python each, every one
holding its own marker), so the steps read different files: a harness that answers a repeated read from a cache, or
shortens an unchanged file, would not be measured on the same work.
"""
import json
import os

PROMPT = "Read the modules under src/longread one by one, in order, then say in one line that you have read them all."
FOLDER = "src/longread"
# a model whose window holds 300 steps without compaction: the figure is the harness's own per-step cost
CONTEXT = 1000000


def marker(i):
    return "LONGREAD_MARKER_%03d" % i


def module_text(i):
    """About 1.4 KB of plain, deterministic Python, different in every file."""
    lines = ['"""Module %03d of the long-session scenario: small helpers over records (%s)."""' % (i, marker(i)),
             "import dataclasses", "import json", "", ""]
    for k in range(3):
        name = "record_%03d_%d" % (i, k)
        lines += [
            "@dataclasses.dataclass(frozen=True)",
            "class Record%03d%d:" % (i, k),
            '    """A record of kind %d in module %03d."""' % (k, i),
            "    key: str",
            "    count: int = %d" % ((i * 7 + k * 13) % 97),
            "    weight: float = %d.%d" % (k + 1, (i * 3 + k) % 10),
            "",
            "",
            "def %s(values):" % name,
            '    """Sums the counts of the records whose key starts with %r."""' % ("k%d" % ((i + k) % 10)),
            "    total = 0",
            "    for value in values:",
            '        if value.key.startswith("k%d"):' % ((i + k) % 10),
            "            total += value.count * %d" % (k + 2),
            "    return json.dumps({\"module\": %d, \"kind\": %d, \"total\": total})" % (i, k),
            "",
            "",
        ]
    return "\n".join(lines).rstrip() + "\n"


def write_files(repo, steps):
    folder = os.path.join(repo, FOLDER)
    os.makedirs(folder, exist_ok=True)
    for i in range(steps):
        with open(os.path.join(folder, "module_%03d.py" % i), "w", encoding="utf-8") as out:
            out.write(module_text(i))


# per product: the read tool, its path argument, whether paths are absolute (task.py's table, read only)
_READ = {"lathe": ("read", "path", False), "claude": ("Read", "file_path", True),
         "opencode": ("read", "filePath", True)}


def script(product, steps):
    name, argument, absolute = _READ[product]
    where = "{{WORKDIR}}/" if absolute else ""
    turns = [{"tool_calls": [{"name": name, "arguments": {argument: "%s%s/module_%03d.py" % (where, FOLDER, i)}}]}
             for i in range(steps)]
    return turns + [{"text": "I have read all %d modules." % steps}]


class LongSession:
    """The workload measure.run_once runs: its repository, prompt, script and check."""

    def __init__(self, steps):
        self.steps = steps
        self.prompt = PROMPT
        self.long = True
        self.context = CONTEXT
        # the fake model logs whole only the first step (its prompt) and the last (the whole history)
        self.bodies_from = steps

    def setup(self, repo):
        write_files(repo, self.steps)

    def script(self, product):
        return script(product, self.steps)

    def done(self, repo, requests):
        """Every step came (one request per turn 0..steps, the last one answered with the final text) and the last
        request carries every file's marker, so each read really returned its file."""
        turns = {r.get("turn") for r in requests if r.get("kind") == "step"}
        if not set(range(self.steps + 1)) <= turns:
            return False
        last = [r for r in requests if r.get("kind") == "step" and r.get("turn") == self.steps and "body" in r]
        if not last:
            return False
        text = json.dumps(last[-1]["body"], ensure_ascii=False)
        return all(marker(i) in text for i in range(self.steps))
