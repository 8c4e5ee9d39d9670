#!/usr/bin/env bash
# Datastore benchmarks, in one run (figures for the closing note):
#   - CSV ingest of a 1,000,000-row, 15-column Vietnamese register (gen_register.py) into a
#     typed, queryable table (odp_bench_ingest, the upload path), against
#     `sqlite3 .import --csv` of the same file into a fresh database (no schema, all text);
#   - peak memory of the ingest.
# Usage: bench/datastore.sh [ROWS]   (needs sqlite3 and python3)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rows=${1:-1000000}
work=$(mktemp -d /tmp/odp-dsbench.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$root"
BUILD_TYPE=Release bash scripts/build.sh build-release -DODP_TESTS=OFF > /dev/null
csv=$work/register.csv
python3 bench/gen_register.py "$csv" "$rows"
echo "file: $(stat -c %s "$csv") bytes, $rows rows"
sync
t0=$(date +%s.%N)
sqlite3 "$work/plain.db" ".import --csv $csv register" 2> "$work/sqlite3.err"
t1=$(date +%s.%N)
sq=$(echo "$t1 - $t0" | bc)
printf 'sqlite3 .import --csv: %.2f s\n' "$sq"
out=$(./build-release/odp_bench_ingest "$work/ds" "$csv")
echo "$out"
od=$(echo "$out" | awk '/^rows/ {print $6}')
printf 'odp ingest: %.2f s = %.2f x sqlite3 .import\n' "$od" "$(echo "$od / $sq" | bc -l)"
