#!/usr/bin/env python3
# lathe-tool: {"name": "word_count", "description": "Counts the words of a text file in the project.",
#   "parameters": {"type": "object", "properties": {"path": {"type": "string", "description": "File path, relative to the project"}},
#                  "required": ["path"]},
#   "effects": ["reads_files"], "permission": {"kind": "path", "argument": "path"}, "timeout": 10}
import json
import sys

args = json.load(sys.stdin)  # the call's arguments, one JSON object
try:
    with open(args["path"], encoding="utf-8") as f:
        words = len(f.read().split())
except OSError as e:
    print(f"cannot read {args['path']}: {e.strerror}", file=sys.stderr)
    sys.exit(1)  # a non-zero exit: the model reads stderr as the error
print(json.dumps({"output": f"{args['path']}: {words} words"}))
