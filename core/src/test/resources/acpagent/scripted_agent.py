#!/usr/bin/env python3
"""A small ACP v1 agent for Lathe's tests, speaking newline-delimited JSON-RPC on stdio.

What it does with a prompt depends on the prompt's last text block:
  "hello"        a thought chunk, two message chunks, end_turn with usage
  "edit PATH"    a pending edit tool call, a permission request; when allowed it writes PATH
                 ("changed\n" instead of its text) and reports the call completed with the diff
  "wait"         a message chunk, then waits for session/cancel and ends the prompt "cancelled"
  "die"          a message chunk, then exits with code 3 (stderr says so first)
  "echo"         says every text block it was sent, joined by "\n---\n"
  "stubborn"     a message chunk, then ignores session/cancel (it never ends the prompt)
  "plan"         sends a plan of two entries, then says "planned"
  "mode"         says the session's mode (session/set_mode takes "default" and "plan", nothing else)
  "read [PATH]"  a read tool call naming PATH as given (or nothing at all), a permission request; says
                 "read with OPTION" when allowed, "not read" when rejected
  "run CMD"      an execute tool call (Claude Code's "Bash", as its adapter names it in _meta) for CMD, a
                 permission request; when allowed it runs CMD with sh in its folder and reports the call completed
                 with CMD's output, says "ran" ("not run" when rejected)
  "leave"        switches its session to mode "default" by itself (current_mode_update), waits up to 5 s for
                 the client to set a mode, then says the session's mode
Every prompt records its session id in the message: "[session S]".
"""
import json
import os
import subprocess
import sys
import threading

out_lock = threading.Lock()
pending = {}  # our request id -> [event, result]
cancelled = {}  # session id -> event
next_id = [0]
sessions = [0]
modes = {}  # session id -> mode
mode_set = {}  # session id -> event, set by session/set_mode


def send(message):
    message["jsonrpc"] = "2.0"
    with out_lock:
        sys.stdout.write(json.dumps(message) + "\n")
        sys.stdout.flush()


def update(session, body):
    send({"method": "session/update", "params": {"sessionId": session, "update": body}})


def chunk(session, text, kind="agent_message_chunk"):
    update(session, {"sessionUpdate": kind, "content": {"type": "text", "text": text}})


def ask(method, params):
    next_id[0] += 1
    rid = "agent-%d" % next_id[0]
    slot = [threading.Event(), None]
    pending[rid] = slot
    send({"id": rid, "method": method, "params": params})
    slot[0].wait()
    return slot[1]


def prompt(rid, params):
    session = params["sessionId"]
    blocks = [b.get("text", "") for b in params["prompt"] if b.get("type") == "text"]
    text = blocks[-1].strip() if blocks else ""
    cancelled[session] = threading.Event()
    usage = {"inputTokens": 120, "outputTokens": 30, "cachedReadTokens": 5, "cachedWriteTokens": 0, "totalTokens": 155}
    stop = "end_turn"
    if text == "hello":
        chunk(session, "pondering", "agent_thought_chunk")
        chunk(session, "Hel")
        chunk(session, "lo [session %s]" % session)
    elif text.startswith("edit "):
        path = os.path.abspath(text[5:].strip())
        old = open(path).read() if os.path.exists(path) else None
        call = {"toolCallId": "call-1", "title": "Edit " + os.path.basename(path), "kind": "edit", "status": "pending",
                "locations": [{"path": path}], "rawInput": {"file_path": path, "new_string": "changed\n"}}
        update(session, dict(call, sessionUpdate="tool_call"))
        answer = ask("session/request_permission", {"sessionId": session, "toolCall": call, "options": [
            {"optionId": "yes", "name": "Allow", "kind": "allow_once"},
            {"optionId": "always", "name": "Always allow", "kind": "allow_always"},
            {"optionId": "no", "name": "Reject", "kind": "reject_once"}]})
        outcome = answer["outcome"]
        if outcome["outcome"] == "cancelled":
            stop = "cancelled"
        elif outcome["optionId"] in ("yes", "always"):
            update(session, {"sessionUpdate": "tool_call_update", "toolCallId": "call-1", "status": "in_progress"})
            with open(path, "w") as f:
                f.write("changed\n")
            update(session, {"sessionUpdate": "tool_call_update", "toolCallId": "call-1", "status": "completed",
                             "content": [{"type": "diff", "path": path, "oldText": old, "newText": "changed\n"}]})
            chunk(session, "edited with %s [session %s]" % (outcome["optionId"], session))
        else:
            update(session, {"sessionUpdate": "tool_call_update", "toolCallId": "call-1", "status": "failed",
                             "content": [{"type": "content", "content": {"type": "text", "text": "rejected"}}]})
            chunk(session, "not edited [session %s]" % session)
    elif text == "wait":
        chunk(session, "waiting [session %s]" % session)
        cancelled[session].wait()
        stop = "cancelled"
    elif text == "die":
        chunk(session, "dying [session %s]" % session)
        sys.stderr.write("scripted agent: dying on purpose\n")
        sys.stderr.flush()
        os._exit(3)
    elif text == "stubborn":
        chunk(session, "ignoring you")
        threading.Event().wait()
    elif text == "plan":
        update(session, {"sessionUpdate": "plan", "entries": [
            {"content": "Read the code", "priority": "high", "status": "completed"},
            {"content": "Change it", "priority": "medium", "status": "in_progress"}]})
        chunk(session, "planned")
    elif text == "read" or text.startswith("read "):
        arg = text[4:].strip()
        call = {"toolCallId": "call-r", "title": "Read " + (arg or "something"), "kind": "read", "status": "pending"}
        if arg:
            call["locations"] = [{"path": arg}]
            call["rawInput"] = {"file_path": arg}
        update(session, dict(call, sessionUpdate="tool_call"))
        answer = ask("session/request_permission", {"sessionId": session, "toolCall": call, "options": [
            {"optionId": "yes", "name": "Allow", "kind": "allow_once"},
            {"optionId": "always", "name": "Always allow", "kind": "allow_always"},
            {"optionId": "no", "name": "Reject", "kind": "reject_once"}]})
        outcome = answer["outcome"]
        if outcome["outcome"] == "cancelled":
            stop = "cancelled"
        elif outcome["optionId"] in ("yes", "always"):
            update(session, {"sessionUpdate": "tool_call_update", "toolCallId": "call-r", "status": "completed"})
            chunk(session, "read with %s" % outcome["optionId"])
        else:
            update(session, {"sessionUpdate": "tool_call_update", "toolCallId": "call-r", "status": "failed"})
            chunk(session, "not read")
    elif text.startswith("run "):
        command = text[4:].strip()
        call = {"toolCallId": "call-x", "title": command, "kind": "execute", "status": "pending",
                "rawInput": {"command": command}, "_meta": {"claudeCode": {"toolName": "Bash"}}}
        update(session, dict(call, sessionUpdate="tool_call"))
        answer = ask("session/request_permission", {"sessionId": session, "toolCall": call, "options": [
            {"optionId": "yes", "name": "Allow", "kind": "allow_once"},
            {"optionId": "no", "name": "Reject", "kind": "reject_once"}]})
        outcome = answer["outcome"]
        if outcome["outcome"] == "cancelled":
            stop = "cancelled"
        elif outcome["optionId"] == "yes":
            update(session, {"sessionUpdate": "tool_call_update", "toolCallId": "call-x", "status": "in_progress"})
            ran = subprocess.run(["sh", "-c", command], capture_output=True, text=True)
            update(session, {"sessionUpdate": "tool_call_update", "toolCallId": "call-x", "status": "completed",
                             "content": [{"type": "content", "content": {"type": "text", "text": ran.stdout}}]})
            chunk(session, "ran")
        else:
            update(session, {"sessionUpdate": "tool_call_update", "toolCallId": "call-x", "status": "failed"})
            chunk(session, "not run")
    elif text == "leave":
        mode_set[session] = threading.Event()
        modes[session] = "default"
        update(session, {"sessionUpdate": "current_mode_update", "currentModeId": "default"})
        mode_set[session].wait(5)
        chunk(session, "mode %s" % modes.get(session, "none"))
    elif text == "mode":
        chunk(session, "mode %s" % modes.get(session, "none"))
    elif text == "echo":
        chunk(session, "\n---\n".join(blocks) + " [session %s]" % session)
    else:
        chunk(session, "unknown prompt: " + text)
    send({"id": rid, "result": {"stopReason": stop, "usage": usage}})


def main():
    sys.stderr.write("scripted agent started\n")
    sys.stderr.flush()
    for line in sys.stdin:
        if not line.strip():
            continue
        msg = json.loads(line)
        method = msg.get("method")
        if method is None:
            slot = pending.pop(msg.get("id"), None)
            if slot is not None:
                slot[1] = msg.get("result")
                slot[0].set()
            continue
        params = msg.get("params") or {}
        rid = msg.get("id")
        if method == "initialize":
            send({"id": rid, "result": {"protocolVersion": 1, "agentCapabilities": {}, "authMethods": []}})
        elif method == "session/new":
            sessions[0] += 1
            send({"id": rid, "result": {"sessionId": "s%d" % sessions[0]}})
        elif method == "session/prompt":
            threading.Thread(target=prompt, args=(rid, params), daemon=True).start()
        elif method == "session/set_mode":
            if params.get("modeId") in ("default", "plan"):
                modes[params.get("sessionId")] = params["modeId"]
                send({"id": rid, "result": {}})
                if params.get("sessionId") in mode_set:
                    mode_set[params.get("sessionId")].set()
            else:
                send({"id": rid, "error": {"code": -32602, "message": "no such mode: %s" % params.get("modeId")}})
        elif method == "session/cancel":
            event = cancelled.get(params.get("sessionId"))
            if event:
                event.set()
        elif rid is not None:
            send({"id": rid, "error": {"code": -32601, "message": "method not found: " + method}})


main()
