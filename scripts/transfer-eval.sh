#!/usr/bin/env bash
# Does the discovered drift transfer? Trains PPO, DPO and a drift file (default data/lpo.h5)
# for 10 seeds on the meta-training task and on tasks it never saw, then prints the final
# evaluation return (mean ± standard error over seeds) of each. Resumable like every
# `--seeds` run: finished seeds are skipped.
# Usage: scripts/transfer-eval.sh [DRIFT_FILE] [ENV...]   (default envs: cartpole acrobot space-invaders)
# STEPS=N trains every run for N steps instead of its preset's budget (the meta-training
# budget, 5e4 for data/lpo.h5, evaluates a drift where it was discovered); the runs then go
# to data/runs/transfer-<N>/. SET="key=value ..." adds hyperparameter overrides (as the
# meta-training run had them) and a -<key>-<value> suffix to the folder.
set -euo pipefail
cd "$(dirname "$0")/.."
drift_file=${1:-data/lpo.h5}
shift || true
envs=("$@")
[ ${#envs[@]} -eq 0 ] && envs=(cartpole acrobot space-invaders)
bin=${DRIFTLAB:-}
if [ -z "$bin" ]; then swift build -c release --product driftlab >/dev/null; bin=.build/release/driftlab; fi
steps=()
outdir=data/runs/transfer
if [ -n "${STEPS:-}" ]; then steps=(--steps "$STEPS"); outdir="data/runs/transfer-$STEPS"; fi
for pair in ${SET:-}; do steps+=(--set "$pair"); outdir="$outdir-${pair//=/-}"; done
for env in "${envs[@]}"; do
  for drift in ppo dpo "$drift_file"; do
    label=$(basename "$drift" .h5)
    "$bin" train --env "$env" --drift "$drift" --seeds 0-9 "${steps[@]}" --out-dir "$outdir/$env-$label" --quiet >/dev/null
    "$bin" runs compact "$outdir/$env-$label"/*.h5 >/dev/null
    printf '%-16s %-10s ' "$env" "$label"
    "$bin" runs summary "$outdir/$env-$label"/*.h5 --curve eval_return
  done
done
