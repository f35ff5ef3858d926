#!/usr/bin/env python3
# PreToolUse hook: refuses `git push` from the agent. Claude Code's contract: the call arrives as JSON on stdin;
# exit code 2 blocks it and what is printed on stderr is the reason the model reads.
import json
import sys

call = json.load(sys.stdin)
command = call.get("tool_input", {}).get("command", "")
if "git push" in command:
    print("Pushing is for humans here: commit, and say the branch is ready.", file=sys.stderr)
    sys.exit(2)
