#!/usr/bin/env bash
# Configures and builds ODP into BUILD_DIR (default build/) with ccache and two jobs.
# Usage: scripts/build.sh [BUILD_DIR] [extra cmake args…]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-build}
shift || true
cmake -S "$root" -B "$root/$dir" -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo} "$@" >/dev/null
cmake --build "$root/$dir" -j2
