#!/usr/bin/env bash
# Renders a notebook with `driftlab notebook render --html` and checks the page in headless
# Chromium: every image must decode (non-zero natural size). Skips (exit 0) where Chromium is
# absent. Usage: scripts/check-notebook-html.sh [NOTEBOOK.md] (default: notebooks-md/figure-5-dpo.md)
set -euo pipefail
cd "$(dirname "$0")/.."
notebook="${1:-notebooks-md/figure-5-dpo.md}"
# The binary: $DRIFTLAB, else `driftlab` on PATH, else the release or debug build here.
driftlab="${DRIFTLAB:-$(command -v driftlab || true)}"
for candidate in .build/release/driftlab .build/debug/driftlab; do
  if [[ -z "$driftlab" && -x "$candidate" ]]; then driftlab="$candidate"; fi
done
if [[ -z "$driftlab" ]]; then echo "no driftlab binary: build first (swift build -c release --product driftlab)"; exit 1; fi
chromium="$(command -v chromium || command -v chromium-browser || true)"
if [[ -z "$chromium" ]]; then echo "skipped: no chromium (apt-get install chromium)"; exit 0; fi
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
"$driftlab" notebook render "$notebook" --html "$work/page.html"
{ cat "$work/page.html"; echo '<script>addEventListener("load",()=>document.body.setAttribute("data-images",[...document.images].map(i=>i.naturalWidth+"x"+i.naturalHeight).join(",")))</script>'; } > "$work/probe.html"
images="$("$chromium" --headless --no-sandbox --disable-gpu --virtual-time-budget=5000 --dump-dom "file://$work/probe.html" 2>/dev/null \
  | grep -o 'data-images="[^"]*"' | sed 's/data-images="\(.*\)"/\1/')"
count="$(grep -o '<img ' "$work/page.html" | wc -l)"
echo "$notebook: $count images; decoded sizes in Chromium: ${images:-none}"
if [[ "$count" -eq 0 ]] || [[ "$images" == *"0x0"* ]] || [[ -z "$images" ]]; then echo "FAIL: an image did not load"; exit 1; fi
echo "ok"
