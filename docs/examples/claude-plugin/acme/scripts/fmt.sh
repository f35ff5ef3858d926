#!/bin/bash
# PostToolUse hook of the plugin: notes each file the agent edited in the plugin's log (a real plugin would run its
# formatter on it). The call arrives as JSON on stdin, in Claude Code's names: tool_input.file_path is absolute.
file=$(python3 -c 'import json, sys; print(json.load(sys.stdin)["tool_input"].get("file_path", ""))')
echo "formatted $file" >> "$CLAUDE_PLUGIN_ROOT/format.log"
