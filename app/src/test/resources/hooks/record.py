#!/usr/bin/env python3
# Records what a hook is told: one line per run, the JSON exactly as read on stdin, in HOOK_LOG.
import os
import sys

data = sys.stdin.read()
with open(os.environ.get("HOOK_LOG", os.path.expanduser("~/hooks-seen.jsonl")), "a") as log:
    log.write(data.replace("\n", " ") + "\n")
