#!/usr/bin/env python3
"""A scripted model on loopback for regenerate.sh: Anthropic Messages (Claude Code), OpenAI Chat Completions
(OpenCode) and OpenAI Responses (Codex), all streamed.

Which reply a request gets: the scenario is the word after "[scenario:" in the conversation's first user message,
the step is the number of assistant turns already in the conversation. A request that offers no tools (titles,
summaries) gets a short text and does not advance anything. Each reply names tools by their role ("shell", "read",
"edit", "list", "task") and is given the request's own tool of that role with that tool's argument names, so one
script drives all three harnesses. Every request is appended to --log as one JSON line.
"""
import argparse
import json
import re
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# role -> candidate (tool name, argument builder) in order of preference; WORKDIR is filled in at start
ROLES = {
    "shell": [
        ("Bash", lambda a: {"command": a["command"], "description": "Run a command"}),
        ("bash", lambda a: {"command": a["command"], "description": "Run a command"}),
        ("exec_command", lambda a: {"cmd": a["command"], "workdir": WORKDIR}),
        ("shell_command", lambda a: {"command": a["command"], "workdir": WORKDIR}),
        ("shell", lambda a: {"command": ["bash", "-lc", a["command"]], "workdir": WORKDIR}),
    ],
    "read": [
        ("Read", lambda a: {"file_path": WORKDIR + "/" + a["path"]}),
        ("read", lambda a: {"filePath": WORKDIR + "/" + a["path"]}),
        ("exec_command", lambda a: {"cmd": "cat " + a["path"], "workdir": WORKDIR}),
    ],
    "edit": [
        ("Edit", lambda a: {"file_path": WORKDIR + "/" + a["path"], "old_string": a["old"], "new_string": a["new"]}),
        ("edit", lambda a: {"filePath": WORKDIR + "/" + a["path"], "oldString": a["old"], "newString": a["new"]}),
        ("apply_patch", lambda a: {"input": "*** Begin Patch\n*** Update File: " + a["path"] + "\n@@\n-" + a["old"]
                                   + "\n+" + a["new"] + "\n*** End Patch\n"}),
        ("exec_command", lambda a: {"cmd": "sed -i 's/%s/%s/' %s" % (a["old"], a["new"], a["path"]), "workdir": WORKDIR}),
    ],
    "list": [
        ("Glob", lambda a: {"pattern": a["pattern"]}),
        ("glob", lambda a: {"pattern": a["pattern"]}),
        ("Bash", lambda a: {"command": "ls " + a["pattern"], "description": "List files"}),
        ("exec_command", lambda a: {"cmd": "ls " + a["pattern"], "workdir": WORKDIR}),
    ],
    "task": [
        ("Agent", lambda a: {"description": a["description"], "prompt": a["prompt"], "subagent_type": "general-purpose"}),
        ("Task", lambda a: {"description": a["description"], "prompt": a["prompt"], "subagent_type": "general-purpose"}),
        ("task", lambda a: {"description": a["description"], "prompt": a["prompt"], "subagent_type": "general"}),
    ],
}

SCRIPTS = {
    # a plain session: think, run a command, read, edit, answer
    "tools": [
        {"thinking": "The user wants a note file. I will create it, read it back and fix it.",
         "text": "I'll create the note.", "calls": [("shell", {"command": "printf 'hello\\n' > note.txt && ls"})]},
        {"calls": [("read", {"path": "note.txt"})]},
        {"calls": [("edit", {"path": "note.txt", "old": "hello", "new": "hello world"})]},
        {"text": "Done: note.txt now says hello world."},
    ],
    # a session that hands work to a subagent
    "agent": [
        {"text": "I'll ask a subagent to look.", "calls": [("task", {"description": "List files",
                                                                       "prompt": "[scenario:sub] List the files here."})]},
        {"text": "The subagent listed the files."},
    ],
    "sub": [
        {"calls": [("list", {"pattern": "*.txt"})]},
        {"text": "There is one text file: note.txt."},
    ],
    # an image the model opens with its read tool (Claude Code answers with the picture itself)
    "image": [
        {"calls": [("read", {"path": "pic.png"})]},
        {"text": "It is a small red square."},
    ],
    # an image the user attached to the prompt
    "look": [
        {"text": "It is a small red square."},
    ],
    # a second prompt in a resumed session
    "more": [
        {"calls": [("shell", {"command": "wc -c note.txt"})]},
        {"text": "note.txt has 12 bytes."},
    ],
}

WORKDIR = ""
LOG = None


def first_user_text(messages, proto):
    for m in messages:
        if proto == "responses":
            if m.get("type", "message") == "message" and m.get("role") == "user":
                text = json.dumps(m.get("content"))
                if "[scenario:" in text:
                    return text
            continue
        if m.get("role") == "user":
            text = json.dumps(m.get("content"))
            if "[scenario:" in text:
                return text
    return ""


def assistant_turns(messages, proto):
    if proto == "responses":
        # Codex sends function calls and assistant messages as separate items; count model turns by their ends
        n = 0
        prev_assistant = False
        for m in messages:
            kind = m.get("type", "message")
            is_assistant = kind in ("function_call", "reasoning", "local_shell_call", "custom_tool_call") or (
                kind == "message" and m.get("role") == "assistant")
            if is_assistant and not prev_assistant:
                n += 1
            prev_assistant = is_assistant
        return n
    return sum(1 for m in messages if m.get("role") == "assistant")


def tool_names(body, proto):
    names = []
    for t in body.get("tools") or []:
        if proto == "chat":
            names.append((t.get("function") or {}).get("name"))
        else:
            names.append(t.get("name"))
    return [n for n in names if n]


def plan(body, proto):
    """(thinking, text, [(name, args)]) for this request."""
    messages = body.get("input") if proto == "responses" else body.get("messages")
    messages = messages or []
    offered = tool_names(body, proto)
    if not offered:
        return None, "A short answer.", []
    m = re.search(r"\[scenario:(\w+)\]", first_user_text(messages, proto))
    script = SCRIPTS.get(m.group(1) if m else "", [])
    scenario = m.group(1) if m else ""
    # a resumed session: the scenario of its latest prompt counts from that prompt's turns
    last_scen = None
    for mm in messages:
        if mm.get("role") == "user":
            found = re.findall(r"\[scenario:(\w+)\]", json.dumps(mm.get("content")))
            if found:
                last_scen = found[-1]
    turns = assistant_turns(messages, proto)
    if last_scen and last_scen != scenario:
        script = SCRIPTS.get(last_scen, [])
        turns = turns - len(SCRIPTS.get(scenario, []))
    if turns < 0 or turns >= len(script):
        return None, "Nothing more to do.", []
    step = script[turns]
    calls = []
    for role, args in step.get("calls", []):
        for name, build in ROLES[role]:
            if name in offered:
                calls.append((name, build(args)))
                break
        else:
            raise SystemExit("no tool for role %s among %s" % (role, offered))
    return step.get("thinking"), step.get("text"), calls


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def reply(self, code, body, ctype="application/json"):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self.reply(200, {"data": [], "models": []})

    def do_HEAD(self):
        self.reply(200, b"")

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.headers.get("Content-Encoding") == "zstd" or self.headers.get("Content-Encoding") == "gzip":
            import gzip
            raw = gzip.decompress(raw)
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = {}
        path = self.path.split("?")[0]
        with open(LOG, "a") as fh:
            fh.write(json.dumps({"path": path, "body": body}) + "\n")
        if path.endswith("/messages/count_tokens"):
            return self.reply(200, {"input_tokens": 100})
        if path.endswith("/messages"):
            return self.anthropic(body)
        if path.endswith("/chat/completions"):
            return self.chat(body)
        if path.endswith("/responses"):
            return self.openai_responses(body)
        self.reply(200, {})

    def sse(self, events):
        self.reply(200, "".join(events).encode(), "text/event-stream")

    def anthropic(self, body):
        thinking, text, calls = plan(body, "anthropic")
        blocks = []
        if thinking:
            blocks.append({"type": "thinking", "thinking": thinking, "signature": "fake-signature-" + uuid.uuid4().hex[:8]})
        if text:
            blocks.append({"type": "text", "text": text})
        for name, args in calls:
            blocks.append({"type": "tool_use", "id": "toolu_" + uuid.uuid4().hex[:20], "name": name, "input": args})
        usage = {"input_tokens": 1200, "output_tokens": 40, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}
        out = []

        def emit(name, data):
            out.append("event: %s\ndata: %s\n\n" % (name, json.dumps(data)))

        emit("message_start", {"type": "message_start", "message": {
            "id": "msg_" + uuid.uuid4().hex[:20], "type": "message", "role": "assistant", "model": body.get("model"),
            "content": [], "stop_reason": None, "stop_sequence": None, "usage": usage}})
        for i, b in enumerate(blocks):
            if b["type"] == "thinking":
                emit("content_block_start", {"type": "content_block_start", "index": i,
                                             "content_block": {"type": "thinking", "thinking": "", "signature": ""}})
                emit("content_block_delta", {"type": "content_block_delta", "index": i,
                                             "delta": {"type": "thinking_delta", "thinking": b["thinking"]}})
                emit("content_block_delta", {"type": "content_block_delta", "index": i,
                                             "delta": {"type": "signature_delta", "signature": b["signature"]}})
            elif b["type"] == "text":
                emit("content_block_start", {"type": "content_block_start", "index": i,
                                             "content_block": {"type": "text", "text": ""}})
                emit("content_block_delta", {"type": "content_block_delta", "index": i,
                                             "delta": {"type": "text_delta", "text": b["text"]}})
            else:
                emit("content_block_start", {"type": "content_block_start", "index": i, "content_block": {
                    "type": "tool_use", "id": b["id"], "name": b["name"], "input": {}}})
                emit("content_block_delta", {"type": "content_block_delta", "index": i,
                                             "delta": {"type": "input_json_delta", "partial_json": json.dumps(b["input"])}})
            emit("content_block_stop", {"type": "content_block_stop", "index": i})
        emit("message_delta", {"type": "message_delta", "delta": {"stop_reason": "tool_use" if calls else "end_turn",
                                                                  "stop_sequence": None}, "usage": usage})
        emit("message_stop", {"type": "message_stop"})
        self.sse(out)

    def chat(self, body):
        _, text, calls = plan(body, "chat")
        cid = "chatcmpl-" + uuid.uuid4().hex[:20]
        out = []

        def chunk(delta, fin=None, usage=None):
            d = {"id": cid, "object": "chat.completion.chunk", "created": 1, "model": body.get("model"),
                 "choices": [] if usage else [{"index": 0, "delta": delta, "finish_reason": fin}]}
            if usage:
                d["usage"] = usage
            out.append("data: %s\n\n" % json.dumps(d))

        chunk({"role": "assistant", "content": ""})
        if text:
            chunk({"content": text})
        for i, (name, args) in enumerate(calls):
            chunk({"tool_calls": [{"index": i, "id": "call_" + uuid.uuid4().hex[:20], "type": "function",
                                   "function": {"name": name, "arguments": json.dumps(args)}}]})
        chunk({}, "tool_calls" if calls else "stop")
        chunk(None, usage={"prompt_tokens": 1200, "completion_tokens": 40, "total_tokens": 1240})
        out.append("data: [DONE]\n\n")
        self.sse(out)

    def openai_responses(self, body):
        thinking, text, calls = plan(body, "responses")
        rid = "resp_" + uuid.uuid4().hex[:20]
        out = []
        items = []

        def emit(data):
            out.append("event: %s\ndata: %s\n\n" % (data["type"], json.dumps(data)))

        emit({"type": "response.created", "response": {"id": rid, "status": "in_progress", "output": []}})
        if thinking:
            items.append({"type": "reasoning", "id": "rs_" + uuid.uuid4().hex[:16],
                          "summary": [{"type": "summary_text", "text": thinking}]})
        if text:
            items.append({"type": "message", "id": "msg_" + uuid.uuid4().hex[:16], "role": "assistant", "status": "completed",
                          "content": [{"type": "output_text", "text": text, "annotations": []}]})
        for name, args in calls:
            if name == "apply_patch" and "input" in args:
                items.append({"type": "custom_tool_call", "id": "ctc_" + uuid.uuid4().hex[:16], "status": "completed",
                              "call_id": "call_" + uuid.uuid4().hex[:20], "name": name, "input": args["input"]})
            else:
                items.append({"type": "function_call", "id": "fc_" + uuid.uuid4().hex[:16], "status": "completed",
                              "call_id": "call_" + uuid.uuid4().hex[:20], "name": name, "arguments": json.dumps(args)})
        for i, item in enumerate(items):
            emit({"type": "response.output_item.added", "output_index": i, "item": item})
            if item["type"] == "message":
                emit({"type": "response.output_text.delta", "output_index": i, "item_id": item["id"], "content_index": 0,
                      "delta": text})
            emit({"type": "response.output_item.done", "output_index": i, "item": item})
        emit({"type": "response.completed", "response": {"id": rid, "status": "completed", "output": items, "usage": {
            "input_tokens": 1200, "input_tokens_details": {"cached_tokens": 0}, "output_tokens": 40,
            "output_tokens_details": {"reasoning_tokens": 10}, "total_tokens": 1240}}})
        self.sse(out)


def main():
    global WORKDIR, LOG
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--log", required=True)
    a = ap.parse_args()
    WORKDIR, LOG = a.workdir, a.log
    ThreadingHTTPServer(("127.0.0.1", a.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
