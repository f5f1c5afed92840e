#!/usr/bin/env bash
# build-libsrtp.sh: build libsrtp2 with its OpenSSL crypto backend, as a static
# library, from Debian's source package, into the build tree.
#
#   tools/build-libsrtp.sh [--prefix DIR] [--work-dir DIR] [--no-fetch] [--force]
#
# Why: Debian's binary libsrtp2 is built against NSS and costs ~4.9 us to
# protect a 1,200-byte packet, ~4.7x the ~1.0 us of the same library built
# with --enable-openssl (docs/field-notes.md, docs/BENCHMARKS.md). The build
# (cmake/BraidSrtp.cmake) links what this script installs and falls back to
# the NSS build, with a loud warning, only when it is missing.
#
# What it does, each step only when needed (a second run returns at once):
#   1. Returns if DIR/lib/libsrtp2.a is there, is a 2.5+ build and was made
#      with the options below (DIR/.braid-build records them).
#   2. If no source index is available, adds a deb-src twin of the machine's
#      own Debian entries (/etc/apt/sources.list.d/braid-deb-src.sources,
#      deb822) when no deb-src entry exists, and runs apt-get update.
#   3. apt-get source --download-only libsrtp2 into the work dir (kept, so
#      a rebuild needs no network), then dpkg-source -x (Debian's patches).
#   4. ./configure --enable-openssl --disable-pcap --prefix=DIR; make -j
#      libsrtp2.a; install into DIR.new; check that the library calls
#      OpenSSL's EVP and not NSS; rename DIR.new to DIR.
#
# Defaults: DIR = build/third_party/libsrtp2, work dir = build/third_party/src
# (environment: BRAID_LIBSRTP_DIR, BRAID_LIBSRTP_WORK, BRAID_DEV_JOBS).
# Steps 2-3 need root (CI runs as root) and Debian's mirrors; --no-fetch
# skips them and uses the source already in the work dir.
# Exits 0 when the library is in place, 1 (after a loud banner) otherwise.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PREFIX=${BRAID_LIBSRTP_DIR:-$ROOT/build/third_party/libsrtp2}
WORK=${BRAID_LIBSRTP_WORK:-$ROOT/build/third_party/src}
JOBS=${BRAID_DEV_JOBS:-$(nproc 2>/dev/null || echo 2)}
FETCH=1
FORCE=0

# The series we build against and the options we build with. Changing the
# options (or this line) makes the next run rebuild.
MIN_MINOR=5 # libsrtp2 2.5 or newer
CONFIGURE_OPTS=(--enable-openssl --disable-pcap)
STAMP="libsrtp2 static openssl: ${CONFIGURE_OPTS[*]} (configure adds -fPIC)"
SRC_LIST=/etc/apt/sources.list.d/braid-deb-src.sources

log() { printf '[build-libsrtp] %s\n' "$*" >&2; }

fail() {
  local bar='****************************************************************************'
  {
    printf '[build-libsrtp] %s\n' "$bar"
    printf '[build-libsrtp] WARNING: could not build libsrtp2 with its OpenSSL backend:\n'
    printf '[build-libsrtp]   %s\n' "$*"
    printf '[build-libsrtp] The build will FALL BACK to Debian'"'"'s NSS-backed libsrtp2, whose\n'
    printf '[build-libsrtp] SRTP costs ~5x more CPU per packet (docs/BENCHMARKS.md).\n'
    printf '[build-libsrtp] %s\n' "$bar"
  } >&2
  exit 1
}

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'
}

while [[ $# -gt 0 ]]; do
  case $1 in
    --prefix) PREFIX=${2:?}; shift ;;
    --work-dir) WORK=${2:?}; shift ;;
    --no-fetch) FETCH=0 ;;
    --force) FORCE=1 ;;
    -h|--help) usage; exit 0 ;;
    *) log "unknown option $1"; usage >&2; exit 2 ;;
  esac
  shift
done
PREFIX=$(realpath -m "$PREFIX")
WORK=$(realpath -m "$WORK")

# ---- step 1: already built? ---------------------------------------------------------

# True when a series-2.MIN_MINOR+ version string is given.
version_ok() {
  [[ $1 =~ ^2\.([0-9]+)(\.|$) ]] && ((BASH_REMATCH[1] >= MIN_MINOR))
}

is_built() {
  local pc=$PREFIX/lib/pkgconfig/libsrtp2.pc ver
  [[ -f $PREFIX/lib/libsrtp2.a && -f $PREFIX/include/srtp2/srtp.h && -f $pc &&
     -f $PREFIX/.braid-build ]] || return 1
  ver=$(sed -n 's/^Version: *//p' "$pc")
  version_ok "$ver" || return 1
  [[ $(head -n 1 "$PREFIX/.braid-build") == "$STAMP" ]]
}

if [[ $FORCE == 0 ]] && is_built; then
  log "libsrtp2 with OpenSSL already built in $PREFIX ($(sed -n 2p "$PREFIX/.braid-build"))"
  exit 0
fi

mkdir -p "$WORK" "$(dirname "$PREFIX")"
# One build at a time (braid-dev up and test may run side by side).
exec 9>"$WORK/.lock"
flock 9
if [[ $FORCE == 0 ]] && is_built; then
  log "libsrtp2 with OpenSSL built by another run in $PREFIX"
  exit 0
fi

for tool in dpkg-source make cc pkg-config nm; do
  command -v "$tool" >/dev/null 2>&1 ||
    fail "$tool not found (install dpkg-dev, build-essential, pkg-config and libssl-dev)"
done
pkg-config --exists 'libcrypto >= 1.1.0' || fail "OpenSSL's libcrypto not found (install libssl-dev)"

# ---- step 2: a deb-src entry --------------------------------------------------------

have_source_index() {
  apt-cache showsrc libsrtp2 2>/dev/null | grep -q '^Package: libsrtp2$'
}

# True if an enabled deb-src entry exists in any apt source file (one-line
# or deb822 format).
have_deb_src_entry() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f $f ]] && grep -Eq '^[[:space:]]*deb-src[[:space:]]' "$f" && return 0
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f $f ]] || continue
    awk 'BEGIN { RS = ""; found = 0 }
         { if ($0 ~ /(^|\n)Types:[^\n]*deb-src/ && $0 !~ /(^|\n)Enabled:[ \t]*no/) found = 1 }
         END { exit !found }' "$f" && return 0
  done
  return 1
}

# Prints deb822 deb-src stanzas mirroring the enabled "Types: deb" stanzas
# of Debian's own archives (URIs naming a debian archive) in the given
# deb822 files: every field but Types and Enabled is kept (URIs, Suites,
# Components, Signed-By, Check-Valid-Until, ...), with continuation lines.
twin_deb822() {
  awk '
    function flush(   i, out) {
      if (n > 0 && types ~ /(^|[ \t])deb([ \t]|$)/ && !disabled && uris ~ /debian/) {
        out = "Types: deb-src\n"
        for (i = 1; i <= n; i++) out = out field[i] "\n"
        printf "%s\n", out
      }
      n = 0; types = ""; uris = ""; disabled = 0
    }
    /^[ \t]*$/ { flush(); next }
    /^#/ { next }
    /^[ \t]/ { if (n > 0 && keep) field[n] = field[n] "\n" $0; next }
    {
      name = $0; sub(/:.*/, "", name); value = $0; sub(/^[^:]*:[ \t]*/, "", value)
      keep = 1
      if (name == "Types") { types = value; keep = 0 }
      else if (name == "Enabled") { disabled = (value == "no"); keep = 0 }
      else {
        if (name == "URIs") uris = value
        field[++n] = $0
      }
    }
    END { flush() }' "$@"
}

# Prints deb822 deb-src stanzas for the one-line "deb" entries of Debian's
# archives in the given files ("deb [signed-by=K ...] URI SUITE COMP...").
twin_one_line() {
  awk '
    $1 == "deb" {
      i = 2; signed = ""
      if ($2 ~ /^\[/) {
        while (i <= NF) {
          if ($i ~ /^\[?signed-by=/) { s = $i; sub(/^\[?signed-by=/, "", s); sub(/\]$/, "", s); signed = s }
          if ($i ~ /\]$/) { i++; break }
          i++
        }
      }
      if (i + 1 > NF || $i !~ /debian/) next
      printf "Types: deb-src\nURIs: %s\nSuites: %s\nComponents:", $i, $(i + 1)
      for (j = i + 2; j <= NF; j++) printf " %s", $j
      printf "\n"
      if (signed != "") printf "Signed-By: %s\n", signed
      printf "\n"
    }' "$@"
}

add_deb_src_entry() {
  local srcs=() lists=() f body
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f $f && $f != "$SRC_LIST" ]] && srcs+=("$f")
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f $f ]] && lists+=("$f")
  done
  body=""
  [[ ${#srcs[@]} -gt 0 ]] && body+=$(twin_deb822 "${srcs[@]}")
  [[ ${#lists[@]} -gt 0 ]] && body+=$'\n\n'$(twin_one_line "${lists[@]}")
  body=$(printf '%s\n' "$body" | cat -s | sed -e '/./,$!d')
  [[ -n $body ]] || fail "no Debian 'deb' entry in /etc/apt to mirror as deb-src"
  [[ $EUID -eq 0 ]] || fail "adding $SRC_LIST needs root (run as root, as CI does)"
  log "adding $SRC_LIST (deb-src twin of this machine's Debian entries)"
  {
    printf '# Added by Braid tools/build-libsrtp.sh so that `apt-get source libsrtp2` works:\n'
    printf "# the deb-src twin of this machine's own Debian entries. Safe to delete.\n\n"
    printf '%s\n' "$body"
  } >"$SRC_LIST.tmp"
  mv "$SRC_LIST.tmp" "$SRC_LIST"
}

find_dsc() {
  local d
  d=$(ls -1 "$WORK"/libsrtp2_*.dsc 2>/dev/null | sort -V | tail -n 1 || true)
  printf '%s' "$d"
}

fetch_source() {
  have_source_index || {
    [[ $EUID -eq 0 ]] || fail "apt-get update needs root (run as root, as CI does)"
    # apt-get update only when we just added the entry, or when a deb-src
    # entry exists but its index was never downloaded.
    have_deb_src_entry || add_deb_src_entry
    log "apt-get update (for the deb-src index)"
    DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 || fail "apt-get update failed"
    have_source_index || fail "apt-cache showsrc libsrtp2 finds nothing after apt-get update"
  }
  log "apt-get source --download-only libsrtp2 (into $WORK)"
  rm -f "$WORK"/libsrtp2_*
  (cd "$WORK" && apt-get source -q --download-only libsrtp2 >&2) || fail "apt-get source libsrtp2 failed"
}

# ---- step 3: the source -------------------------------------------------------------

DSC=$(find_dsc)
if [[ -z $DSC || $FORCE == 1 && $FETCH == 1 ]]; then
  [[ $FETCH == 1 ]] || fail "no libsrtp2 source in $WORK and --no-fetch was given"
  fetch_source
  DSC=$(find_dsc)
  [[ -n $DSC ]] || fail "apt-get source left no libsrtp2_*.dsc in $WORK"
fi
SRC_VERSION=$(sed -n 's/^Version: *//p' "$DSC" | head -n 1)
UPSTREAM=${SRC_VERSION#*:}
UPSTREAM=${UPSTREAM%-*}
version_ok "$UPSTREAM" || fail "Debian's libsrtp2 source is $SRC_VERSION; need 2.$MIN_MINOR or newer"

SRC=$WORK/libsrtp2-build
rm -rf "$SRC"
log "unpacking $(basename "$DSC") (with Debian's patches)"
dpkg-source -x "$DSC" "$SRC" >/dev/null 2>"$WORK/dpkg-source.log" ||
  fail "dpkg-source -x $DSC failed (see $WORK/dpkg-source.log)"

# ---- step 4: configure, build, install -----------------------------------------------

BUILD_LOG=$WORK/build.log
log "building libsrtp2 $SRC_VERSION with OpenSSL (log: $BUILD_LOG)"
(
  cd "$SRC"
  # Upstream's configure picks its optimisation flags and adds -fPIC when
  # CFLAGS is empty, so the library links into our PIE executables.
  env -u CFLAGS -u CPPFLAGS -u LDFLAGS ./configure --prefix="$PREFIX" "${CONFIGURE_OPTS[@]}"
  make -j "$JOBS" libsrtp2.a
) >"$BUILD_LOG" 2>&1 || { tail -n 30 "$BUILD_LOG" >&2; fail "configure/make failed (see $BUILD_LOG)"; }

rm -rf "$PREFIX.new"
make -C "$SRC" install prefix="$PREFIX.new" >>"$BUILD_LOG" 2>&1 ||
  fail "make install failed (see $BUILD_LOG)"

# The backend check: an OpenSSL build calls EVP_*, an NSS build PK11_*.
syms=$(nm "$PREFIX.new/lib/libsrtp2.a" 2>/dev/null || true)
grep -Eq ' U EVP_(CIPHER_CTX_new|EncryptInit_ex)$' <<<"$syms" ||
  fail "the library built in $PREFIX.new does not call OpenSSL's EVP"
if grep -Eq ' U PK11_' <<<"$syms"; then
  fail "the library built in $PREFIX.new calls NSS"
fi

printf '%s\n%s\n' "$STAMP" "Debian source libsrtp2 $SRC_VERSION" >"$PREFIX.new/.braid-build"
rm -rf "$PREFIX"
mv "$PREFIX.new" "$PREFIX"
log "libsrtp2 $SRC_VERSION with OpenSSL installed in $PREFIX"
