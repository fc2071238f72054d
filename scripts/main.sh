#!/usr/bin/env bash
# The main job: install the Debian packages, build DriftLab in release mode, and regenerate
# the paper's figures from the project's data (data/figures.json says what each is drawn
# from; figures whose data does not exist yet are listed with the command that makes it).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
bash scripts/install-deps.sh
swift build -c release --product driftlab
.build/release/driftlab figures --out-dir figures
