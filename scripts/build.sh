#!/usr/bin/env bash
# Configures and builds ODP into BUILD_DIR (default build/) with ccache and two jobs.
# The pages embed htmx, Chart.js and Leaflet (with leaflet.markercluster) from the npm packages
# pinned in package-lock.json, so npm runs first when node_modules lacks any of them.
# Usage: scripts/build.sh [BUILD_DIR] [extra cmake args…]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-build}
shift || true
if [[ ! -f "$root/node_modules/htmx.org/dist/htmx.min.js" || ! -f "$root/node_modules/chart.js/dist/chart.umd.min.js" ||
      ! -f "$root/node_modules/leaflet/dist/leaflet.js" ||
      ! -f "$root/node_modules/leaflet.markercluster/dist/leaflet.markercluster.js" ]]; then
  (cd "$root" && npm ci --no-audit --no-fund --loglevel=error)
fi
cmake -S "$root" -B "$root/$dir" -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo} "$@" >/dev/null
cmake --build "$root/$dir" -j2
