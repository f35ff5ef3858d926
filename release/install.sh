#!/bin/sh
# Installs a Lathe release: sh install.sh [--version V] [--prefix DIR] [--allow-http] [--allow-shared-prefix]   (docs/install.md)
#
# Downloads lathe-V-PLATFORM.tar.gz and SHA256SUMS from $LATHE_DOWNLOAD_URL/V/ into a private temporary folder,
# verifies the checksum, refuses an archive that holds anything but plain files and folders under lathe-V/, unpacks
# it beside PREFIX/lib/lathe/V and renames it there in one step, then points PREFIX/bin/lathe at its bin/lathe.
# Nothing is written under PREFIX before the download is verified; on any failure what was written is removed.
# A checksum fetched over plain http from another machine proves nothing (whoever changes the archive on the way
# changes SHA256SUMS too): http:// is for a site on loopback, or with --allow-http. A prefix another user may write is
# one where they could swap the installed lathe: refused unless --allow-shared-prefix (decision 558).
# POSIX sh only (dash, busybox, macOS sh): `lathe upgrade` runs this same script from its own jar (decision 450).
set -eu

BASE_DEFAULT=https://github.com/lathe-agent/lathe/releases/download
base=${LATHE_DOWNLOAD_URL:-$BASE_DEFAULT}
base=${base%/}
version=latest
prefix=${HOME:-}/.local
allow_http=
allow_shared=
usage='sh install.sh [--version V] [--prefix DIR] [--allow-http] [--allow-shared-prefix]'

fail() {
  printf 'lathe install: %s\n' "$*" >&2
  exit 1
}

while [ $# -gt 0 ]; do
  case $1 in
    --version) [ $# -ge 2 ] || fail "--version needs a value, e.g. --version 0.2.0"; version=$2; shift 2 ;;
    --version=*) version=${1#--version=}; shift ;;
    --prefix) [ $# -ge 2 ] || fail "--prefix needs a folder, e.g. --prefix ~/.local"; prefix=$2; shift 2 ;;
    --prefix=*) prefix=${1#--prefix=}; shift ;;
    --allow-http) allow_http=1; shift ;;
    --allow-shared-prefix) allow_shared=1; shift ;;
    -h|--help) printf 'usage: %s   (default: the latest release into ~/.local)\n' "$usage"; exit 0 ;;
    *) fail "unknown argument '$1' (usage: $usage)" ;;
  esac
done

# A version names a folder under PREFIX/lib/lathe and a path in a URL: digits, letters, dots, plus and minus only,
# starting with a digit, no "..".
valid_version() {
  case $1 in
    ''|*[!0-9A-Za-z.+-]*|*..*) return 1 ;;
    [0-9]*) return 0 ;;
    *) return 1 ;;
  esac
}
[ "$version" = latest ] || valid_version "$version" || fail "not a version: '$version' (expected e.g. 0.2.0)"
[ -n "$prefix" ] || fail "no prefix: HOME is not set; pass --prefix DIR"
case $prefix in
  /*) ;;
  *) prefix=$(pwd)/$prefix ;;
esac
prefix=${prefix%/}
[ -n "$prefix" ] || prefix=/

# The site: https, or http on this machine's loopback (a literal 127.x.y.z, ::1 or localhost, never a name that only
# starts with 127.), or http anywhere with --allow-http. A user name in the URL hides its real host: refused.
case $base in
  https://*) ;;
  http://*)
    authority=${base#http://}
    authority=${authority%%/*}
    case $authority in *@*|*\\*) fail "refusing $base: a user name or backslash in the site's URL hides its host" ;; esac
    case $authority in
      \[*\]:*|\[*\]) host=${authority%%]*}]; ;;
      *) host=${authority%%:*} ;;
    esac
    loopback=
    case $host in
      localhost|'[::1]') loopback=1 ;;
      127.*.*.*) case $host in *[!0-9.]*|*.*.*.*.*|*..*|*.) ;; *) loopback=1 ;; esac ;;
    esac
    if [ -n "$loopback" ] && [ "$host" != localhost ] && [ "$host" != '[::1]' ]; then
      # each part a number up to 255: anything else is a name a resolver would be asked about
      for part in $(printf '%s' "$host" | tr '.' ' '); do
        [ "${#part}" -le 3 ] && [ "$part" -le 255 ] || loopback=
      done
    fi
    if [ -z "$loopback" ] && [ -z "$allow_http" ]; then
      fail "refusing $base: plain http to another machine, where the archive and its checksum can both be changed on the way; use https, or pass --allow-http if this network is yours"
    fi ;;
  *) fail "refusing $base: the site must be an https:// URL (or http:// on loopback)" ;;
esac

os=$(uname -s 2>/dev/null || echo unknown)
arch=$(uname -m 2>/dev/null || echo unknown)
case $os in
  Linux) os_name=linux ;;
  Darwin) os_name=darwin ;;
  *) os_name= ;;
esac
case $arch in
  x86_64|amd64) arch_name=x64 ;;
  aarch64|arm64) arch_name=arm64 ;;
  *) arch_name= ;;
esac
if [ -z "$os_name" ] || [ -z "$arch_name" ]; then
  fail "unsupported platform $os/$arch (releases are built for linux-x64, linux-arm64, darwin-arm64, darwin-x64)"
fi
platform=$os_name-$arch_name

if command -v curl >/dev/null 2>&1; then
  fetcher=curl
elif command -v wget >/dev/null 2>&1; then
  fetcher=wget
else
  fail "neither curl nor wget is installed; install one of them and run this again"
fi
if command -v sha256sum >/dev/null 2>&1; then
  hasher=sha256sum
elif command -v shasum >/dev/null 2>&1; then
  hasher=shasum
else
  fail "neither sha256sum nor shasum is installed: the download cannot be verified"
fi
command -v tar >/dev/null 2>&1 || fail "tar is not installed"

# The folder nearest to $1 that exists: where a new folder under PREFIX would be made.
existing_parent() {
  p=$1
  while [ ! -e "$p" ] && [ ! -L "$p" ]; do p=$(dirname "$p"); done
  printf '%s\n' "$p"
}
# Why another user could write the folder $1 (empty when none can): writable by others, by a group that is not the
# user's own (a user-private group, named as the user, is), or owned by someone who is neither the user nor root.
shared_by() {
  set -f # the fields are split, never expanded as file names (this runs in its own $(...) subshell)
  # shellcheck disable=SC2046 # the fields of ls -ld: mode, links, owner, group
  set -- $(ls -ld "$1" 2>/dev/null)
  me=$(id -un 2>/dev/null || echo "")
  case $1 in
    ????????w*) printf 'writable by every user' ; return ;;
    ?????w*) [ "$4" = "$me" ] && [ "$3" = "$me" ] || { printf 'writable by the group %s' "$4"; return; } ;;
  esac
  [ "$3" = "$me" ] || [ "$3" = root ] || printf 'owned by %s' "$3"
}
# Checked before any download, and again by every write: a prefix we cannot write fails before it costs a download.
for d in "$prefix/lib/lathe" "$prefix/bin"; do
  at=$(existing_parent "$d")
  [ -d "$at" ] || fail "cannot install into $prefix: $at is not a folder"
  [ -w "$at" ] || fail "cannot install into $prefix: $at is not writable (choose another --prefix, e.g. --prefix ~/.local)"
done
# every folder of the prefix that exists, and the one a new prefix would be made in: another user who may write one
# could replace the lathe installed there (decision 558)
if [ -z "$allow_shared" ]; then
  for d in "$prefix/lib/lathe" "$prefix/lib" "$prefix/bin" "$prefix" "$(existing_parent "$prefix")"; do
    [ -d "$d" ] || continue
    why=$(shared_by "$d")
    [ -z "$why" ] || fail "refusing to install into $prefix: $d is $why, who could replace what is installed; choose another --prefix (e.g. --prefix ~/.local), make it yours (chmod go-w), or pass --allow-shared-prefix"
  done
fi

work=
staging=
link_tmp=
placed=
made_lib=
made_bin=
cleanup() {
  status=$?
  [ -z "$link_tmp" ] || rm -f "$link_tmp"
  # a version moved into place whose link could not be made is taken back too: no install without its link
  if [ "$status" -ne 0 ] && [ -n "$placed" ]; then chmod -R u+w "$placed" 2>/dev/null || true; rm -rf "$placed"; fi
  if [ -n "$staging" ] && [ -d "$staging" ]; then chmod -R u+w "$staging" 2>/dev/null || true; rm -rf "$staging"; fi
  [ -z "$work" ] || rm -rf "$work"
  # the folders this run made under PREFIX (empty again by now), when the install did not finish
  if [ "$status" -ne 0 ]; then
    [ -z "$made_bin" ] || rm -rf "$made_bin"
    [ -z "$made_lib" ] || rm -rf "$made_lib"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

umask 077
work=$(mktemp -d "${TMPDIR:-/tmp}/lathe-install.XXXXXX" 2>/dev/null) || fail "cannot make a temporary folder in ${TMPDIR:-/tmp}"

# download URL FILE WHAT: FILE gets URL's body, or the run fails with one line naming WHAT and why.
download() {
  url=$1
  out=$2
  what=$3
  if [ "$fetcher" = curl ]; then
    # a redirect never leaves https for http (GitHub answers a release file with one)
    # and plain http stays on the site given: a redirect from it goes to https only, unless --allow-http
    redir='=https'
    [ -z "$allow_http" ] || redir='=https,http'
    case $url in https:*) redir='=https' ;; esac
    code=$(curl -sS -L --proto '=https,http' --proto-redir "$redir" -o "$out" -w '%{http_code}' "$url" 2>"$work/fetch.err") && rc=0 || rc=$?
  else
    # GNU wget retries a broken transfer 20 times by default; busybox's has no --tries
    tries=
    if wget --help 2>&1 | grep -q -e --tries; then tries=--tries=1; fi
    wget -q -S $tries -O "$out" "$url" 2>"$work/fetch.err" && rc=0 || rc=$?
    code=$(sed -n 's/^ *HTTP\/[0-9.]* \([0-9][0-9][0-9]\).*/\1/p' "$work/fetch.err" | tail -n 1)
  fi
  case $code in
    404|410) [ "$what" = SHA256SUMS ] && fail "unknown version $version: there is no release at $base/$version/"
             fail "no $what at $url (HTTP $code)" ;;
    2??|000|'') ;;
    *) fail "cannot download $what from $url: HTTP $code" ;;
  esac
  if [ "$rc" -ne 0 ]; then
    # curl says 18 for a body that ended early; wget says 4 (a network failure) after a 2xx status line
    case $fetcher/$rc/$code in
      curl/18/*|wget/4/2??) fail "the download of $what from $url was cut short (truncated); nothing was installed, try again" ;;
    esac
    why=$(grep -v '^ ' "$work/fetch.err" | tail -n 1 | tr -d '\r')
    # wget -q says nothing itself: its exit code is the reason
    case $fetcher/$rc in
      wget/4) why=${why:-no answer (a network failure)} ;;
      wget/5) why=${why:-the TLS certificate could not be verified} ;;
    esac
    fail "cannot download $what from $url: ${why:-$fetcher exited with $rc}"
  fi
}

if [ "$version" = latest ]; then
  # "latest" is the folder latest/ beside the versions, whose VERSION file names the newest release (docs/install.md)
  download "$base/latest/VERSION" "$work/VERSION" "latest version"
  version=$(head -n 1 "$work/VERSION" | cut -c 1-64 | tr -d ' \r')
  valid_version "$version" || fail "$base/latest/VERSION does not hold a version"
fi

archive=lathe-$version-$platform.tar.gz
lib=$prefix/lib/lathe
target=$lib/$version
bin=$prefix/bin
link=$bin/lathe
if [ -e "$link" ] || [ -L "$link" ]; then
  [ -L "$link" ] || fail "$link exists and is not a link; move it away or choose another --prefix"
  [ ! -d "$link" ] || fail "$link is a link to a folder; move it away or choose another --prefix"
fi
if [ -e "$target" ] || [ -L "$target" ]; then
  if [ ! -d "$target" ] || [ -L "$target" ]; then fail "$target exists and is not a folder this script made; move it away"; fi
fi

download "$base/$version/SHA256SUMS" "$work/SHA256SUMS" SHA256SUMS
expected=$(awk -v f="$archive" '$2 == f || $2 == "*" f { print $1; exit }' "$work/SHA256SUMS")
[ -n "$expected" ] || fail "release $version has no archive for $platform (not in its SHA256SUMS)"
case $expected in
  *[!0-9a-fA-F]*) fail "SHA256SUMS of release $version is damaged (the line for $archive is not a SHA-256)" ;;
esac
[ ${#expected} -eq 64 ] || fail "SHA256SUMS of release $version is damaged (the line for $archive is not a SHA-256)"
download "$base/$version/$archive" "$work/$archive" "$archive"

if [ "$hasher" = sha256sum ]; then actual=$(sha256sum "$work/$archive"); else actual=$(shasum -a 256 "$work/$archive"); fi
actual=${actual%% *}
[ "$(printf '%s' "$expected" | tr 'A-F' 'a-f')" = "$actual" ] \
  || fail "checksum mismatch for $archive (expected $expected, got $actual): the download is damaged or not the release; nothing was installed"

# The archive holds lathe-V/ and only plain files and folders under it: a link, a device, an absolute name or a ".."
# could write outside the install folder or point at what it must not. Names are read from the plain listing, kinds
# from the long one (first letter: - file, d folder; a hard link is "h", or "link to" on BSD tar).
top=lathe-$version
tar -tzf "$work/$archive" >"$work/names" 2>"$work/tar.err" || fail "$archive is not a readable tar.gz archive"
tar -tvzf "$work/$archive" >"$work/kinds" 2>"$work/tar.err" || fail "$archive is not a readable tar.gz archive"
[ -s "$work/names" ] || fail "$archive is empty"
bad=$(awk -v top="$top" '
  { name = $0; sub(/^\.\//, "", name) }
  name != top && name != top "/" && index(name, top "/") != 1 { print "an entry outside " top "/: " $0; exit }
  name ~ /(^|\/)\.\.(\/|$)/ { print "a \"..\" entry: " $0; exit }' "$work/names")
[ -z "$bad" ] || fail "refusing $archive: it holds $bad"
bad=$(awk '
  substr($1, 1, 1) != "-" && substr($1, 1, 1) != "d" { print "a link or special file: " $0; exit }
  / link to / { print "a hard link: " $0; exit }' "$work/kinds")
[ -z "$bad" ] || fail "refusing $archive: it holds $bad"

# The outermost folder of $1 that does not exist yet (empty when $1 exists): what a failed run takes back.
outermost_missing() {
  missing=
  d=$1
  while [ ! -d "$d" ]; do missing=$d; d=$(dirname "$d"); done
  printf '%s' "$missing"
}
made_lib=$(outermost_missing "$lib")
(umask 022 && mkdir -p "$lib") 2>/dev/null || fail "cannot make $lib: permission denied or read-only"
made_bin=$(outermost_missing "$bin")
(umask 022 && mkdir -p "$bin") 2>/dev/null || fail "cannot make $bin: permission denied or read-only"

# unpacked beside the target (the same file system) so that the rename into place is one step
staging=$(mktemp -d "$lib/.install-$version.XXXXXX" 2>/dev/null) || fail "cannot write in $lib: permission denied or read-only"
# -o: the files are the installing user's, never the uids the archive names (root's tar would keep them)
(cd "$staging" && tar -xozf "$work/$archive") 2>"$work/tar.err" \
  || fail "cannot unpack $archive into $lib: $(tail -n 1 "$work/tar.err")"
# what tar made is checked again: only lathe-V/ and, under it, no link of any kind
[ "$(ls -A "$staging")" = "$top" ] || fail "refusing $archive: it unpacked to more than $top/"
[ -z "$(find "$staging/$top" -type l -print | head -n 1)" ] || fail "refusing $archive: it unpacked a link"
[ -x "$staging/$top/bin/lathe" ] || fail "refusing $archive: it has no $top/bin/lathe"
chmod -R u+rwX,go+rX,go-w,ug-s "$staging/$top"
# the installed files are read-only: nothing writes inside an install folder (the launcher's caches live in the user's)
find "$staging/$top" -type f -exec chmod a-w {} +

if [ -d "$target" ]; then
  # the same version again: the old folder is swapped out, then removed; on a failed swap it is put back
  old=$lib/.old-$version.$$
  mv "$target" "$old" || fail "cannot replace $target"
  if ! mv "$staging/$top" "$target"; then mv "$old" "$target"; fail "cannot move the new $version into $target"; fi
  chmod -R u+w "$old" 2>/dev/null || true
  rm -rf "$old"
else
  mv "$staging/$top" "$target" || fail "cannot move $version into $target"
  placed=$target
fi
rmdir "$staging"
staging=

# the link is made beside the old one and renamed over it: PREFIX/bin/lathe is never missing
link_tmp=$bin/.lathe.$$
ln -s "$target/bin/lathe" "$link_tmp" || fail "cannot make a link in $bin"
mv -f "$link_tmp" "$link" || fail "cannot replace $link"
link_tmp=
placed=
made_lib=
made_bin=

# shellcheck disable=SC2016 # $PATH is printed as written: the user pastes the line into their shell
case ":${PATH:-}:" in
  *":$bin:"*) printf 'lathe %s installed in %s (%s)\n' "$version" "$target" "$link" ;;
  *) printf 'lathe %s installed in %s; add %s to your PATH: export PATH="%s:$PATH"\n' "$version" "$target" "$bin" "$bin" ;;
esac
