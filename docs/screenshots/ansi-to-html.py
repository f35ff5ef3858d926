#!/usr/bin/env python3
"""Turns a colour capture of a tmux pane (`tmux capture-pane -e -p`) into an HTML page that looks like a terminal,
so that headless Chromium can take a screenshot of it for the docs:

    docs/screenshots/ansi-to-html.py capture.ansi > page.html
    chromium --headless --no-sandbox --screenshot=docs/tui-session.png --window-size=1000,700 page.html
"""
import html
import re
import sys

BASE = ["#1e1e1e", "#e05561", "#8cc265", "#d18f52", "#4aa5f0", "#c162de", "#42b3c2", "#d7dae0",
        "#5c6370", "#ff616e", "#a5e075", "#f0a45d", "#4dc4ff", "#de73ff", "#4cd1e0", "#ffffff"]
FG, BG = "#d7dae0", "#1e1e1e"


def xterm(n):
    if n < 16:
        return BASE[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return "#%02x%02x%02x" % (steps[n // 36], steps[n // 6 % 6], steps[n % 6])
    v = 8 + (n - 232) * 10
    return "#%02x%02x%02x" % (v, v, v)


def sgr(state, params):
    codes = [int(p) if p else 0 for p in params.split(";")] if params else [0]
    i = 0
    while i < len(codes):
        c = codes[i]
        if c == 0:
            state.clear()
        elif c in (1, 2, 3, 4, 7):
            state[c] = True
        elif c == 22:
            state.pop(1, None); state.pop(2, None)
        elif c in (23, 24, 27):
            state.pop(c - 20, None)
        elif 30 <= c <= 37 or 90 <= c <= 97:
            state["fg"] = BASE[c - 30 if c < 90 else c - 82]
        elif 40 <= c <= 47 or 100 <= c <= 107:
            state["bg"] = BASE[c - 40 if c < 100 else c - 92]
        elif c in (38, 48) and i + 1 < len(codes):
            key = "fg" if c == 38 else "bg"
            if codes[i + 1] == 5 and i + 2 < len(codes):
                state[key] = xterm(codes[i + 2]); i += 2
            elif codes[i + 1] == 2 and i + 4 < len(codes):
                state[key] = "#%02x%02x%02x" % tuple(codes[i + 2:i + 5]); i += 4
        elif c == 39:
            state.pop("fg", None)
        elif c == 49:
            state.pop("bg", None)
        i += 1


def style(state):
    fg, bg = state.get("fg", FG), state.get("bg", None)
    if state.get(7):
        fg, bg = bg or BG, fg
    css = ["color:" + fg]
    if bg:
        css.append("background:" + bg)
    if state.get(1):
        css.append("font-weight:bold")
    if state.get(2):
        css.append("opacity:0.6")
    if state.get(3):
        css.append("font-style:italic")
    if state.get(4):
        css.append("text-decoration:underline")
    return ";".join(css)


def main():
    text = open(sys.argv[1], encoding="utf-8").read()
    out, state = [], {}
    for piece in re.split(r"(\x1b\[[0-9;]*m)", text):
        m = re.fullmatch(r"\x1b\[([0-9;]*)m", piece)
        if m:
            sgr(state, m.group(1))
        elif piece:
            piece = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", piece)
            out.append('<span style="%s">%s</span>' % (style(state), html.escape(piece)))
    print("""<!doctype html><meta charset="utf-8"><style>
body{margin:0;background:%s}
pre{margin:0;padding:16px 20px;font:14px/1.2 'DejaVu Sans Mono',monospace;color:%s;white-space:pre}
</style><pre>%s</pre>""" % (BG, FG, "".join(out)))


main()
