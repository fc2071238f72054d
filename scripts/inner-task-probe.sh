#!/usr/bin/env bash
# Chooses LPO's meta-training inner task by measurement (issue 13, step 1): for each candidate
# setting, trains 5 seeds each of PPO, no trust region (`lpo-zero` at its initial weights:
# f = 0, the plain policy gradient r*A) and DPO, then evaluates each final policy over 64
# stochastic episodes. A good inner task is one where PPO clearly beats no trust region (a
# drift has work to do) and DPO differs from PPO (headroom), at a cost a generation can pay.
# Runs land in data/runs/probe/<setting>/<game>-<label>/<seed>.h5; rerunning skips finished runs.
# Usage: scripts/inner-task-probe.sh SETTING GAME STEPS [key=value ...]
#   e.g. scripts/inner-task-probe.sh breakout-1e6 breakout 1000000
# DRIFTLAB=/path/to/driftlab uses that binary; SEEDS="0 1 2 3 4" chooses the seeds.
set -uo pipefail
cd "$(dirname "$0")/.."
setting=${1:?usage: scripts/inner-task-probe.sh SETTING GAME STEPS [key=value ...]}
game=${2:?game}
steps=${3:?steps}
shift 3
sets=()
for kv in "$@"; do sets+=(--set "$kv"); done
bin=${DRIFTLAB:-}
if [ -z "$bin" ]; then swift build -c release --product driftlab >/dev/null || exit 1; bin=.build/release/driftlab; fi
read -r -a seeds <<< "${SEEDS:-0 1 2 3 4}"
for label in ppo none dpo; do
  case $label in none) drift=lpo-zero ;; *) drift=$label ;; esac
  dir="data/runs/probe/$setting/$game-$label"
  mkdir -p "$dir"
  for seed in "${seeds[@]}"; do
    out="$dir/$seed.h5"
    if [ -f "$out.eval.json" ]; then continue; fi
    if [ -f "$out" ]; then
      "$bin" train --resume "$out" --quiet --parallelism 1 || exit 1
    else
      "$bin" train --env "$game" --drift "$drift" --steps "$steps" --seed "$seed" --out "$out" \
        --parallelism 1 --quiet "${sets[@]}" || exit 1
    fi
    "$bin" eval "$out" --episodes 64 --json > "$out.eval.json.tmp" && mv "$out.eval.json.tmp" "$out.eval.json"
    "$bin" runs compact "$out" >/dev/null
  done
done
for label in ppo none dpo; do
  printf '%-16s %-12s %-5s ' "$setting" "$game" "$label"
  cat data/runs/probe/"$setting"/"$game-$label"/*.eval.json | grep -o '"mean_return" : [-0-9.e]*' | awk '{s+=$3; ss+=$3*$3; n++} END {m=s/n; printf "%.2f ± %.2f (n=%d)\n", m, sqrt((ss/n-m*m)*n/(n-1)/n), n}'
done
