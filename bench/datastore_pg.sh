#!/usr/bin/env bash
# The datastore on PostgreSQL (figures for the closing note of the PostgreSQL issue), one run:
#   1. the 1,000,000-row register (gen_register.py) loaded by ODP into a typed, queryable table
#      of a throwaway PostgreSQL 15 cluster (odp_bench_ingest with ODP_BENCH_PG: two passes,
#      COPY, the folded text and its words made in C++), against `psql \copy` of the same file
#      into a table typed as far as PostgreSQL can read the file by itself (its two dd/mm/yyyy
#      dates as date with DateStyle DMY, the household size as integer; the Vietnamese numbers
#      "1.234.567" and "254,5" and có/không it cannot read, so those stay text); then ODP's
#      indexes, timed apart;
#   2. the same register imported into two portals, one on SQLite and one on PostgreSQL
#      (`odp import`), and datastore_search filtered on an indexed column, 100 rows, wrk -t1
#      -c64, on each: PostgreSQL's requests/s against SQLite's.
# Usage: bench/datastore_pg.sh [ROWS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rows=${1:-1000000}
dur=${DUR:-10}
work=$(mktemp -d /tmp/odp-dspg.XXXXXX)
chmod 755 "$work"
cleanup() {
  kill $(jobs -p) 2>/dev/null || true
  wait 2>/dev/null || true
  [[ -n "${ODP_PG_DIR:-}" ]] && bash "$root/scripts/pg-cluster.sh" stop "$ODP_PG_DIR"
  rm -rf "$work"
}
trap cleanup EXIT
cd "$root"
BUILD_TYPE=Release bash scripts/build.sh build-release -DODP_TESTS=OFF > /dev/null
odp=$root/build-release/odp
py=/usr/bin/python3
eval "$(bash scripts/pg-cluster.sh start)"
db="$ODP_TEST_PG"
secs() { echo "$2 - $1" | bc; }

csv=$work/register.csv
$py bench/gen_register.py "$csv" "$rows"
chmod 644 "$csv"
echo "== 1. ingest into PostgreSQL: $(stat -c %s "$csv") bytes, $rows rows"
psql "$db" -q <<'SQL'
CREATE TABLE plain (
  ma_ho text, ho_ten text, gioi_tinh text, ngay_sinh date, so_cccd text, dia_chi text, phuong_xa text,
  ma_don_vi text, nghe_nghiep text, so_nhan_khau integer, thu_nhap text, dien_tich text, loai_ho text,
  co_bhyt text, ngay_cap_nhat date);
SQL
sync
t0=$(date +%s.%N)
psql "$db" -q -c "SET datestyle = 'ISO, DMY'" -c "\\copy plain FROM '$csv' WITH (FORMAT csv, HEADER true)"
cp=$(secs "$t0" "$(date +%s.%N)")
echo "psql \\copy into a typed table: $(psql "$db" -Atc 'SELECT count(*) FROM plain') rows in ${cp} s"
psql "$db" -qc "DROP TABLE plain"
out=$(ODP_BENCH_PG="$db" "$root/build-release/odp_bench_ingest" "$work/ds" "$csv")
echo "$out" | grep -v '^  '
od=$(echo "$out" | awk '/^rows/ {print $6}')
idx=$(echo "$out" | awk '/^indexes/ {print $3}')
printf 'psql \\copy: %.2f s; odp ingest to a typed, queryable table: %.2f s = %.2f x\n' "$cp" "$od" "$(echo "$od / $cp" | bc -l)"
printf 'indexes (15 columns + GIN full text + ANALYZE) afterwards: %.2f s\n' "$idx"
psql "$db" -qc "DROP SCHEMA datastore CASCADE"

echo "== 2. datastore_search, SQLite and PostgreSQL portals, the same register"
filters=$($py -c 'import json, urllib.parse; print(urllib.parse.quote(json.dumps({"phuong_xa": "Phường Kim Long, thành phố Huế, tỉnh Thừa Thiên Huế"}, ensure_ascii=False)))')
measure() {  # $1 = name, rest = --db arguments
  local name=$1
  shift
  "$odp" init --data "$work/$name" --demo "$@" > /dev/null
  local slug=du-toan-ngan-sach-2025
  t0=$(date +%s.%N)
  "$odp" import "$csv" --data "$work/$name" "$@" --dataset "$slug" --resource "So ho dan" > "$work/$name-import.log"
  printf '%s: odp import (blob store, load, indexes) %.1f s\n' "$name" "$(secs "$t0" "$(date +%s.%N)")"
  "$odp" serve --data "$work/$name" "$@" --listen 127.0.0.1:0 > "$work/$name-serve.log" 2>&1 &
  local pid=$!
  for _ in $(seq 100); do grep -q "listening on" "$work/$name-serve.log" && break; sleep 0.1; done
  local port
  port=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$work/$name-serve.log" | grep -o '[0-9]*$')
  local base=http://127.0.0.1:$port
  local rid
  rid=$(curl -s "$base/api/3/action/package_show?id=$slug" | $py -c '
import json, sys
d = json.load(sys.stdin)["result"]
print([r["id"] for r in d["resources"] if r["name"] == "So ho dan"][0])')
  local search="/api/3/action/datastore_search?resource_id=$rid&filters=$filters&limit=100"
  curl -s "$base$search" | $py -c 'import json, sys; r = json.load(sys.stdin)["result"]; print("  total", r["total"], "first", r["records"][0]["_id"])'
  wrk -t1 -c64 -d${dur}s --latency "$base$search" > "$work/$name-wrk.txt"
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/$name-wrk.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$work/$name-wrk.txt")
  echo "$name: datastore_search $rps req/s, p99 $p99"
  echo "$rps" > "$work/$name.rps"
  kill $pid
  wait $pid 2>/dev/null || true
}
measure sqlite
measure postgresql --db "$db"
printf 'datastore_search on PostgreSQL / on SQLite: %.2f\n' "$(echo "$(cat "$work/postgresql.rps") / $(cat "$work/sqlite.rps")" | bc -l)"
