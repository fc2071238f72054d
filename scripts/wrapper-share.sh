#!/usr/bin/env bash
# What share of a MuJoCo environment step is spent outside the physics, counted in machine
# instructions (valgrind's callgrind) instead of seconds. This machine's speed drifts by tens
# of percent over seconds, so the wall-clock share that `driftlab bench env` reports moves by
# more than the wrapper costs; instruction counts repeat exactly for the same binary.
#
# For each task: `driftlab bench env TASK --one-core` under callgrind, collecting only inside
# the timed stepping loop (64 environments, random actions, observations, rewards, auto-reset,
# episode statistics), then
#   physics = instructions in mj_step + mj_rnePostConstraint (the task's contact forces),
#   wrapper share = 1 - physics / all instructions of the loop.
# Resets (mj_forward of the new episode's state) count as wrapper.
# Usage: scripts/wrapper-share.sh [TASK...]   (default: every MuJoCo task)
# Needs valgrind (apt-get install valgrind). DRIFTLAB=/path/to/driftlab uses that binary.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "wrapper-share: valgrind is not installed (apt-get install valgrind)" >&2; exit 1; }
tasks=("$@")
[ ${#tasks[@]} -eq 0 ] && tasks=(ant halfcheetah hopper walker2d humanoid reacher inverted-pendulum swimmer fetch ur5e grasp)
bin=${DRIFTLAB:-}
if [ -z "$bin" ]; then
  swift build -c release --product driftlab >/dev/null
  bin=.build/release/driftlab
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%-18s %16s %16s %9s\n' task instructions physics wrapper
for task in "${tasks[@]}"; do
  out="$work/$task.callgrind"
  valgrind --tool=callgrind --callgrind-out-file="$out" --toggle-collect='*EnvironmentBenchmark*measure*' \
    "$bin" bench env "$task" --one-core --seconds 1 >/dev/null 2>"$work/$task.log" \
    || { echo "wrapper-share: callgrind failed on $task (see below)" >&2; cat "$work/$task.log" >&2; exit 1; }
  callgrind_annotate --inclusive=yes --auto=no "$out" 2>/dev/null | awk -v task="$task" '
    function count(field) { gsub(",", "", field); return field + 0 }
    /PROGRAM TOTALS/ { total = count($1) }
    / \?\?\?:mj_step / { physics += count($1) }
    / \?\?\?:mj_rnePostConstraint / { physics += count($1) }
    END {
      if (total == 0 || physics == 0) { printf "%-18s no physics found in the profile\n", task; exit 1 }
      printf "%-18s %16.0f %16.0f %8.1f%%\n", task, total, physics, 100 * (1 - physics / total)
    }'
done
