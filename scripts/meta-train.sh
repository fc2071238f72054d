#!/usr/bin/env bash
# Discovers the project's drifts with Evolution Strategies on a 2-core CPU, in resumable
# pieces: each call continues data/meta/<name>.h5 from its last generation (the file holds
# the ES state), so the job can be stopped at any time and picked up in a later session.
#
#   lpo-breakout  PPO-initialised LPO on MinAtar Breakout (issue 13): the minatar preset at 1e6
#             steps per inner run (where PPO scores 16.7 +- 3.7 and no trust region 0.3, 5 seeds:
#             scripts/inner-task-probe.sh), population 16, 32 evaluation episodes, 300
#             generations. WORKERS=N sets the parallel inner runs (default: all cores).
#   lpo-breakout-s0.1  the same inner task, ES seed 1, at a constant sigma of 0.1. At lpo-breakout's
#             final mean, driftlab meta-signal measured a signal fraction of -0.13 [-0.49, 0.25] at
#             its own sigma (0.0296) and 0.73 [0.38, 0.90] at sigma 0.1
#             (data/meta/lpo-breakout-signal-s0.1.json): the inner-seed noise drowned the smaller
#             perturbations, so this run keeps sigma at 0.1 for all 300 generations.
#   lpo-breakout-space-invaders  two inner tasks, Breakout and SpaceInvaders (returns z-scored
#             per task across the population), 1e6 steps with the learning rate held constant
#             (annealLearningRate=false), population 16, sigma 0.1 constant, ES seed 2.
#             lpo-breakout-s0.1 beat PPO on Breakout at 1e7 steps but fell behind it on all
#             three games it never saw; at 1e6 steps with the preset's annealing it had tied or
#             beaten PPO on those games, with a constant learning rate (as over the first 1e6
#             steps of a 1e7-step run) it fell behind on them as at 1e7
#             (sweeps/probe-heldout-1e6.toml, sweeps/probe-no-anneal-1e6.toml). This run asks
#             whether that inner setting and a second game keep the drift general. Asterix and
#             Freeway stay held out.
#   lpo       PPO-initialised LPO (8-128-1 tanh + PPO term), inner task CartPole, 5e4 steps
#             per inner run (classic-control preset), population 32, 220 generations
#   lpo-zero  LPO-Zero (8-256-256-1 ReLU, no PPO term), inner tasks CartPole and Acrobot
#             (returns z-scored per task), 5e4 steps at a 10x learning rate (2.5e-3),
#             population 16, 150 generations (data/lpo-zero.h5 holds the first 40). At the preset's learning rate no drift at all
#             (plain policy gradient) is as good as PPO on these tasks: ES walked into the
#             region where the network's output stays below xi, every member then trained
#             identically and the ES gradient vanished (seen after 6 generations). At 2.5e-3
#             PPO reaches 434 +- 29 on CartPole and plain policy gradient 261 +- 86, so a
#             drift has something to do.
#
# Cost: a CartPole or Acrobot inner run of 5e4 steps takes about 1 s on one core, so an LPO
# generation (32 members) takes about 16 s on 2 cores (220 generations: about 1 h) and an
# LPO-Zero generation (16 members x 2 tasks, Acrobot runs are slower) about 25-30 s (40 generations: about 20 min).
# The paper ran 672 (LPO) and ~400 (LPO-Zero) generations of 30M-step inner runs on GPUs/TPUs.
# GENERATIONS=N overrides the total (a finished run is extended, a running one ended early).
# When a run reaches its last generation, copy it to where the figures read it: lpo-breakout
# became data/lpo.h5 (the CartPole `lpo` run is kept as data/lpo-cartpole.h5), lpo-zero
# becomes data/lpo-zero.h5.
# Usage: scripts/meta-train.sh lpo-breakout|lpo-breakout-s0.1|lpo-breakout-space-invaders|lpo|lpo-zero
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: scripts/meta-train.sh lpo-breakout|lpo-breakout-s0.1|lpo-breakout-space-invaders|lpo|lpo-zero}
workers=(); [ -n "${WORKERS:-}" ] && workers=(--workers "$WORKERS")
bin=${DRIFTLAB:-}
if [ -z "$bin" ]; then swift build -c release --product driftlab >/dev/null; bin=.build/release/driftlab; fi
mkdir -p data/meta
out="data/meta/$name.h5"
case "$name" in
  lpo-breakout|lpo-breakout-s0.1|lpo-breakout-space-invaders) generations=${GENERATIONS:-300} ;;
  lpo) generations=${GENERATIONS:-220} ;;
  lpo-zero) generations=${GENERATIONS:-150} ;;
  *) echo "unknown drift '$name' (lpo-breakout, lpo-breakout-s0.1, lpo-breakout-space-invaders, lpo or lpo-zero)" >&2; exit 2 ;;
esac
# Each entry is the whole command of its run: rerun, it continues the file from its last
# generation (with the kernels the file was begun with, blas_core), and meta-train refuses a
# file whose settings differ from the command's. The CartPole and LPO-Zero runs were made when
# meta-training ran one minibatch shard, so their commands say so.
case "$name" in
  lpo-breakout) exec "$bin" meta-train --env breakout --drift lpo --generations "$generations" --population 16 \
         --inner-steps 1000000 --eval-episodes 32 --seed 0 --out "$out" "${workers[@]}" ;;
  lpo-breakout-s0.1) exec "$bin" meta-train --env breakout --drift lpo --generations "$generations" --population 16 \
         --inner-steps 1000000 --eval-episodes 32 --sigma 0.1 --sigma-decay 1 --seed 1 --out "$out" "${workers[@]}" ;;
  lpo-breakout-space-invaders) exec "$bin" meta-train --env breakout --env space-invaders --drift lpo \
         --generations "$generations" --population 16 --inner-steps 1000000 --set annealLearningRate=false --eval-episodes 32 \
         --sigma 0.1 --sigma-decay 1 --seed 2 --out "$out" "${workers[@]}" ;;
  lpo) exec "$bin" meta-train --env cartpole --drift lpo --generations "$generations" --population 32 \
         --inner-steps 50000 --set minibatchShards=1 --eval-episodes 16 --seed 0 --out "$out" "${workers[@]}" ;;
  lpo-zero) exec "$bin" meta-train --env cartpole --env acrobot --drift lpo-zero --generations "$generations" --population 16 \
         --inner-steps 50000 --set learningRate=0.0025 --set minibatchShards=1 --eval-episodes 16 --seed 0 \
         --out "$out" "${workers[@]}" ;;
  *) echo "unknown drift '$name'" >&2; exit 2 ;;
esac
