"""Drives a session through the SDK against a real server, for SdkIT (app): prints one JSON object of what it saw.

Run as python3 -I test/drive.py (no PYTHONPATH, no user site): it finds lathe_sdk beside its own folder. LATHE_DIR: the
project; SDK_PROXY_URL and SDK_TOKEN: a relay in front of the server that cuts the first event stream after its first
event, so the turn is followed across a reconnect (Last-Event-ID).
"""

import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from lathe_sdk import Client, LatheError, NotFoundError  # noqa: E402

directory = os.environ["LATHE_DIR"]
lathe = Client.connect(directory=directory)  # server.json of XDG_STATE_HOME
relayed = Client(os.environ["SDK_PROXY_URL"], os.environ["SDK_TOKEN"], directory=directory)

health = lathe.health()
session = lathe.session_create({"directory": directory, "title": "sdk"})
events, text = [], ""
turn = relayed.turn(session["id"], "DELEGATE please")
try:
    while True:
        event = next(turn)
        events.append(event)
        if event["type"] == "message.part.delta":
            text += event["delta"]
except StopIteration as end:
    accepted = end.value
messages = lathe.session_messages(session["id"])
children = lathe.session_children(session["id"])
missing = None
try:
    lathe.session("ses_" + "0" * 26)
except LatheError as e:
    missing = {"kind": type(e).__name__, "status": e.status, "code": e.code, "message": e.message, "typed": isinstance(e, NotFoundError)}
last = events[-1] if events else {}
print(json.dumps({
    "healthy": health["healthy"],
    "session": session["id"],
    "accepted": accepted["messageId"] if accepted else None,
    "types": [e["type"] for e in events],
    "seqs": [e["seq"] for e in events if e["seq"] > 0],
    "lastStatus": last["status"]["type"] if last.get("type") == "session.status" else None,
    "text": text,
    "messages": [{"role": m["info"]["role"], "text": "".join(p["text"] for p in m["parts"] if p["type"] == "text")} for m in messages],
    "children": [{"parentId": c["session"].get("parentId"), "status": c["status"]} for c in children],
    "missing": missing,
}))
