#!/usr/bin/env bash
# Discovers the project's drifts with Evolution Strategies on a 2-core CPU, in resumable
# pieces: each call continues data/meta/<name>.h5 from its last generation (the file holds
# the ES state), so the job can be stopped at any time and picked up in a later session.
#
#   lpo       PPO-initialised LPO (8-128-1 tanh + PPO term), inner task CartPole, 5e4 steps
#             per inner run (classic-control preset), population 32, 500 generations
#   lpo-zero  LPO-Zero (8-256-256-1 ReLU, no PPO term), inner tasks CartPole and Acrobot
#             (returns z-scored per task), 5e4 steps, population 32, 500 generations
#
# Cost: a CartPole inner run of 5e4 steps takes about 1 s on one core, so a generation of 32
# members takes about 16 s on 2 cores (LPO) and twice that for LPO-Zero's two tasks.
# When a run reaches its last generation, copy it to data/<name>.h5 (what the figures read).
# Usage: scripts/meta-train.sh lpo|lpo-zero
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: scripts/meta-train.sh lpo|lpo-zero}
bin=${DRIFTLAB:-}
if [ -z "$bin" ]; then swift build -c release --product driftlab >/dev/null; bin=.build/release/driftlab; fi
mkdir -p data/meta
out="data/meta/$name.h5"
if [ -f "$out" ]; then
  exec "$bin" meta-train --resume "$out"
fi
case "$name" in
  lpo) exec "$bin" meta-train --env cartpole --drift lpo --generations 500 --population 32 \
         --inner-steps 50000 --eval-episodes 16 --seed 0 --out "$out" ;;
  lpo-zero) exec "$bin" meta-train --env cartpole --env acrobot --drift lpo-zero --generations 500 --population 32 \
         --inner-steps 50000 --eval-episodes 16 --seed 0 --out "$out" ;;
  *) echo "unknown drift '$name' (lpo or lpo-zero)" >&2; exit 2 ;;
esac
