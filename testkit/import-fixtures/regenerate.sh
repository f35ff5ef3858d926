#!/usr/bin/env bash
# Regenerates the import fixtures (testkit/import-fixtures/files/): the real Claude Code, Codex and OpenCode CLIs,
# installed from the npm registry into a temporary prefix, each do small scripted tasks against fake_model.py on
# loopback, and the session files they wrote are copied here. Run it when one of the tools changes its format:
#   testkit/import-fixtures/regenerate.sh            (needs node/npm, python3, git)
# Nothing reaches any address but 127.0.0.1: every base URL points at the fake, update checks and telemetry are off.
# The project folder is always /tmp/lathe-import-fixture/project so the tests can move it to their own folder.
set -euo pipefail

CLAUDE_VERSION=2.1.328
CODEX_VERSION=0.169.0
OPENCODE_VERSION=1.18.33
# older versions whose formats users still have on disk: Claude Code 1.0 wrote a subagent's records into the main
# file (isSidechain), OpenCode 1.1 kept JSON files under storage/ (1.2 moved them into opencode.db)
OLD_CLAUDE_VERSION=1.0.128
OLD_OPENCODE_VERSION=1.1.65
# which parts to write (all by default): claude codex opencode old-claude old-opencode images
PARTS=${PARTS:-claude codex opencode old-claude old-opencode images}
want() { [[ " $PARTS " == *" $1 "* ]]; }
PORT=${PORT:-18461}

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out="$here/files"
work=$(mktemp -d /var/tmp/lathe-import-fixtures.XXXXXX)
project=/tmp/lathe-import-fixture/project
prefix=${LATHE_FIXTURE_NPM_PREFIX:-$work/npm}
fake_pid=

cleanup() {
    [[ -n "$fake_pid" ]] && kill "$fake_pid" 2>/dev/null || true
    [[ -n "${KEEP:-}" ]] && echo "kept $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT

if [[ ! -x "$prefix/node_modules/@anthropic-ai/claude-code-linux-x64/claude" ]]; then
    # the CLIs ship native binaries as optional dependencies; their install scripts are not needed
    npm install --no-audit --no-fund --ignore-scripts --prefix "$prefix" \
        "@anthropic-ai/claude-code@$CLAUDE_VERSION" "@openai/codex@$CODEX_VERSION" "opencode-ai@$OPENCODE_VERSION" >&2
fi
old_prefix=${LATHE_FIXTURE_OLD_NPM_PREFIX:-$work/npm-old}
if [[ ! -f "$old_prefix/node_modules/@anthropic-ai/claude-code/cli.js" ]] && (want old-claude || want old-opencode); then
    npm install --no-audit --no-fund --ignore-scripts --prefix "$old_prefix" \
        "@anthropic-ai/claude-code@$OLD_CLAUDE_VERSION" "opencode-ai@$OLD_OPENCODE_VERSION" >&2
fi
claude="$prefix/node_modules/@anthropic-ai/claude-code-linux-x64/claude"
codex=$(find "$prefix/node_modules/@openai/codex-linux-x64/vendor" -name codex -type f | head -1)
opencode="$prefix/node_modules/opencode-linux-x64/bin/opencode"

fresh_project() {
    rm -rf "$project"
    mkdir -p "$project"
    git -C "$project" init -q -b main
    printf 'a project\n' > "$project/README.md"
    git -C "$project" -c user.name=fixture -c user.email=fixture@example.invalid add -A
    git -C "$project" -c user.name=fixture -c user.email=fixture@example.invalid commit -qm init
}

python3 "$here/fake_model.py" --port "$PORT" --workdir "$project" --log "$work/requests.jsonl" > "$work/fake.log" 2>&1 &
fake_pid=$!
sleep 1

base_env=(env -i PATH=/usr/bin:/bin LANG=C.UTF-8 TERM=dumb SHELL=/bin/bash)

# ---------- Claude Code: a tool session (resumed once), a subagent session, a compacted session
if want claude; then
home="$work/claude-home"
mkdir -p "$home"
claude_env=("${base_env[@]}" HOME="$home" IS_SANDBOX=1 ANTHROPIC_API_KEY=sk-ant-fixture ANTHROPIC_BASE_URL="http://127.0.0.1:$PORT"
    DISABLE_AUTOUPDATER=1 CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 DISABLE_TELEMETRY=1 DISABLE_ERROR_REPORTING=1)
run_claude() { (cd "$project" && "${claude_env[@]}" timeout 180 "$claude" --model claude-sonnet-4-5 --permission-mode bypassPermissions "$@" >&2); }
fresh_project
run_claude -p "[scenario:tools] Make a note file."
tools_session=$(basename "$(ls -t "$home/.claude/projects/"*/*.jsonl | head -1)" .jsonl)
run_claude -p "[scenario:more] How big is the note?" --resume "$tools_session"
run_claude -p "[scenario:agent] Ask a subagent what is here."
run_claude -p "[scenario:tools] Make a note file again."
compact_session=$(basename "$(ls -t "$home/.claude/projects/"*/*.jsonl | head -1)" .jsonl)
run_claude -p "/compact" --resume "$compact_session"
rm -rf "$out/claude-code"
mkdir -p "$out/claude-code"
cp -r "$home/.claude/projects" "$out/claude-code/"
find "$out/claude-code" -name memory -type d -empty -delete
fi

# ---------- Codex: a tool session over the Responses API
if want codex || want images; then
codex_home="$work/codex-home"
mkdir -p "$codex_home"
cat > "$codex_home/config.toml" <<EOF
model = "gpt-5.1-codex"
model_provider = "fake"
approval_policy = "never"
sandbox_mode = "danger-full-access"
check_for_update_on_startup = false
[analytics]
enabled = false
[model_providers.fake]
name = "fake"
base_url = "http://127.0.0.1:$PORT/v1"
wire_api = "responses"
env_key = "FAKE_API_KEY"
EOF
fi
if want codex; then
fresh_project
(cd "$project" && "${base_env[@]}" HOME="$work/codex-user" CODEX_HOME="$codex_home" FAKE_API_KEY=fixture-key OTEL_SDK_DISABLED=true \
    timeout 180 "$codex" exec --skip-git-repo-check "[scenario:tools] Make a note file." >&2)
rm -rf "$out/codex"
mkdir -p "$out/codex"
cp -r "$codex_home/sessions" "$out/codex/"
fi

# ---------- OpenCode: a tool session over Chat Completions
opencode_config() {
cat > "$project/opencode.json" <<EOF
{"\$schema": "https://opencode.ai/config.json", "autoupdate": false, "share": "disabled",
 "permission": {"edit": "allow", "bash": "allow", "webfetch": "allow", "external_directory": "allow"},
 "provider": {"fake": {"npm": "@ai-sdk/openai-compatible", "name": "Fake",
   "options": {"baseURL": "http://127.0.0.1:$PORT/v1", "apiKey": "fixture-key"},
   "models": {"fake-model": {"name": "Fake model", "tool_call": true, "limit": {"context": 200000, "output": 32000}}}}},
 "model": "fake/fake-model"}
EOF
}
run_opencode() {  # BINARY HOME ARGS...
    local bin=$1 h=$2
    shift 2
    (cd "$project" && "${base_env[@]}" HOME="$h" XDG_DATA_HOME="$h/data" XDG_CONFIG_HOME="$h/config" \
        XDG_CACHE_HOME="$h/cache" XDG_STATE_HOME="$h/state" OPENCODE_DISABLE_AUTOUPDATE=1 OPENCODE_DISABLE_MODELS_FETCH=1 \
        OPENCODE_DISABLE_LSP_DOWNLOAD=1 OPENCODE_DISABLE_SHARE=1 timeout 180 "$bin" run --model fake/fake-model "$@" >&2)
}
if want opencode; then
oc_home="$work/opencode-home"
mkdir -p "$oc_home"
fresh_project
opencode_config
(cd "$project" && "${base_env[@]}" HOME="$oc_home" XDG_DATA_HOME="$oc_home/data" XDG_CONFIG_HOME="$oc_home/config" \
    XDG_CACHE_HOME="$oc_home/cache" XDG_STATE_HOME="$oc_home/state" OPENCODE_DISABLE_AUTOUPDATE=1 OPENCODE_DISABLE_MODELS_FETCH=1 \
    OPENCODE_DISABLE_LSP_DOWNLOAD=1 OPENCODE_DISABLE_SHARE=1 timeout 180 "$opencode" run --model fake/fake-model "[scenario:tools] Make a note file." >&2)
rm -rf "$out/opencode"
mkdir -p "$out/opencode"
cp -r "$oc_home/data/opencode/." "$out/opencode/"
rm -rf "$out/opencode/bin" "$out/opencode/log" "$out/opencode/snapshot" "$out/opencode/repos"
# one self-contained database file: fold the write-ahead log in and drop it
python3 - "$out/opencode/opencode.db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
c.execute("PRAGMA journal_mode=DELETE")
c.execute("VACUUM")
c.close()
PY
fi

# ---------- older formats and images
png() {  # a 4x4 red PNG at $project/pic.png
    python3 - "$project/pic.png" <<'PY'
import struct, sys, zlib
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
rows = b"".join(b"\x00" + b"\xff\x00\x00" * 4 for _ in range(4))
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
                              + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
PY
}
if want old-claude; then
    # Claude Code 1.0: a subagent session (its records inline, marked isSidechain) and an image read with Read
    home="$work/old-claude-home"
    mkdir -p "$home"
    claude_env=("${base_env[@]}" HOME="$home" IS_SANDBOX=1 ANTHROPIC_API_KEY=sk-ant-fixture ANTHROPIC_BASE_URL="http://127.0.0.1:$PORT"
        DISABLE_AUTOUPDATER=1 CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 DISABLE_TELEMETRY=1 DISABLE_ERROR_REPORTING=1)
    old_claude() { (cd "$project" && "${claude_env[@]}" PATH="$(dirname "$(command -v node)"):/usr/bin:/bin" timeout 180 node \
        "$old_prefix/node_modules/@anthropic-ai/claude-code/cli.js" --model claude-sonnet-4-5 --dangerously-skip-permissions "$@" >&2); }
    fresh_project
    printf 'hello world\n' > "$project/note.txt"
    png
    old_claude -p "[scenario:agent] Ask a subagent what is here."
    old_claude -p "[scenario:image] What is in pic.png?"
    rm -rf "$out/claude-code-1.0"
    mkdir -p "$out/claude-code-1.0"
    cp -r "$home/.claude/projects" "$out/claude-code-1.0/"
fi
if want old-opencode; then
    # OpenCode 1.1: JSON files under storage/ (session/PROJECT/SES.json, message/SES/MSG.json, part/MSG/PRT.json)
    oc_home="$work/old-opencode-home"
    mkdir -p "$oc_home"
    fresh_project
    opencode_config
    png
    run_opencode "$old_prefix/node_modules/opencode-linux-x64/bin/opencode" "$oc_home" "[scenario:tools] Make a note file."
    run_opencode "$old_prefix/node_modules/opencode-linux-x64/bin/opencode" "$oc_home" -f pic.png -- "[scenario:look] What is in this picture?"
    rm -rf "$out/opencode-1.1"
    mkdir -p "$out/opencode-1.1"
    cp -r "$oc_home/data/opencode/storage" "$out/opencode-1.1/"
fi
if want images; then
    # Codex: an image attached to the prompt (codex exec -i)
    rm -rf "$codex_home/sessions"
    fresh_project
    png
    (cd "$project" && "${base_env[@]}" HOME="$work/codex-user" CODEX_HOME="$codex_home" FAKE_API_KEY=fixture-key OTEL_SDK_DISABLED=true \
        timeout 180 "$codex" exec --skip-git-repo-check -i pic.png -- "[scenario:look] What is in this picture?" >&2)
    rm -rf "$out/codex-image"
    mkdir -p "$out/codex-image"
    cp -r "$codex_home/sessions" "$out/codex-image/"
fi

echo "fixtures written to $out" >&2
