#!/usr/bin/env bash
# Source checks CI runs (STYLE.md rules 2 and 41): banned functions, and
# files over the size budget. Exits non-zero on a banned function; prints
# size offenders as warnings (a review smell, not a failure, below 1,500).
set -u
cd "$(dirname "$0")/.." || exit 2
status=0
files=$(git ls-files --cached --others --exclude-standard '*.c' '*.h' 2>/dev/null || find common proto controller mediad tools tests fuzz -name '*.[ch]')
banned='\b(sprintf|vsprintf|strcat|strncat|strcpy|gets|strtok)\s*\('
for f in $files; do
  [ -f "$f" ] || continue
  if grep -nE "$banned" "$f" | grep -v 'checksrc: allow'; then
    echo "checksrc: $f uses a banned function (sprintf, vsprintf, strcat, strncat, strcpy, gets, strtok)"
    status=1
  fi
  n=$(wc -l <"$f")
  if [ "$n" -gt 1500 ]; then
    echo "checksrc: $f has $n lines (over 1,500 needs a written reason)"
    grep -q 'checksrc: long-file' "$f" || status=1
  elif [ "$n" -gt 800 ]; then
    echo "checksrc: warning: $f has $n lines (800 is a review smell)"
  fi
done
[ $status -eq 0 ] && echo "checksrc: ok"
exit $status
