#!/usr/bin/env python3
"""A model provider on loopback that answers instantly from a script, so what a bench measures is the harness.

Speaks the two wire protocols every harness here can use, on one port:
  POST …/chat/completions        OpenAI Chat Completions, streamed (SSE) or not
  POST …/messages                Anthropic Messages, streamed (SSE) or not
  POST …/messages/count_tokens   Anthropic token counting (an estimate)
Anything else gets 200 with an empty JSON object (an empty list for …/models) and is logged as "other".

The script (--script, JSON) is a list of assistant turns, each {"text": …} or {"tool_calls": [{"name", "arguments"}]}.
A request with tools is a step of the task: it gets the turn whose index is the number of assistant messages already
in its conversation, so retries and parallel requests stay in step. For many sessions on one server at once the script
is instead {"sessions": {ID: [turns]}}: a request belongs to the session whose marker "[session ID]" is in its first
user message (the prompt that started the conversation), and gets that session's turn, so sessions that interleave
each follow their own script; its log line carries "session": ID. A request without tools (a title, a summary, a
topic check) is a side request: it gets a short text and never consumes the script. "{{WORKDIR}}" in a turn is
replaced by --workdir.

Every request is appended to --log as one JSON line: arrival and reply-sent times (epoch seconds), method, path, the
JSON body, its size in characters, kind (step | side | count_tokens | other) and turn. Credentials are never logged:
bodies only. With --bodies-from N the body of a step is logged only for turn 0 and turns from N on (a long session's
middle steps would write hundreds of megabytes while the harness works).

With --bill, Anthropic Messages requests are billed as Anthropic bills prompt caching (cache_billing.py): the usage
in each answer is the billed one, and each log line carries "bill" (tokens read, written at 5 minutes and 1 hour,
uncached, output, and dollars). --pause-at K --pause-s S advances the billing clock by S seconds when the first step of
turn K arrives: a pause of the user (or a long tool run) that costs the bench no time (decision 506).

Usage: fake_model.py --port 0 --script turns.json --log requests.jsonl [--workdir DIR] [--bodies-from N]
       [--bill [--pause-at K --pause-s S]]
(prints the port it bound)
"""
import argparse
import gzip
import json
import re
import sys
import threading
import time
import uuid
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SIDE_TEXT = "Word count: a --json flag"
# what a prompt carries to name its session when the script has one per session (concurrency.py, soak.py)
SESSION_MARKER = re.compile(r"\[session ([A-Za-z0-9_-]+)\]")


def estimate_tokens(value):
    """About four characters per token: only for the usage figures the harnesses expect, never for the bench."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return max(1, len(text) // 4)


def prompt_tokens(size):
    """The same estimate for a whole request, from the size of its decoded body: encoding the parsed body again to
    count it cost this fake ~2 ms of CPU per request at 100 steps of history (as much as the json.loads itself), on the
    cores the harness under test runs on (the 20-session run: a third of all the CPU a step took, server and fake)."""
    return max(1, size // 4)


def substitute(value, workdir):
    if isinstance(value, str):
        return value.replace("{{WORKDIR}}", workdir)
    if isinstance(value, list):
        return [substitute(v, workdir) for v in value]
    if isinstance(value, dict):
        return {k: substitute(v, workdir) for k, v in value.items()}
    return value


def session_of(body):
    """The session marker in a request's first user message, or None."""
    first = next((m for m in body.get("messages") or [] if m.get("role") == "user"), None)
    found = SESSION_MARKER.search(json.dumps(first.get("content"), ensure_ascii=False)) if first else None
    return found.group(1) if found else None


class Script:
    def __init__(self, turns, workdir, log_path, bodies_from=None, cache=None, pause=None):
        self.turns, self.workdir, self.log_path, self.bodies_from = turns, workdir, log_path, bodies_from
        self.lock = threading.Lock()
        # billing (cache_billing.Cache) and the pause still to come on its clock: (turn, seconds)
        self.cache, self.pause = cache, pause

    def bill(self, body, kind, turn, output_tokens):
        """The Bill of an Anthropic request, the clock advanced first when this is the step the pause ends at."""
        with self.lock:
            if self.pause and kind == "step" and turn >= self.pause[0]:
                self.cache.advance(self.pause[1])
                self.pause = None
        return self.cache.bill(body, output_tokens)

    def answer(self, body):
        """(kind, turn index, the turn, session or None) for one model request."""
        turn = sum(1 for m in body.get("messages") or [] if m.get("role") == "assistant")
        session = session_of(body) if isinstance(self.turns, dict) else None
        if not body.get("tools"):
            # Claude Code asks its small model whether a prompt starts a new topic and expects JSON back
            text = json.dumps({"isNewTopic": True, "title": SIDE_TEXT}) if "isNewTopic" in json.dumps(body) else SIDE_TEXT
            return "side", turn, {"text": text}, session
        turns = self.turns["sessions"].get(session, []) if isinstance(self.turns, dict) else self.turns
        if turn >= len(turns):
            return "step", turn, {"text": "The script has no more turns."}, session
        return "step", turn, substitute(turns[turn], self.workdir), session

    def keeps_body(self, kind, turn):
        return self.bodies_from is None or kind != "step" or turn == 0 or turn >= self.bodies_from

    def log(self, record):
        with self.lock, open(self.log_path, "a", encoding="utf-8") as out:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def sse(events):
    return "".join("event: %s\ndata: %s\n\n" % (name, json.dumps(data)) if name else "data: %s\n\n" % data
                   for name, data in events).encode()


def anthropic_reply(body, size, turn, bill=None):
    """(content-type, bytes) of an Anthropic Messages answer to body (size: its decoded length); bill(output tokens) →
    cache_billing.Bill, or None."""
    blocks = []
    if turn.get("text"):
        blocks.append({"type": "text", "text": turn["text"]})
    for call in turn.get("tool_calls", []):
        blocks.append({"type": "tool_use", "id": "toolu_" + uuid.uuid4().hex[:20], "name": call["name"],
                       "input": call["arguments"]})
    stop = "tool_use" if turn.get("tool_calls") else "end_turn"
    usage = {"input_tokens": prompt_tokens(size),
             "output_tokens": estimate_tokens(blocks), "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}
    if bill is not None:
        usage = bill(usage["output_tokens"]).usage()
    message = {"id": "msg_" + uuid.uuid4().hex[:20], "type": "message", "role": "assistant",
               "model": body.get("model", "fake-model"), "stop_sequence": None}
    if not body.get("stream"):
        return "application/json", json.dumps(dict(message, content=blocks, stop_reason=stop, usage=usage)).encode()
    events = [("message_start", {"type": "message_start",
                                 "message": dict(message, content=[], stop_reason=None, usage=dict(usage, output_tokens=1))})]
    for index, block in enumerate(blocks):
        if block["type"] == "text":
            start, pieces = {"type": "text", "text": ""}, [{"type": "text_delta", "text": t} for t in chop(block["text"])]
        else:
            start = {"type": "tool_use", "id": block["id"], "name": block["name"], "input": {}}
            pieces = [{"type": "input_json_delta", "partial_json": j} for j in chop(json.dumps(block["input"]))]
        events.append(("content_block_start", {"type": "content_block_start", "index": index, "content_block": start}))
        events += [("content_block_delta", {"type": "content_block_delta", "index": index, "delta": p}) for p in pieces]
        events.append(("content_block_stop", {"type": "content_block_stop", "index": index}))
    events.append(("message_delta", {"type": "message_delta", "delta": {"stop_reason": stop, "stop_sequence": None},
                                     "usage": {"output_tokens": usage["output_tokens"]}}))
    events.append(("message_stop", {"type": "message_stop"}))
    return "text/event-stream", sse(events)


def openai_reply(body, size, turn, bill=None):
    """(content-type, bytes) of an OpenAI Chat Completions answer to body (size: its decoded length)."""
    calls = [{"id": "call_" + uuid.uuid4().hex[:20], "type": "function",
              "function": {"name": c["name"], "arguments": json.dumps(c["arguments"])}} for c in turn.get("tool_calls", [])]
    text = turn.get("text")
    finish = "tool_calls" if calls else "stop"
    usage = {"prompt_tokens": prompt_tokens(size), "completion_tokens": estimate_tokens([text, calls])}
    usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
    head = {"id": "chatcmpl-" + uuid.uuid4().hex[:20], "created": int(time.time()), "model": body.get("model", "fake")}
    if not body.get("stream"):
        message = {"role": "assistant", "content": text}
        if calls:
            message["tool_calls"] = calls
        return "application/json", json.dumps(dict(head, object="chat.completion", usage=usage, choices=[
            {"index": 0, "message": message, "finish_reason": finish}])).encode()

    def chunk(delta, finish_reason=None):
        return None, json.dumps(dict(head, object="chat.completion.chunk",
                                     choices=[{"index": 0, "delta": delta, "finish_reason": finish_reason}]))

    events = [chunk({"role": "assistant", "content": ""})]
    events += [chunk({"content": t}) for t in chop(text or "")]
    for i, call in enumerate(calls):
        events.append(chunk({"tool_calls": [{"index": i, "id": call["id"], "type": "function",
                                             "function": {"name": call["function"]["name"], "arguments": ""}}]}))
        events += [chunk({"tool_calls": [{"index": i, "function": {"arguments": a}}]})
                   for a in chop(call["function"]["arguments"])]
    events.append(chunk({}, finish))
    if (body.get("stream_options") or {}).get("include_usage"):
        events.append((None, json.dumps(dict(head, object="chat.completion.chunk", choices=[], usage=usage))))
    events.append((None, "[DONE]"))
    return "text/event-stream", sse(events)


def chop(text, size=48):
    return [text[i:i + size] for i in range(0, len(text), size)]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # TCP_NODELAY, as providers' servers set it: the head and the body go out in two writes, and with Nagle's algorithm
    # the body waits for the client's ACK of the head, which Linux delays by 40 ms once a kept-alive connection has
    # left quick-ACK mode (from the third request on, every harness's turns stalled 40 ms inside this fake)
    disable_nagle_algorithm = True
    script: Script = None

    def log_message(self, *args):
        pass

    def body(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.chars = len(raw)
        encoding = (self.headers.get("Content-Encoding") or "").lower()
        if encoding == "gzip":
            raw = gzip.decompress(raw)
        elif encoding == "deflate":
            raw = zlib.decompress(raw)
        self.size = len(raw)
        try:
            return json.loads(raw) if raw else {}
        except ValueError:
            return {"unparsed": raw[:2000].decode("utf-8", "replace")}

    def reply(self, arrived, record, content_type, data):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
            self.wfile.flush()
        self.script.log(dict(record, t=arrived, sent=time.time(), method=self.command, path=self.path))

    def do_POST(self):
        arrived = time.time()
        body, path = self.body(), self.path.split("?")[0]
        if path.endswith("/messages/count_tokens"):
            tokens = prompt_tokens(self.size)
            return self.reply(arrived, {"kind": "count_tokens"}, "application/json",
                              json.dumps({"input_tokens": tokens}).encode())
        for suffix, encode, protocol in (("/chat/completions", openai_reply, "openai"), ("/messages", anthropic_reply, "anthropic")):
            if path.endswith(suffix) and isinstance(body, dict) and "unparsed" not in body:
                kind, index, turn, session = self.script.answer(body)
                billed = []
                bill = None
                if self.script.cache is not None and protocol == "anthropic":
                    def bill(output, body=body, kind=kind, index=index):
                        billed.append(self.script.bill(body, kind, index, output))
                        return billed[-1]
                content_type, data = encode(body, self.size, turn, bill)
                record = {"kind": kind, "turn": index, "protocol": protocol, "chars": self.chars,
                          "messages": len(body.get("messages") or [])}
                if billed:
                    record["bill"] = billed[0].record()
                if session is not None:
                    record["session"] = session
                if self.script.keeps_body(kind, index):
                    record["body"] = body
                return self.reply(arrived, record, content_type, data)
        self.other(arrived, body)

    def other(self, arrived=None, body=None):
        empty = {"object": "list", "data": []} if self.path.split("?")[0].rstrip("/").endswith("/models") else {}
        self.reply(arrived or time.time(), {"kind": "other", "body": body}, "application/json", json.dumps(empty).encode())

    def do_GET(self):
        self.other()

    def do_HEAD(self):
        self.other()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--script", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--workdir", default="")
    ap.add_argument("--bodies-from", type=int, default=None)
    ap.add_argument("--bill", action="store_true", help="bill Anthropic requests as Anthropic bills prompt caching")
    ap.add_argument("--pause-at", type=int, default=None, help="with --bill: the turn a pause ends at")
    ap.add_argument("--pause-s", type=float, default=600.0, help="with --pause-at: its length on the billing clock")
    a = ap.parse_args()
    cache = None
    if a.bill:
        import cache_billing
        cache = cache_billing.Cache()
    pause = (a.pause_at, a.pause_s) if cache is not None and a.pause_at is not None else None
    with open(a.script, encoding="utf-8") as f:
        Handler.script = Script(json.load(f), a.workdir, a.log, a.bodies_from, cache, pause)
    server = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
