#!/bin/sh
# Instructions per packet of pipe_bench's worlds, counted by callgrind
# (deterministic, unlike CPU time on a shared machine; docs/BENCHMARKS.md).
#
#   bench/pipe_callgrind.sh PIPE_BENCH [pipe_bench options]
#   e.g. bench/pipe_callgrind.sh build/bench/bench/pipe_bench --packets 20000
#
# Runs PIPE_BENCH --callgrind under valgrind --tool=callgrind with
# collection off: pipe_bench turns it on around each world's timed part
# only and dumps it under a label ("<section> <world> n=<consumers>
# <srtp|plain> units=<packets received, or resent for nack>"). Prints, per
# dump, the instructions (Ir) in all, per unit and, with consumers, per
# forwarded packet (per unit / n). Needs valgrind, and a pipe_bench built
# where <valgrind/callgrind.h> was found. PIPE_CALLGRIND_KEEP=DIR keeps the
# dumps in DIR (for callgrind_annotate: what ran on the per-packet path).
set -eu

if [ $# -lt 1 ] || [ ! -x "$1" ]; then
  echo "usage: $0 PIPE_BENCH [pipe_bench options]" >&2
  exit 2
fi
bench=$1
shift
command -v valgrind > /dev/null || { echo "$0: valgrind not found" >&2; exit 2; }

if [ -n "${PIPE_CALLGRIND_KEEP:-}" ]; then
  dir=$PIPE_CALLGRIND_KEEP
  mkdir -p "$dir"
  rm -f "$dir"/cg.out*
else
  dir=$(mktemp -d)
  trap 'rm -rf "$dir"' EXIT
fi
valgrind --tool=callgrind --collect-atstart=no --callgrind-out-file="$dir/cg.out" \
  "$bench" --callgrind "$@" > "$dir/stdout" 2> "$dir/stderr" || {
  cat "$dir/stdout" "$dir/stderr" >&2
  exit 1
}

printf '%-34s %14s %10s %10s\n' "world" "Ir" "Ir/unit" "Ir/fwd"
# Dumps are numbered in the order they were made: cg.out.1, cg.out.2, ...
n=1
while [ -f "$dir/cg.out.$n" ]; do
  awk '
    /^desc: Trigger: Client Request: / { sub(/^desc: Trigger: Client Request: /, ""); label = $0 }
    /^totals: / { ir = $2 }
    END {
      units = label; sub(/.*units=/, "", units)
      cons = label; sub(/.* n=/, "", cons); sub(/ .*/, "", cons)
      world = label; sub(/ units=.*/, "", world)
      fwd = cons + 0 > 1 ? sprintf("%10.0f", ir / units / cons) : sprintf("%10s", "")
      printf "%-34s %14d %10.0f %s\n", world, ir, ir / units, fwd
    }' "$dir/cg.out.$n"
  n=$((n + 1))
done
