#!/usr/bin/env python3
"""Moves classes of core between packages, by the mapping below (issue 71, house step 2; decision 525).

Re-runnable on any tree: a class already moved is left alone, a mapped class that is gone is skipped with a warning,
and a class nobody mapped stays where it is (and gets the imports it now needs). For each move it
  - `git mv`s the file (main and test trees alike: a test named in the mapping moves as its class does),
  - rewrites its package line, and nothing else in it but imports, so git follows the rename,
  - rewrites every fully qualified name and source path of a moved class or package, in every module's sources (imports, static
    imports, names in code and javadoc), in package-info.java files and in the text lists the ratchets read
    (core's package-uses.txt, app's inline-qualified-names.txt, bench/suite-time.txt),
  - adds an import wherever a moved class is now named by its simple name from another package (code and javadoc
    {@link}s), which is every file that shared its old package,
  - writes a package-info.java for each new package (from ROOMS) and recomputes the lines of package-uses.txt for the
    packages whose files it changed, as core's PackageGraph reads uses (imports and qualified names in code).
It changes no visibility: the hand fix-ups after it (public where a class is now used across packages) are a commit
of their own. Usage, from the repository root:  python3 bin/dev/split-session.py [--dry-run]
"""

import os
import re
import subprocess
import sys

CORE = "dev.lathe.core"
SESSION = CORE + ".session"

# Whole packages that move (old -> new): rooms nested in a package above the ones importing them (decision 525).
PACKAGES = {
    CORE + ".command.file": CORE + ".commandfile",
    CORE + ".plugin.cc": CORE + ".claudeplugin",
}

# core.session's classes by room: each line is a new package (relative to core.session) and the classes it holds,
# tests named like their class move with it. Every class not named here stays in core.session.
ROOM_CLASSES = {
    "journal": """Journal SessionJournal LiveHistory LiveText StreamingTexts StoredHistory StepParts RawLog SessionTodos""",
    "context": """LiveProject NestedInstructions ProjectSkills CacheChoice KeepWarm ConversationText Secrets SessionProjects
                  RunningTurns""",
    "inbox": """PromptIntake AgentMentions Arrival Inbox InboxHistory""",
    "background": """BackgroundTasks BackgroundResults BackgroundTasksElsewhere FleetTasks TaskTurns""",
    "turn": """Turn TurnFrame TurnState TurnBudget TurnHooks TurnError TurnServices Responder ModelResponder
               AgentResponder StepLoop StepStream ModelStep ToolCallRunner FailedStep Recovery WaitTooLong Fallbacks
               RefusedKey StallWatchdog StepSnapshots CallHooks AgentCallHooks WriteOrder ModelCallPorts NetworkFirst ProjectFileReads UnattendedAsks
               UserShell Subtasks ChildTurns AgentTeams TeamHooks Compactor CompactionHooks CarryOver IdleCaches""",
    "runner": """Runners SessionRunner SessionTask PlatformThread CommandExpansion""",
    "history": """Forks Reverts Rewinds SessionUndo SessionDiff""",
}

# Tests that move with the room they test (they use its package-private members).
ROOM_TESTS = {
    "journal": "JournalTest LiveHistoryTest RawLogTest",
    "inbox": "InboxTest InboxHistoryTest",
    "turn": """FailedStepTest WaitTooLongTest TurnStateTest StepSnapshotsTest StableTtlTest SubtaskReportTest WriteOrderTest
               StepLoopStoreFreeTest StepLooksTest StepLoopTest""",
}

ROOMS = {
    "journal": "A session's history as it is written: the {@code Journal} persists every change before announcing it "
               "and keeps a running session's messages in memory ({@code LiveHistory}, the streaming texts), "
               "{@code SessionJournal} binds it to one session; what a step streams goes to {@code StepParts}; what "
               "a failed attempt streamed to the {@code RawLog}; what the stored history says of the last requests "
               "({@code StoredHistory}). The bottom of the session's rooms: it names none of them.",
    "context": "What a turn's requests are built from beyond core.context, per session: the project it runs with "
               "({@code SessionProjects}, {@code RunningTurns} for the hooks), late memory "
               "({@code NestedInstructions}), the skills port, the secrets a session could meet, the prompt cache's "
               "choices ({@code CacheChoice}, {@code KeepWarm}) and the conversation an ACP agent did not see.",
    "inbox": "What arrives in a session before a turn takes it: a prompt's intake (agent, model, environment note, "
             "title: {@code PromptIntake}), the agents a prompt mentions, and the prompts and turns queued while one "
             "runs.",
    "background": "Work a session started that runs on without it: background tasks and their results delivered to "
                  "the parent ({@code BackgroundResults}), tasks running on another node, and the fleet's tasks "
                  "({@code FleetTasks}, {@code TaskTurns}).",
    "turn": "One turn and its steps (DESIGN §8): the {@code Turn} runs a {@code Responder} (the model's steps in a "
            "{@code StepLoop}, or an ACP agent) in its {@code TurnFrame}; the steps stream ({@code StepStream}) and "
            "fan their tool calls out ({@code ToolCallRunner}); failures recover or fail over ({@code FailedStep}, "
            "{@code Fallbacks}); what a turn calls back into lives here with it: compaction ({@code Compactor}), "
            "child sessions and teams ({@code Subtasks}, {@code AgentTeams}, the {@code ChildTurns} port), since "
            "each of them runs turns and a turn runs each of them.",
    "runner": "Where turns run: one {@code SessionRunner} per session ({@code Runners}), whose thread runs its "
              "{@code SessionTask}s, and the slash commands a prompt expands into ({@code CommandExpansion}).",
    "history": "Operations on a session's past: revert and unrevert ({@code Reverts}), rewind, undo, fork and the "
               "diff of what a session changed.",
}

ROOT = os.getcwd()
DRY = "--dry-run" in sys.argv
LISTS = ["core/src/test/resources/dev/lathe/core/package-uses.txt",
         "app/src/test/resources/dev/lathe/app/boundaries/inline-qualified-names.txt",
         "bench/suite-time.txt"]
USES = "core/src/test/resources/dev/lathe/core/package-uses.txt"


def warn(msg):
    print("split-session: " + msg, file=sys.stderr)


def java_files():
    for module in sorted(os.listdir(ROOT)):
        for tree in ("src/main/java", "src/test/java"):
            base = os.path.join(ROOT, module, tree)
            if not os.path.isdir(base):
                continue
            for d, _, files in os.walk(base):
                for f in files:
                    if f.endswith(".java"):
                        yield os.path.join(d, f)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def write(path, text):
    if not DRY:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)


def package_of(text):
    m = re.search(r"^package ([\w.]+);", text, re.M)
    return m.group(1) if m else None


def stripped(text):
    """Code without comments and literals, as core's PackageGraph reads it."""
    text = re.sub(r"(?s)/\*.*?\*/", " ", text)
    text = re.sub(r'(?s)""".*?"""', '""', text)
    text = re.sub(r"//[^\n]*", " ", text)
    text = re.sub(r'"(?:\\.|[^"\\\n])*"', '""', text)
    return re.sub(r"'(?:\\.|[^'\\\n])'", "' '", text)


def planned_moves():
    """{old path: (old package, new package)} for the files to move now."""
    moves = {}
    for old, new in PACKAGES.items():
        for tree in ("core/src/main/java", "core/src/test/java"):
            d = os.path.join(ROOT, tree, *old.split("."))
            if not os.path.isdir(d):
                continue
            for f in sorted(os.listdir(d)):
                if f.endswith(".java"):
                    moves[os.path.join(d, f)] = (old, new)
    wanted = {}
    for room, names in ROOM_CLASSES.items():
        for n in names.split():
            wanted[n] = SESSION + "." + room
    for room, names in ROOM_TESTS.items():
        for n in names.split():
            wanted[n] = SESSION + "." + room
    found = set()
    for tree in ("core/src/main/java", "core/src/test/java"):
        d = os.path.join(ROOT, tree, *SESSION.split("."))
        for f in sorted(os.listdir(d)) if os.path.isdir(d) else []:
            name = f[:-5]
            if f.endswith(".java") and name in wanted:
                moves[os.path.join(d, f)] = (SESSION, wanted[name])
                found.add(name)
    for n, pkg in sorted(wanted.items()):
        if n in found:
            continue
        there = os.path.join(ROOT, "core/src/main/java", *pkg.split("."), n + ".java")
        there_test = os.path.join(ROOT, "core/src/test/java", *pkg.split("."), n + ".java")
        if not (os.path.exists(there) or os.path.exists(there_test)):
            warn(f"{n}: mapped to {pkg} but not found in {SESSION} (deleted or renamed?): skipped")
    return moves


def main():
    moves = planned_moves()
    # Every type of the old packages by simple name -> its package after the moves (classes others added included).
    new_home = {}  # (old package, simple name) -> new package
    for old_pkg in [SESSION, *PACKAGES]:
        for tree in ("core/src/main/java", "core/src/test/java"):
            d = os.path.join(ROOT, tree, *old_pkg.split("."))
            for f in sorted(os.listdir(d)) if os.path.isdir(d) else []:
                if f.endswith(".java") and f != "package-info.java":
                    path = os.path.join(d, f)
                    new_home[(old_pkg, f[:-5])] = moves.get(path, (old_pkg, old_pkg))[1]
    moved = {(o, n): p for (o, n), p in new_home.items() if p != o}
    if not moved:
        print("split-session: nothing to move (already split?)")
    # 1. git mv and package lines.
    new_paths = {}
    for path, (old, new) in sorted(moves.items()):
        target_dir = path.replace(os.sep.join(old.split(".")), os.sep.join(new.split(".")), 1)
        target = os.path.join(os.path.dirname(target_dir), os.path.basename(path))
        new_paths[path] = target
        if DRY:
            print(f"mv {os.path.relpath(path)} -> {os.path.relpath(target)}")
            continue
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if os.path.basename(path) == "package-info.java" and os.path.exists(target):
            continue
        subprocess.run(["git", "mv", path, target], check=True)
        text = read(target)
        write(target, text.replace(f"package {old};", f"package {new};", 1))
    move_resources(moves, new_paths)
    if DRY:
        return
    # 2. Qualified names everywhere, 3. imports for simple names across the new package borders.
    qualified = [(re.compile(r"\b" + re.escape(o) + r"\." + re.escape(n) + r"\b"), p + "." + n)
                 for (o, n), p in sorted(moved.items())]
    whole = [(re.compile(r"\b" + re.escape(o) + r"\b(?=[.;\s*]|$)"), p) for o, p in PACKAGES.items()]
    old_package_of = {new_paths.get(p, p): o for p, (o, _) in moves.items()}
    changed_packages = set()
    for path in java_files():
        text = read(path)
        original = text
        for rx, repl in qualified:
            text = rx.sub(repl, text)
        for rx, repl in whole:
            text = rx.sub(repl, text)
        text = moved_paths(text, moved)
        pkg = package_of(text)
        old_pkg = old_package_of.get(path, pkg)
        if old_pkg in (SESSION, *PACKAGES) or path in old_package_of:
            text = add_imports(text, pkg, old_pkg, new_home)
        if text != original:
            write(path, text)
            if pkg and pkg.startswith(CORE) and "/core/src/main/java/" in path:
                changed_packages.add(pkg)
            if pkg != old_pkg:
                changed_packages.add(old_pkg)
    for (o, _), p in moved.items():
        changed_packages.update([o, p])
    for rel in LISTS:
        path = os.path.join(ROOT, rel)
        if not os.path.exists(path):
            continue
        text = read(path)
        new_text = text
        for (o, n), p in sorted(moved.items()):
            new_text = re.sub(r"\b" + re.escape(o) + r"\." + re.escape(n) + r"\b", p + "." + n, new_text)
        new_text = moved_paths(new_text, moved)
        for o, p in PACKAGES.items():
            new_text = re.sub(r"\b" + re.escape(o) + r"\b", p, new_text)
            new_text = new_text.replace(o.replace(".", "/") + "/", p.replace(".", "/") + "/")
        if new_text != text:
            write(path, new_text)
    package_infos()
    uses_table({p for p in changed_packages if p})


def moved_paths(text, moved):
    """Source paths of moved classes named in text (the boundary tests list files by path)."""
    for (o, n), p in sorted(moved.items()):
        slash_o, slash_p = o.replace(".", "/"), p.replace(".", "/")
        text = re.sub(re.escape(slash_o + "/" + n) + r"(Test)?\.java", lambda m: slash_p + "/" + n + (m.group(1) or "") + ".java", text)
    return text


def move_resources(moves, new_paths):
    """Resources beside the old package's classes (loaded relative to a class) follow the classes that name them."""
    for old in [SESSION, *PACKAGES]:
        for tree in ("core/src/main", "core/src/test"):
            d = os.path.join(ROOT, tree, "resources", *old.split("."))
            for f in sorted(os.listdir(d)) if os.path.isdir(d) else []:
                homes = set()
                for path, (o, new) in moves.items():
                    if o == old and f'"{f}"' in read(path if DRY else new_paths[path]):
                        homes.add(new)
                for java in [p for p in java_files() if '"' + f + '"' in read(p)]:
                    if java not in new_paths.values() and java not in moves and package_of(read(java)) == old:
                        homes.add(old)
                if len(homes) != 1 or homes == {old}:
                    if len(homes) > 1:
                        warn(f"{tree}/resources/.../{f}: named from {sorted(homes)}; left where it is")
                    continue
                target = os.path.join(ROOT, tree, "resources", *homes.pop().split("."), f)
                if DRY:
                    print(f"mv {os.path.relpath(os.path.join(d, f))} -> {os.path.relpath(target)}")
                    continue
                os.makedirs(os.path.dirname(target), exist_ok=True)
                subprocess.run(["git", "mv", os.path.join(d, f), target], check=True)


def add_imports(text, pkg, old_pkg, new_home):
    """Imports for the old package's types this file names by simple name and that now live in another package."""
    code = stripped(text)
    docs = " ".join(re.findall(r"\{@(?:link|linkplain|value)\s+([\w.#]+)", text))
    imported = set(re.findall(r"^import\s+(?:static\s+)?[\w.]+\.(\w+)\s*;", text, re.M))
    declared = set(re.findall(r"\b(?:class|record|interface|enum)\s+(\w+)", code))
    needed = []
    for (o, name), home in new_home.items():
        if o != old_pkg or home == pkg or name in imported or name in declared:
            continue
        if re.search(r"(?<![\w.])" + name + r"\b", code):
            needed.append(f"{home}.{name}")
        elif re.search(r"(?<![\w.])" + name + r"\b", docs):
            # named only in javadoc: qualify the link, since an import would be a use of the package (PackageGraph)
            text = re.sub(r"(\{@(?:link|linkplain|value)\s+)" + name + r"\b", lambda m: m.group(1) + home + "." + name, text)
    if not needed:
        return text
    return insert_imports(text, needed)


def insert_imports(text, fqns):
    lines = text.split("\n")
    for fqn in sorted(fqns):
        line = f"import {fqn};"
        if line in lines:
            continue
        plain = [i for i, l in enumerate(lines) if l.startswith("import ") and not l.startswith("import static ")]
        if plain:
            after = [i for i in plain if lines[i] < line]
            at = (after[-1] + 1) if after else plain[0]
        else:
            statics = [i for i, l in enumerate(lines) if l.startswith("import static ")]
            pkg_line = next(i for i, l in enumerate(lines) if l.startswith("package "))
            at = statics[0] if statics else pkg_line + 1
            if not statics:
                lines.insert(at, "")
                at += 1
                if at < len(lines) and lines[at].strip():
                    lines.insert(at, "")
        lines.insert(at, line)
    return "\n".join(lines)


def package_infos():
    for room, doc in ROOMS.items():
        pkg = SESSION + "." + room
        d = os.path.join(ROOT, "core/src/main/java", *pkg.split("."))
        path = os.path.join(d, "package-info.java")
        if not os.path.isdir(d) or os.path.exists(path):
            continue
        words, out, line = re.findall(r"\{@\w+ [^}]*\}[^\s]*|\S+", doc), [], " *"
        for w in words:
            if len(line) + 1 + len(w) > 116:
                out.append(line)
                line = " *"
            line += " " + w
        out.append(line)
        write(path, "/**\n" + "\n".join(out) + "\n */\npackage " + pkg + ";\n")
        subprocess.run(["git", "add", path], check=True)


def uses_table(packages):
    """Recomputes package-uses.txt's lines of the given packages from the code (PackageGraph's reading)."""
    path = os.path.join(ROOT, USES)
    src = os.path.join(ROOT, "core/src/main/java")
    files = {}
    for d, _, fs in os.walk(src):
        for f in fs:
            if f.endswith(".java"):
                text = read(os.path.join(d, f))
                p = package_of(text)
                if p:
                    files.setdefault(p, []).append(text)
    known = set(files)
    name = re.compile(r"\b([a-z]\w*(?:\.[a-z]\w*)+)\.[A-Z]")
    rel = lambda p: "core" if p == CORE else p[len(CORE) + 1:]
    lines = read(path).split("\n")
    header = [l for l in lines if l.startswith("#") or not l.strip()]
    table = {l.split(":", 1)[0].strip(): l for l in lines if l.strip() and not l.startswith("#")}
    for p in packages:
        if not p.startswith(CORE):
            continue
        if p not in known:
            table.pop(rel(p), None)
            continue
        uses = set()
        for text in files[p]:
            for m in name.finditer(stripped(text)):
                if m.group(1) != p and m.group(1) in known:
                    uses.add(rel(m.group(1)))
        table[rel(p)] = (rel(p) + ": " + " ".join(sorted(uses))).rstrip()
    body = [table[k] for k in sorted(table)]
    write(path, "\n".join([l for l in header if l.strip()] + body) + "\n")


if __name__ == "__main__":
    main()
