#!/usr/bin/env bash
# Writes PNG screenshots of the main pages of a demo portal into docs/screenshots/ (or the
# folder given as the first argument): desktop (1280 px) and phone (375 px) views.
# Needs the npm packages (npm ci) and Chromium (/usr/bin/chromium, or set CHROMIUM_BIN).
# Usage: scripts/screenshots.sh [output-dir]      (ODP_BIN defaults to build/odp)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export ODP_BIN="${ODP_BIN:-$root/build/odp}"
if [ ! -x "$ODP_BIN" ]; then
  echo "screenshots: no odp binary at $ODP_BIN (run scripts/build.sh or set ODP_BIN)" >&2
  exit 1
fi
exec node tests/browser/screenshots.mjs "${1:-$root/docs/screenshots}"
