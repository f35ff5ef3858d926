#!/usr/bin/env python3
# lathe.json hooks that decide, by the event they are given: the conformance suite's policies.
#   UserPromptSubmit: refuses prompts about "forbidden" things (exit 2), else adds context for the model
#   Stop: the first time the agent says DONE-EARLY, makes it go on (exit 2) with an instruction
#   PostToolUse: a command that says "halt" stops the agent (continue: false)
import json
import sys

event = json.load(sys.stdin)
name = event["hook_event_name"]
if name == "UserPromptSubmit":
    if "forbidden" in event["prompt"]:
        print("prompts about forbidden things are refused", file=sys.stderr)
        sys.exit(2)
    print(json.dumps({"hookSpecificOutput": {"hookEventName": name, "additionalContext": "CONTEXT-FROM-HOOK: the build uses make"}}))
elif name == "Stop":
    if not event["stop_hook_active"] and "DONE-EARLY" in event.get("last_assistant_message", ""):
        print("run the tests first", file=sys.stderr)
        sys.exit(2)
elif name == "PostToolUse":
    if "halt" in event["tool_input"].get("command", ""):
        print(json.dumps({"continue": False, "stopReason": "halted by the team's policy"}))
