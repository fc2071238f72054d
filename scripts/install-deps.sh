#!/usr/bin/env bash
# Installs the Debian packages DriftLab builds and runs against. Idempotent: packages that
# are already installed are left alone, and apt-get is only called when something is missing.
set -euo pipefail

packages=(
  pkg-config
  libopenblas-dev     # CBLAS: sgemm for every dense layer
  libhdf5-dev         # CHDF5: drift files, run files, ES state
  libcairo2-dev       # CCairo: figures (PNG, PDF, SVG) and env frames
  fonts-dejavu-core   # the font the figures are set in
  libmujoco-dev       # CMuJoCo: continuous-control tasks (MuJoCo 2.2.2)
  libopenmpi-dev      # CMPI: meta-training across machines
  openmpi-bin         # mpirun
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all Debian packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
