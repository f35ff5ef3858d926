#!/usr/bin/env python3
# PostToolUse hook: after Edit or Write, removes trailing spaces from the file, as a formatter would, and tells the
# model so through additionalContext (it reads it after the tool's output).
import json
import re
import sys

call = json.load(sys.stdin)
path = call.get("tool_input", {}).get("file_path")
if path:
    with open(path) as f:
        text = f.read()
    clean = re.sub(r"[ \t]+$", "", text, flags=re.MULTILINE)
    if clean != text:
        with open(path, "w") as f:
            f.write(clean)
        print(json.dumps({"hookSpecificOutput": {"hookEventName": "PostToolUse",
                                                 "additionalContext": "strip-trailing-spaces removed trailing spaces from " + path}}))
