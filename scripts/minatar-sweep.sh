#!/usr/bin/env bash
# Trains the MinAtar runs behind Figure 7 (return over training on Breakout, Asterix, Freeway
# and SpaceInvaders; PPO vs LPO vs DPO): minatar preset, gymnax convention, 1e7 steps each,
# into data/runs/minatar/<game>-<drift>/<seed>.h5. Running it again continues interrupted
# runs from their checkpoints and skips finished ones; finished runs are compacted.
# Usage: scripts/minatar-sweep.sh [SEEDS] [DRIFT...]   (default: seeds 0-2; drifts ppo dpo;
#        a drift file such as data/lpo.h5 is named after the file)
# GAMES="..." limits the games (default all four), e.g. to run two halves side by side.
# DRIFTLAB=/path/to/driftlab uses that binary instead of building one (a copy outside .build
# keeps the sweep safe from rebuilds while it runs).
set -uo pipefail
cd "$(dirname "$0")/.."
seeds=${1:-0-2}
shift || true
drifts=("$@")
[ ${#drifts[@]} -eq 0 ] && drifts=(ppo dpo)
bin=${DRIFTLAB:-}
if [ -z "$bin" ]; then
  swift build -c release --product driftlab >/dev/null || exit 1
  bin=.build/release/driftlab
fi
status=0
read -r -a games <<< "${GAMES:-breakout asterix freeway space-invaders}"
for game in "${games[@]}"; do
  for drift in "${drifts[@]}"; do
    name=$(basename "$drift" .h5)
    "$bin" train --env "$game" --drift "$drift" --seeds "$seeds" \
      --out-dir "data/runs/minatar/$game-$name" --quiet || status=1
    "$bin" runs compact "data/runs/minatar/$game-$name"/*.h5 >/dev/null || status=1
  done
done
exit $status
