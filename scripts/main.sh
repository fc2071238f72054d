#!/usr/bin/env bash
# The main job: install the Debian packages, build DriftLab in release mode, and run it on
# the built-in drifts (Mirror-Learning checks and derivative maps written to figures/).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
bash scripts/install-deps.sh
swift build -c release
bin=.build/release/driftlab
mkdir -p figures
for spec in ppo dpo lpo; do
  "$bin" drift check "$spec"
  "$bin" drift map "$spec" --csv "figures/map-$spec.csv" --resolution 201
done
