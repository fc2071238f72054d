#!/usr/bin/env bash
# Machine instructions per training update (rollout + advantages + epochs of minibatches),
# counted by valgrind's callgrind: repeatable for the same binary whatever else the machine
# is doing, unlike seconds on this shared VM. Compares two binaries side by side, e.g. before
# and after an optimisation.
#
# `driftlab bench train --env ENV --updates N` runs one untimed warm-up update and N timed
# ones. It runs under callgrind with N = 1 and N = 3; the difference of the two totals over 2
# is the cost of one update, start-up and set-up cancelled out.
# Usage: scripts/train-instructions.sh ENV BINARY [BINARY...]
#   e.g. scripts/train-instructions.sh breakout /path/old/driftlab .build/release/driftlab
# Needs valgrind (apt-get install valgrind). A Breakout update takes about a minute under it.
set -euo pipefail
env=${1:?usage: scripts/train-instructions.sh ENV BINARY [BINARY...]}
shift
[ $# -ge 1 ] || { echo "train-instructions: give at least one driftlab binary" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "train-instructions: valgrind is not installed (apt-get install valgrind)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# valgrind 3.19 cannot read the DWARF 5 debug info clang writes, so each binary is measured
# as a copy without debug info (`strip -g` keeps the symbols), its resources beside it.
stripped() { # binary index -> path of a debug-info-free copy
  mkdir -p "$work/$2"
  cp "$1" "$work/$2/driftlab"
  cp -r "$(dirname "$1")"/*.resources "$work/$2/" 2>/dev/null || true
  strip -g "$work/$2/driftlab"
  echo "$work/$2/driftlab"
}
count() { # binary updates -> total instructions
  valgrind --tool=callgrind --callgrind-out-file="$work/out" "$1" bench train --env "$env" --updates "$2" \
    >/dev/null 2>"$work/log" || { cat "$work/log" >&2; exit 1; }
  grep -o 'Collected : [0-9]*' "$work/log" | awk '{print $3}'
}
printf '%-40s %18s\n' binary instructions/update
first=""
index=0
for bin in "$@"; do
  index=$((index + 1))
  copy=$(stripped "$bin" "$index")
  one=$(count "$copy" 1)
  three=$(count "$copy" 3)
  per=$(( (three - one) / 2 ))
  [ -z "$first" ] && first=$per
  awk -v b="$bin" -v p="$per" -v f="$first" 'BEGIN { printf "%-40s %18d  (%.3fx the first)\n", b, p, p / f }'
done
