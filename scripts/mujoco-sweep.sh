#!/usr/bin/env bash
# MuJoCo continuous control sweeps: each task with its CPU-scaled Brax preset (1e6 steps, 2e6
# for Humanoid and Grasp, 64 environments; see `driftlab train --help` and TrainingPreset),
# into data/runs/mujoco/<task>-<drift>/<seed>.h5 (a drift file such as data/lpo.h5 is named
# after the file). Running it again continues interrupted runs from their checkpoints and
# skips finished ones; finished runs are compacted (`driftlab runs compact`) so data/ stays
# small. Then prints the final evaluation return of each (mean ± standard error over seeds).
#   Issue 5's first results:  scripts/mujoco-sweep.sh                  (PPO vs DPO, seeds 0-4,
#                                                                        halfcheetah and hopper)
#   Figure 4 (Ant entropy):   DRIFTS="ppo data/lpo.h5 dpo" scripts/mujoco-sweep.sh 0-9 ant
#   Figure 6 (8 tasks):       DRIFTS="ppo data/lpo.h5 dpo" scripts/mujoco-sweep.sh 0-9 \
#                               grasp ant fetch reacher humanoid ur5e halfcheetah walker2d
# Cost on this 2-core machine, two runs side by side (one core each): HalfCheetah ~5 min,
# Hopper ~8 min, Ant ~13 min per run.
# Usage: scripts/mujoco-sweep.sh [SEEDS] [TASK...]   (default: seeds 0-4; halfcheetah hopper)
# DRIFTS="..." chooses the drifts (default "ppo dpo"). DRIFTLAB=/path/to/driftlab uses that
# binary instead of building one (a copy outside .build keeps the sweep safe from rebuilds).
set -uo pipefail
cd "$(dirname "$0")/.."
seeds=${1:-0-4}
shift || true
tasks=("$@")
[ ${#tasks[@]} -eq 0 ] && tasks=(halfcheetah hopper)
read -r -a drifts <<< "${DRIFTS:-ppo dpo}"
bin=${DRIFTLAB:-}
if [ -z "$bin" ]; then
  swift build -c release --product driftlab >/dev/null || exit 1
  bin=.build/release/driftlab
fi
status=0
for task in "${tasks[@]}"; do
  for drift in "${drifts[@]}"; do
    dir="data/runs/mujoco/$task-$(basename "$drift" .h5)"
    "$bin" train --env "$task" --drift "$drift" --seeds "$seeds" --out-dir "$dir" --quiet || status=1
    "$bin" runs compact "$dir"/*.h5 >/dev/null || status=1
  done
done
for task in "${tasks[@]}"; do
  for drift in "${drifts[@]}"; do
    name=$(basename "$drift" .h5)
    printf '%-12s %-4s ' "$task" "$name"
    "$bin" runs summary data/runs/mujoco/"$task-$name"/*.h5 --curve eval_return || status=1
  done
done
exit $status
