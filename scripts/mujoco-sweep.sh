#!/usr/bin/env bash
# PPO against DPO on MuJoCo continuous control (issue 5's first results): each task with its
# CPU-scaled Brax preset (1e6 steps, 64 environments; see `driftlab train --help` and
# TrainingPreset), 5 seeds, into data/runs/mujoco/<task>-<drift>/<seed>.h5. Running it again
# continues interrupted runs from their checkpoints and skips finished ones.
# Cost on this 2-core machine: about 4-7 minutes per run on one core (HalfCheetah ~2.4k and
# Hopper ~1.4k training steps per second under load), so the default 20 runs take ~1-2 hours.
# Usage: scripts/mujoco-sweep.sh [SEEDS] [TASK...]   (default: seeds 0-4; halfcheetah hopper)
# DRIFTLAB=/path/to/driftlab uses that binary instead of building one.
set -uo pipefail
cd "$(dirname "$0")/.."
seeds=${1:-0-4}
shift || true
tasks=("$@")
[ ${#tasks[@]} -eq 0 ] && tasks=(halfcheetah hopper)
bin=${DRIFTLAB:-}
if [ -z "$bin" ]; then
  swift build -c release --product driftlab >/dev/null || exit 1
  bin=.build/release/driftlab
fi
status=0
for task in "${tasks[@]}"; do
  for drift in ppo dpo; do
    "$bin" train --env "$task" --drift "$drift" --seeds "$seeds" --out-dir "data/runs/mujoco/$task-$drift" --quiet || status=1
  done
done
for task in "${tasks[@]}"; do
  for drift in ppo dpo; do
    printf '%-12s %-4s ' "$task" "$drift"
    "$bin" runs summary data/runs/mujoco/"$task-$drift"/*.h5 --curve eval_return || status=1
  done
done
exit $status
