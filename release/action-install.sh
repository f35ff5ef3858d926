#!/usr/bin/env bash
# The install half of Lathe's GitHub Action (action.yml at the repository root; docs/github.md, decisions 458-459).
#
#   action-install.sh resolve   which release and platform, the archive's checksum from SHA256SUMS, the cache key
#   action-install.sh install   the archive from the cache folder when its checksum is right, else downloaded and
#                               checked; unpacked into a new folder; its bin/ appended to GITHUB_PATH
#
# The action restores and saves only the downloaded archive (never the unpacked tree, which a job's later steps could
# change) and every run checks it against SHA256SUMS fetched from the release itself: a cache entry that was tampered
# with is downloaded again, and a download that does not match is refused.
#
# Reads what GitHub sets: RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP, GITHUB_PATH, GITHUB_OUTPUT; and the action's:
# LATHE_VERSION (a version, vVERSION, "latest" or empty: the action's own ref when that is a release tag, else the
# newest), LATHE_ACTION_REF (github.action_ref), LATHE_DOWNLOAD_URL (another base), LATHE_SHA256 and
# LATHE_ARCHIVE_DIR (install: resolve's outputs). The layout is install.sh's (docs/install.md, decision 451): version
# V's files under BASE/V/, the newest version named in BASE/latest/VERSION.
set -euo pipefail

# The project's home on GitHub (decision 458); a release tagged V holds version V's files.
REPOSITORY=lathe-agent/lathe
BASE="${LATHE_DOWNLOAD_URL:-https://github.com/$REPOSITORY/releases/download}"
BASE="${BASE%/}"

die() { printf 'lathe-action: %s\n' "$*" >&2; exit 1; }
# what a failed install leaves is removed on the way out: the plain tar, a half-filled folder
leftover_tar="" leftover_dir=""
trap 'rm -rf ${leftover_tar:+"$leftover_tar"} ${leftover_dir:+"$leftover_dir"}' EXIT
note() { printf 'lathe-action: %s\n' "$*" >&2; }

need() { [ -n "${!1:-}" ] || die "$1 is not set: this runs inside a GitHub Actions job (or set it as the job would)"; }

# RUNNER_OS and RUNNER_ARCH as GitHub spells them, to the release's platform names (DESIGN §18 "Releases")
platform() {
  case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
    Linux/X64) echo linux-x64 ;;
    Linux/ARM64) echo linux-arm64 ;;
    macOS/ARM64) echo darwin-arm64 ;;
    macOS/X64) echo darwin-x64 ;;
    Windows/X64) echo win32-x64 ;;
    *) die "no Lathe release is built for a ${RUNNER_OS:-?} ${RUNNER_ARCH:-?} runner (there are Linux X64 and ARM64, macOS ARM64 and X64, Windows X64)" ;;
  esac
}

is_version() { [[ "$1" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]]; }

# -f: an HTTP error is a failure, not a saved error page; redirects (GitHub's release assets) only to https
fetch() {
  command -v curl >/dev/null 2>&1 || die "curl is not on PATH: it downloads the release"
  curl -fsSL --retry 3 --connect-timeout 20 --max-time 600 --max-filesize 1000000000 \
    --proto '=https,http' --proto-redir '=https' -o "$2" "$1" || die "cannot download $1 (curl exit $?)"
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then shasum -a 256 "$1" | cut -d' ' -f1
  else die "neither sha256sum nor shasum is on PATH: the archive's checksum cannot be checked"; fi
}

# the one line of SHA256SUMS for NAME ("HASH  NAME" or "HASH *NAME"); exactly one, 64 hex digits
sum_for() {
  local sums="$1" name="$2" found
  found=$(awk -v n="$name" '$2 == n || $2 == "*" n { print $1 }' "$sums")
  [ -n "$found" ] || die "SHA256SUMS of the release has no line for $name"
  [ "$(printf '%s\n' "$found" | wc -l | tr -d ' ')" = 1 ] || die "SHA256SUMS names $name more than once: refused"
  [[ "$found" =~ ^[0-9a-fA-F]{64}$ ]] || die "SHA256SUMS has no valid checksum for $name"
  printf '%s' "$found" | tr 'A-F' 'a-f'
}

output() { printf '%s=%s\n' "$1" "$2" >> "$GITHUB_OUTPUT"; }

resolve() {
  need RUNNER_TEMP; need GITHUB_OUTPUT
  local plat version asked="${LATHE_VERSION:-}" work sums
  plat=$(platform)
  asked="${asked#"${asked%%[![:space:]]*}"}"; asked="${asked%"${asked##*[![:space:]]}"}"
  if [ -z "$asked" ]; then
    # the action's own release when it is used at a release tag (OWNER/lathe@v1.2.3 or @1.2.3), else the newest
    local ref="${LATHE_ACTION_REF:-}"
    if is_version "${ref#v}"; then asked="${ref#v}"; else asked=latest; fi
  fi
  work="$RUNNER_TEMP/lathe-action"
  mkdir -p "$work"
  sums="$work/SHA256SUMS"
  rm -f "$sums"
  if [ "$asked" = latest ]; then
    fetch "$BASE/latest/VERSION" "$work/VERSION"
    version=$(head -c 100 "$work/VERSION" | head -n 1 | tr -d '[:space:]')
    is_version "$version" || die "$BASE/latest/VERSION does not hold a version"
  else
    version="${asked#v}"
    is_version "$version" || die "version is a release like 1.2.3 (or v1.2.3, or latest), not: $(printf '%s' "$asked" | tr -c '[:alnum:]._-' '?')"
  fi
  fetch "$BASE/$version/SHA256SUMS" "$sums"
  local name="lathe-$version-$plat.tar.gz" sum
  sum=$(sum_for "$sums" "$name")
  note "Lathe $version for $plat (sha256 $sum)"
  output version "$version"
  output platform "$plat"
  output sha256 "$sum"
  output archive-dir "$work/download"
  # the checksum in the key: a release whose files were replaced gets a new entry instead of a stale one forever
  output cache-key "lathe-$version-$plat-${sum:0:16}"
}

# refuses an archive holding anything but plain files and folders under lathe-VERSION/ (no links, no "..", no
# absolute names): what it unpacks cannot land or point outside the folder it is unpacked into
check_entries() {
  local tarball="$1" top="$2" listing
  listing=$(tar -tvf "$tarball") || die "cannot read the archive: not a tar archive"
  if printf '%s\n' "$listing" | cut -c1 | grep -qv '^[-d]$'; then
    die "the archive holds a link or a special file: refused"
  fi
  local names
  names=$(tar -tf "$tarball")
  while IFS= read -r entry; do
    case "$entry" in
      "$top"/*|"$top") ;;
      *) die "the archive holds $(printf '%s' "$entry" | tr -c '[:alnum:]./_+-' '?') outside $top/: refused" ;;
    esac
    case "/$entry/" in */../*) die "the archive holds a '..' entry: refused" ;; esac
  done <<< "$names"
}

install() {
  need RUNNER_TEMP; need GITHUB_OUTPUT; need GITHUB_PATH
  need LATHE_VERSION; need LATHE_SHA256; need LATHE_ARCHIVE_DIR
  local version="$LATHE_VERSION" plat sum="$LATHE_SHA256" dir="$LATHE_ARCHIVE_DIR"
  is_version "$version" || die "LATHE_VERSION is not a version: resolve's output is needed here"
  [[ "$sum" =~ ^[0-9a-f]{64}$ ]] || die "LATHE_SHA256 is not a sha256"
  plat=$(platform)
  local name="lathe-$version-$plat.tar.gz"
  local archive="$dir/$name" downloaded=false
  # the cache restores whatever its entry held: a link in place of the folder is not followed
  if [ -L "$dir" ]; then rm -f "$dir"; fi
  mkdir -p "$dir"
  if [ -f "$archive" ] && [ ! -L "$archive" ] && [ "$(sha256_of "$archive")" = "$sum" ]; then
    note "the archive from the cache matches SHA256SUMS"
  else
    if [ -e "$archive" ] || [ -L "$archive" ]; then note "the cached archive does not match SHA256SUMS: downloading it again"; fi
    rm -rf "$archive"
    local part="$archive.part"
    rm -f "$part"
    fetch "$BASE/$version/$name" "$part"
    local got
    got=$(sha256_of "$part")
    if [ "$got" != "$sum" ]; then
      rm -f "$part"
      die "checksum mismatch for $name: SHA256SUMS says $sum, the download is $got: refused"
    fi
    mv -f "$part" "$archive"
    downloaded=true
  fi
  local top="lathe-$version"
  # unzipped once, then listed and unpacked from the plain tar (three gunzips of ~80 MB were most of a warm set-up)
  local tarball="$RUNNER_TEMP/lathe-action/archive.$$.tar"
  leftover_tar=$tarball
  gzip -dc "$archive" > "$tarball" || die "cannot read $name: not a gzip archive"
  check_entries "$tarball" "$top"
  # a new folder each time, filled in a temporary one and renamed: a failed unpack leaves nothing on PATH
  local home_parent="$RUNNER_TEMP/lathe-action/$version-$plat"
  local staging="$home_parent.unpack.$$"
  rm -rf "$staging" "$home_parent"
  leftover_dir=$staging
  mkdir -p "$staging"
  tar -xf "$tarball" -C "$staging" --no-same-owner || die "cannot unpack $name"
  local launcher="$staging/$top/bin/lathe"
  [ "$plat" = win32-x64 ] && [ -f "$staging/$top/bin/lathe.cmd" ] && launcher="$staging/$top/bin/lathe.cmd"
  [ -f "$launcher" ] || die "$name has no $top/bin/lathe: not a Lathe release archive"
  mv "$staging" "$home_parent"
  leftover_dir=""
  local home="$home_parent/$top"
  local bin="$home/bin"
  if command -v cygpath >/dev/null 2>&1; then bin=$(cygpath -w "$bin"); fi
  printf '%s\n' "$bin" >> "$GITHUB_PATH"
  output home "$home"
  output downloaded "$downloaded"
  note "installed Lathe $version in $home"
}

case "${1:-}" in
  resolve) resolve ;;
  install) install ;;
  *) die "usage: action-install.sh resolve|install (the action's steps call it)" ;;
esac
