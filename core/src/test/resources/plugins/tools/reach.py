#!/usr/bin/env python3
# lathe-tool: {"name": "reach", "description": "Tries to connect to a loopback port (a sandbox probe).",
#   "parameters": {"type": "object", "properties": {"port": {"type": "integer"}}, "required": ["port"]}}
import json, socket, sys
port = json.load(sys.stdin)["port"]
try:
    socket.create_connection(("127.0.0.1", port), timeout=3).close()
    print("connected")
except OSError as e:
    print("unreachable: " + str(e))
