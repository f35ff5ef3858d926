"""The scripted task every harness runs: read wc.py and its test, add a --json flag (one edit), add a test for it
(a second edit), run the tests, answer. Five model turns; the same work in each harness's own tool names.

Each turn is {"text": ...} or {"tool_calls": [{"name": ..., "arguments": {...}}]}; "{{WORKDIR}}" in an argument is
the run's repository (the fake model fills it in), for harnesses whose tools want absolute paths.
"""
import os
import shutil

SCENARIO = os.path.join(os.path.dirname(os.path.abspath(__file__)), "scenario")
PROMPT = "Add a --json flag to the word-count CLI that prints the counts as JSON, update the tests, and run them."

WC_BEFORE = '''    parser.add_argument("file", nargs="?", help="the file to count (default: standard input)")
    args = parser.parse_args(argv)
    if args.file:
        with open(args.file, encoding="utf-8") as source:
            text = source.read()
    else:
        text = sys.stdin.read()
    lines, words, chars = count(text)
    print(lines, words, chars)'''

WC_AFTER = '''    parser.add_argument("file", nargs="?", help="the file to count (default: standard input)")
    parser.add_argument("--json", action="store_true", help="print the counts as a JSON object")
    args = parser.parse_args(argv)
    if args.file:
        with open(args.file, encoding="utf-8") as source:
            text = source.read()
    else:
        text = sys.stdin.read()
    lines, words, chars = count(text)
    if args.json:
        import json

        print(json.dumps({"lines": lines, "words": words, "chars": chars}))
    else:
        print(lines, words, chars)'''

TEST_BEFORE = '''if __name__ == "__main__":
    unittest.main()'''

TEST_AFTER = '''class JsonTest(unittest.TestCase):
    def test_json_flag_prints_an_object(self):
        import json
        import os
        import tempfile

        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as sample:
            sample.write("hello world\\nbye\\n")
        try:
            out = io.StringIO()
            with redirect_stdout(out):
                main(["--json", sample.name])
            self.assertEqual(json.loads(out.getvalue()), {"lines": 2, "words": 3, "chars": 16})
        finally:
            os.unlink(sample.name)


if __name__ == "__main__":
    unittest.main()'''

TEST_COMMAND = "python3 -m unittest -q"

ANSWER = ("Added a --json flag to wc.py that prints the counts as a JSON object (lines, words, chars), added JsonTest "
          "to test_wc.py, and ran the tests: all 4 pass.")

# per harness: tool names and argument names for read, edit, bash; whether paths are absolute
_TOOLS = {
    "lathe": {"read": ("read", "path"), "edit": ("edit", "path", "oldString", "newString"), "bash": "bash", "abs": False},
    "opencode": {"read": ("read", "filePath"), "edit": ("edit", "filePath", "oldString", "newString"), "bash": "bash",
                 "abs": True},
    "claude": {"read": ("Read", "file_path"), "edit": ("Edit", "file_path", "old_string", "new_string"), "bash": "Bash",
               "abs": True},
}


def script(harness):
    t = _TOOLS[harness]
    where = (lambda f: "{{WORKDIR}}/" + f) if t["abs"] else (lambda f: f)
    read_name, read_path = t["read"]
    edit_name, edit_path, old, new = t["edit"]

    def edit(f, before, after):
        return {"tool_calls": [{"name": edit_name, "arguments": {edit_path: where(f), old: before, new: after}}]}

    return [
        {"tool_calls": [{"name": read_name, "arguments": {read_path: where("wc.py")}},
                        {"name": read_name, "arguments": {read_path: where("test_wc.py")}}]},
        edit("wc.py", WC_BEFORE, WC_AFTER),
        edit("test_wc.py", TEST_BEFORE, TEST_AFTER),
        {"tool_calls": [{"name": t["bash"], "arguments": {"command": TEST_COMMAND, "description": "Run the tests"}}]},
        {"text": ANSWER},
    ]


class ScriptedTask:
    """The workload measure.run_once runs by default: the scenario repository, this task's prompt, script and check."""
    prompt = PROMPT
    long = False
    bodies_from = None  # the fake model logs every request whole

    def setup(self, repo):
        shutil.copytree(SCENARIO, repo)

    def script(self, product):
        return script(product)

    def done(self, repo, requests):
        return done(repo)


def done(repo):
    """Whether the work was really done in repo: the flag is there and the four tests pass."""
    import subprocess
    import sys
    with open(repo + "/wc.py", encoding="utf-8") as f:
        if "--json" not in f.read():
            return False
    run = subprocess.run([sys.executable, "-m", "unittest", "-q"], cwd=repo, capture_output=True, text=True)
    return run.returncode == 0 and "Ran 4 tests" in run.stderr


SCRIPTED = ScriptedTask()
