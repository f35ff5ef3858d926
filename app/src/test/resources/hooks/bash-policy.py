#!/usr/bin/env python3
# A lathe.json PreToolUse hook on bash (Lathe's names): denies `rm -rf` with a JSON decision, rewrites `say-hi`, and
# allows everything else (an allow that must never beat a deny rule).
import json
import sys

call = json.load(sys.stdin)
command = call["tool_input"]["command"]
if "rm -rf" in command:
    decision = {"permissionDecision": "deny", "permissionDecisionReason": "no recursive deletes"}
elif command.startswith("say-hi"):
    decision = {"permissionDecision": "allow", "updatedInput": {"command": "echo rewritten-by-hook"}}
else:
    decision = {"permissionDecision": "allow", "permissionDecisionReason": "policy allows the rest"}
print(json.dumps({"hookSpecificOutput": dict(hookEventName="PreToolUse", **decision)}))
