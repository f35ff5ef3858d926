"""Figures read from the fake model's request log of one run: when the first request came, how long the harness took
between answers, what the first request carried, and whether each step's prompt started with the previous one's."""
import json

# turns of the script whose tools are quick (reads, edits): the gap after them is the harness's own time; the gap
# after turn 3 also holds the test run, so it is reported on its own
QUICK_TURNS = (0, 1, 2)


def steps(run):
    return sorted((r for r in run["requests"] if r.get("kind") == "step"), key=lambda r: r["t"])


def without_cache_marks(value):
    """The prompt as content: Anthropic cache breakpoints move from step to step by design and are not content."""
    if isinstance(value, dict):
        return {k: without_cache_marks(v) for k, v in value.items() if k != "cache_control"}
    if isinstance(value, list):
        return [without_cache_marks(v) for v in value]
    return value


def prompt_parts(request):
    """(system, tools, messages) of a request in either protocol, cache marks removed."""
    body = without_cache_marks(request["body"])
    messages = body.get("messages") or []
    if request.get("protocol") == "openai":
        system = [m for m in messages if m.get("role") in ("system", "developer")]
        messages = [m for m in messages if m.get("role") not in ("system", "developer")]
    else:
        system = body.get("system")
    return system, body.get("tools") or [], messages


def canonical(value):
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def first_request_s(run):
    s = steps(run)
    return s[0]["t"] - run["launched"] if s else None


def turn_gaps(run):
    """{turn k: seconds from the answer to turn k leaving the fake model to the first request of turn k + 1}."""
    by_turn = {}
    for r in steps(run):
        by_turn.setdefault(r["turn"], []).append(r)
    return {k: min(r["t"] for r in by_turn[k + 1]) - max(r["sent"] for r in by_turn[k])
            for k in by_turn if k + 1 in by_turn}


def harness_ms_per_turn(run):
    gaps = turn_gaps(run)
    quick = [gaps[k] * 1000 for k in QUICK_TURNS if k in gaps]
    return sorted(quick)[len(quick) // 2] if quick else None


def first_request_texts(run):
    """The system prompt (its text) and the tool definitions (compact JSON, as a model reads them) of the first step,
    for counting tokens."""
    s = steps(run)
    if not s:
        return None
    system, tools, _ = prompt_parts(s[0])
    return text_of(system), json.dumps(tools, ensure_ascii=False, separators=(",", ":"))


def text_of(system):
    """The text of a system prompt in any of its shapes: a string, Anthropic blocks, or OpenAI system messages."""
    if isinstance(system, str):
        return system
    out = []
    for item in system or []:
        content = item.get("content", item.get("text")) if isinstance(item, dict) else item
        out.append(content if isinstance(content, str) else text_of(content))
    return "\n".join(out)


def prefix_kept(run):
    """Share of step-to-step transitions where the next request repeats the previous one's system, tools and
    messages unchanged and only appends to them."""
    s = steps(run)
    pairs = list(zip(s, s[1:]))
    if not pairs:
        return None
    kept = 0
    for before, after in pairs:
        (sys_a, tools_a, msgs_a), (sys_b, tools_b, msgs_b) = prompt_parts(before), prompt_parts(after)
        if canonical(sys_a) == canonical(sys_b) and canonical(tools_a) == canonical(tools_b) \
                and len(msgs_b) >= len(msgs_a) and canonical(msgs_a) == canonical(msgs_b[:len(msgs_a)]):
            kept += 1
    return kept / len(pairs)


def same_prefix_across_runs(runs):
    """Share of runs (each in its own folder) whose first request has the same system prompt and tools as the first
    run's: a prompt that names the folder, the date or the user cannot be cached across sessions."""
    firsts = [first_request_texts(r) for r in runs if steps(r)]
    if not firsts:
        return None
    return sum(1 for f in firsts if f == firsts[0]) / len(firsts)


def step_gaps_ms(run):
    """The harness's gap after every step, in step order, in ms (a long session's steps are all reads)."""
    gaps = turn_gaps(run)
    return [gaps[k] * 1000 for k in sorted(gaps)]


def history_text(run):
    """What the model reads of the conversation in the last logged step (texts, tool calls' arguments, tool results),
    for counting the tokens of history a long session reached; None when no step was logged whole."""
    logged = [r for r in steps(run) if "body" in r]
    if not logged:
        return None
    _, _, messages = prompt_parts(logged[-1])
    out = []

    def walk(content):
        if isinstance(content, str):
            out.append(content)
            return
        for block in content or []:
            if not isinstance(block, dict):
                continue
            kind = block.get("type")
            if kind == "text":
                out.append(block.get("text", ""))
            elif kind == "tool_use":
                out.append(json.dumps(block.get("input"), ensure_ascii=False))
            elif kind == "tool_result":
                walk(block.get("content"))
            elif "function" in block:
                out.append(block["function"].get("arguments", ""))

    for message in messages:
        walk(message.get("content"))
        walk(message.get("tool_calls"))
    return "\n".join(out)
