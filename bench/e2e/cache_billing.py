"""What Anthropic would bill for a conversation's requests under its documented prompt-caching rules, on a clock the
bench can advance (decision 506). Used by fake_model.py --bill: every Anthropic Messages request is billed as it
arrives, its usage (cache reads, 5-minute and 1-hour cache writes, uncached input) goes back in the response as
Anthropic reports it, and its dollars go to the request log.

The rules, as Anthropic's prompt-caching documentation states them:
- the prefix is in the order tools → system → messages; a block is one tool definition, one system text block or one
  content block of a message (a message whose content is a string is one block);
- `cache_control` on a block is a breakpoint: the prefix up to and including that block is written to the cache
  (when it is at least the model's minimum cacheable length), and at each breakpoint the cache is looked up at that
  boundary and at up to 20 block boundaries before it (the lookback): the longest prefix found is read;
- the tokens between what was read and the last breakpoint are written, each span at the TTL of the breakpoint that
  ends it (`{"type": "ephemeral"}` 5 minutes, `"ttl": "1h"` one hour); the tokens after the last breakpoint are
  uncached input;
- an entry lives for its TTL from its last use: a read refreshes it at no cost;
- prices are the model's list prices: input, 5-minute write 1.25×, 1-hour write 2×, read 0.1×, output.

Tokens are estimated at one per four characters of a block's text (the tokenizer is not public; every harness is
counted the same way, and the first-request figure of the bench counts o200k tokens apart).

The rules at work (bin/test runs these: python3 -m doctest bench/e2e/cache_billing.py). A clock that stands still
unless advanced; a system block of 8,000 characters (2,007 tokens as JSON) with a breakpoint, and messages of 406
tokens each, the last one with a breakpoint:

>>> cache = Cache(clock=lambda: 0.0)
>>> mark = {"type": "ephemeral"}
>>> system = [{"type": "text", "text": "s" * 8000, "cache_control": mark}]
>>> def turn(n, last_mark=mark):
...     blocks = [{"role": "user", "content": [{"type": "text", "text": "m%d" % i + "x" * 1594}]} for i in range(n)]
...     blocks[-1]["content"][0]["cache_control"] = last_mark
...     return {"model": "claude-sonnet-4-5", "system": system, "messages": blocks}
>>> first = cache.bill(turn(1), 100)
>>> first.read, first.write_5m, first.uncached
(0, 2413, 0)
>>> second = cache.bill(turn(2), 100)      # the whole first request is read, the new message written
>>> second.read, second.write_5m
(2413, 406)
>>> round(second.usd, 6) == round((2413 * 3 * 0.1 + 406 * 3 * 1.25 + 100 * 15) / 1e6, 6)
True
>>> cache.advance(600)                      # ten minutes: every 5-minute entry has expired
>>> third = cache.bill(turn(3), 100)
>>> third.read, third.write_5m
(0, 3225)

The lookback: a breakpoint finds an entry at most 20 blocks before it. Twenty messages on, the first message's entry is
still found; twenty-one on, only the system block's (its own breakpoint) is:

>>> cache = Cache(clock=lambda: 0.0)
>>> _ = cache.bill(turn(1), 1)
>>> cache.bill(turn(21), 1).read
2413
>>> cache = Cache(clock=lambda: 0.0)
>>> _ = cache.bill(turn(1), 1)
>>> cache.bill(turn(22), 1).read
2007

Below the minimum cacheable length nothing is written; a one-hour breakpoint outlives the pause:

>>> Cache(clock=lambda: 0.0).bill({"model": "claude-sonnet-4-5", "system": [{"type": "text", "text": "short",
...     "cache_control": mark}], "messages": [{"role": "user", "content": "hi"}]}, 1).write_5m
0
>>> cache = Cache(clock=lambda: 0.0)
>>> hour = [{"type": "text", "text": "s" * 8000, "cache_control": {"type": "ephemeral", "ttl": "1h"}}]
>>> request = {"model": "claude-sonnet-4-5", "system": hour, "messages": [{"role": "user", "content": "hi"}]}
>>> cache.bill(request, 1).write_1h
2007
>>> cache.advance(600)
>>> cache.bill(request, 1).read
2007
"""
import hashlib
import json
import threading
import time

LOOKBACK = 20
# USD per million tokens: (input, output, minimum cacheable tokens); a model not listed is billed as Sonnet 4.5
PRICES = {"sonnet": (3.0, 15.0, 1024), "haiku": (1.0, 5.0, 4096), "opus": (5.0, 25.0, 4096)}
WRITE_5M, WRITE_1H, READ = 1.25, 2.0, 0.1
TTL_S = {"5m": 300, "1h": 3600}


def prices(model):
    name = (model or "").lower()
    return next((v for k, v in PRICES.items() if k in name), PRICES["sonnet"])


def tokens(value):
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True,
                                                            separators=(",", ":"))
    return (len(text) + 3) // 4


def ttl_of(mark):
    return "1h" if isinstance(mark, dict) and mark.get("ttl") == "1h" else "5m"


def blocks(body):
    """[(content without its cache mark, its TTL or None, tokens)] of a request in prefix order."""
    out = []

    def add(content, role=None):
        mark = content.get("cache_control") if isinstance(content, dict) else None
        bare = {k: v for k, v in content.items() if k != "cache_control"} if isinstance(content, dict) else content
        out.append(([role, bare], ttl_of(mark) if mark else None, tokens(bare)))

    for tool in body.get("tools") or []:
        add(tool)
    system = body.get("system")
    for block in ([{"type": "text", "text": system}] if isinstance(system, str) else system or []):
        add(block)
    for message in body.get("messages") or []:
        content = message.get("content")
        for block in ([{"type": "text", "text": content}] if isinstance(content, str) else content or []):
            add(block, message.get("role"))
    return out


class Bill:
    """The billing of one request: token counts as Anthropic's usage reports them, and dollars."""

    def __init__(self, model, read, write_5m, write_1h, uncached, output):
        self.model, self.read, self.write_5m, self.write_1h = model, read, write_5m, write_1h
        self.uncached, self.output = uncached, output
        price_in, price_out, _ = prices(model)
        self.usd = (uncached * price_in + read * price_in * READ + write_5m * price_in * WRITE_5M
                    + write_1h * price_in * WRITE_1H + output * price_out) / 1e6

    def usage(self):
        return {"input_tokens": self.uncached, "output_tokens": self.output, "cache_read_input_tokens": self.read,
                "cache_creation_input_tokens": self.write_5m + self.write_1h,
                "cache_creation": {"ephemeral_5m_input_tokens": self.write_5m,
                                   "ephemeral_1h_input_tokens": self.write_1h}}

    def record(self):
        return {"model": self.model, "read": self.read, "write_5m": self.write_5m, "write_1h": self.write_1h,
                "uncached": self.uncached, "output": self.output, "usd": self.usd}


class Cache:
    """One organisation's prompt cache, on a virtual clock: real time plus whatever the bench advanced it by."""

    def __init__(self, clock=time.time):
        self.entries = {}  # prefix hash → (expires at, ttl seconds)
        self.clock, self.offset = clock, 0.0
        self.lock = threading.Lock()

    def now(self):
        return self.clock() + self.offset

    def advance(self, seconds):
        with self.lock:
            self.offset += seconds

    def bill(self, body, output_tokens):
        model = body.get("model", "")
        minimum = prices(model)[2]
        parts = blocks(body)
        with self.lock:
            now = self.now()
            hashes, cumulative, digest, total = [], [], hashlib.sha256(model.encode()), 0
            for content, _, n in parts:
                digest.update(json.dumps(content, ensure_ascii=False, sort_keys=True).encode())
                hashes.append(digest.copy().hexdigest())
                total += n
                cumulative.append(total)
            marks = [i for i, (_, ttl, _) in enumerate(parts) if ttl]
            live = lambda i: self.entries.get(hashes[i], (0, 0))[0] > now  # noqa: E731
            read_end = -1  # the last block read from the cache
            for mark in marks:
                for i in range(mark, max(-1, mark - LOOKBACK - 1), -1):
                    if live(i):
                        read_end = max(read_end, i)
                        break
            # what was read is used: every entry along it lives on from now
            for i in range(read_end + 1):
                if hashes[i] in self.entries:
                    self.entries[hashes[i]] = (now + self.entries[hashes[i]][1], self.entries[hashes[i]][1])
            written = {"5m": 0, "1h": 0}
            start, cached_end = read_end, read_end
            for mark in marks:
                if mark <= read_end or cumulative[mark] < minimum:
                    continue
                ttl = parts[mark][1]
                written[ttl] += cumulative[mark] - (cumulative[start] if start >= 0 else 0)
                self.entries[hashes[mark]] = (now + TTL_S[ttl], TTL_S[ttl])
                start = cached_end = mark
            read = cumulative[read_end] if read_end >= 0 else 0
            uncached = total - (cumulative[cached_end] if cached_end >= 0 else 0)
        return Bill(model, read, written["5m"], written["1h"], uncached, output_tokens)
