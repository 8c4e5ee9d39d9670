#!/usr/bin/env bash
# Datastore benchmarks, in one run (figures for the closing note):
#   1. CSV ingest of a 1,000,000-row, 15-column Vietnamese register (gen_register.py) into a
#      typed, queryable table (odp_bench_ingest, the upload path), against
#      `sqlite3 .import --csv` of the same file into a fresh database (no schema, all text);
#      then the per-column and full-text indexes, timed apart; peak memory of both.
#   2. The same table served by `odp serve` (loaded with `odp import`):
#      - datastore_search filtered on an indexed column, 100 rows, wrk -t1 -c64 (req/s, p99);
#      - the first page and the page at _id 900,000 by cursor (wrk -t1 -c1, mean latency);
#      - CSV export of the whole table (rows/s).
#   3. XLSX of the first XLSX_ROWS rows: our export (the dump path) and import (odp_bench_ingest)
#      against openpyxl write-only and read-only modes on the same rows.
#   4. With BIG_ROWS (e.g. 10000000, a 2.6 GB file): the load alone of that register, for its
#      peak memory (streaming: it must stay as low as for ROWS).
# Usage: bench/datastore.sh [ROWS] [XLSX_ROWS] [BIG_ROWS]
# Needs sqlite3, wrk, curl, bc and Debian's python3-openpyxl (scripts/install-deps.sh --test).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rows=${1:-1000000}
xrows=${2:-200000}
big=${3:-0}
dur=${DUR:-10}
work=$(mktemp -d /tmp/odp-dsbench.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
cd "$root"
BUILD_TYPE=Release bash scripts/build.sh build-release -DODP_TESTS=OFF > /dev/null
odp=$root/build-release/odp
ingest=$root/build-release/odp_bench_ingest
py=/usr/bin/python3
secs() { echo "$2 - $1" | bc; }

csv=$work/register.csv
$py bench/gen_register.py "$csv" "$rows"
echo "== 1. ingest: $(stat -c %s "$csv") bytes, $rows rows"
sync
t0=$(date +%s.%N)
sqlite3 "$work/plain.db" ".import --csv $csv register" 2> "$work/sqlite3.err"
sq=$(secs "$t0" "$(date +%s.%N)")
out=$("$ingest" "$work/ds" "$csv")
echo "$out" | grep -v '^  '
od=$(echo "$out" | awk '/^rows/ {print $6}')
idx=$(echo "$out" | awk '/^indexes/ {print $3}')
printf 'sqlite3 .import --csv: %.2f s; odp ingest to a typed table: %.2f s = %.2f x\n' "$sq" "$od" "$(echo "$od / $sq" | bc -l)"
printf 'indexes (15 columns + full text) afterwards: %.2f s; ingest + indexes = %.2f x sqlite3 .import\n' \
  "$idx" "$(echo "($od + $idx) / $sq" | bc -l)"
rm -rf "$work/ds" "$work/plain.db"

echo "== 2. queries over HTTP"
"$odp" init --data "$work/portal" --demo > /dev/null
slug=so-lieu-ho-dan
"$odp" serve --data "$work/portal" --listen 127.0.0.1:0 > "$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 50); do grep -q "listening on" "$work/serve.log" && break; sleep 0.1; done
port=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$work/serve.log" | grep -o '[0-9]*$')
slug=$(curl -s "http://127.0.0.1:$port/api/3/action/package_list?limit=1" | sed -E 's/.*"result":\["([^"]+)".*/\1/')
kill $pid; wait $pid 2>/dev/null || true
t0=$(date +%s.%N)
"$odp" import "$csv" --data "$work/portal" --dataset "$slug" --resource "So ho dan" > "$work/import.log"
printf 'odp import (copy into the blob store, load, indexes): %.2f s\n' "$(secs "$t0" "$(date +%s.%N)")"
"$odp" serve --data "$work/portal" --listen 127.0.0.1:0 > "$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 50); do grep -q "listening on" "$work/serve.log" && break; sleep 0.1; done
port=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$work/serve.log" | grep -o '[0-9]*$')
base=http://127.0.0.1:$port
rid=$(curl -s "$base/api/3/action/package_show?id=$slug" | $py -c '
import json, sys
d = json.load(sys.stdin)["result"]
print([r["id"] for r in d["resources"] if r["name"] == "So ho dan"][0])')
# A value of the ward column (phuong) that selects a few thousand rows; 100 of them per answer.
filters=$($py -c 'import json, urllib.parse; print(urllib.parse.quote(json.dumps({"phuong_xa": "Phường Kim Long, thành phố Huế, tỉnh Thừa Thiên Huế"}, ensure_ascii=False)))')
search="/api/3/action/datastore_search?resource_id=$rid&filters=$filters&limit=100"
total=$(curl -s "$base$search" | $py -c 'import json, sys; print(json.load(sys.stdin)["result"]["total"])')
echo "datastore_search filters={\"phuong_xa\":\"Phường Kim Long, …\"} limit=100 (of $total rows):"
wrk -t1 -c64 -d${dur}s --latency "$base$search" | grep -E 'Requests/sec|99%' | sed 's/^/  /'
first="/api/v1/resources/$rid/rows?limit=100&include_total=false"
cursor=$(printf '[900000]' | base64 -w0 | tr '+/' '-_' | tr -d '=')
deep="/api/v1/resources/$rid/rows?limit=100&include_total=false&cursor=$cursor"
curl -s "$base$deep" | $py -c 'import json, sys; r = json.load(sys.stdin)["rows"]; print("  deep page starts at _id", r[0]["_id"])'
f=$(wrk -t1 -c1 -d5s --latency "$base$first" | awk '/Requests\/sec/ {print $2}')
d=$(wrk -t1 -c1 -d5s --latency "$base$deep" | awk '/Requests\/sec/ {print $2}')
printf 'first page %s req/s, page at 900,000 by cursor %s req/s (one client): deep costs %.2f x the first\n' \
  "$f" "$d" "$(echo "$f / $d" | bc -l)"
# The client counts the lines as they arrive (what the server streams), then, apart, writes a file.
for run in 1 2 3; do
  t0=$(date +%s.%N)
  n=$(($(curl -s "$base/datastore/dump/$rid?format=csv" | wc -l) - 1))
  e=$(secs "$t0" "$(date +%s.%N)")
  printf 'CSV export, run %d: %d rows in %.2f s = %.0f rows/s (client counting lines)\n' "$run" "$n" "$e" \
    "$(echo "$n / $e" | bc -l)"
done
t0=$(date +%s.%N)
curl -s -o "$work/export.csv" "$base/datastore/dump/$rid?format=csv"
e=$(secs "$t0" "$(date +%s.%N)")
printf 'CSV export to a file on the same disk: %d bytes in %.2f s = %.0f rows/s\n' "$(stat -c %s "$work/export.csv")" "$e" \
  "$(echo "$n / $e" | bc -l)"
rm -f "$work/export.csv"

echo "== 3. XLSX, $xrows rows, against openpyxl"
t0=$(date +%s.%N)
curl -s -o "$work/ours.xlsx" "$base/datastore/dump/$rid?format=xlsx&limit=$xrows"
ox=$(secs "$t0" "$(date +%s.%N)")
kill $pid; wait $pid 2>/dev/null || true
head -n $((xrows + 1)) "$csv" > "$work/part.csv"
t0=$(date +%s.%N)
# openpyxl gets the same typed values (numbers, dates, booleans), converted before its clock starts.
$py - "$work/part.csv" "$work/openpyxl.xlsx" > "$work/openpyxl-write.txt" <<'PY'
import csv, datetime, sys, time, openpyxl
def vn_number(s):
    return float(s.replace(".", "").replace(",", "."))
def value(c, s):
    if s == "":
        return None
    if c in (3, 14):
        d, m, y = s.split("/")
        return datetime.date(int(y), int(m), int(d))
    if c == 9:
        return int(s)
    if c == 10:
        return int(s.replace(".", ""))
    if c == 11:
        return vn_number(s)
    if c == 13:
        return s == "có"
    return s
with open(sys.argv[1], encoding="utf-8") as f:
    rows = list(csv.reader(f))
typed = [rows[0]] + [[i + 1] + [value(c, s) for c, s in enumerate(r)] for i, r in enumerate(rows[1:])]
typed[0] = ["_id"] + typed[0]
t = time.monotonic()
wb = openpyxl.Workbook(write_only=True)
ws = wb.create_sheet("Dữ liệu")
for row in typed:
    ws.append(row)
wb.save(sys.argv[2])
print(time.monotonic() - t)
PY
px=$(cat "$work/openpyxl-write.txt")
printf 'export: odp %.2f s over HTTP (typed cells, widths, frozen bold header), openpyxl write-only %.2f s (the same typed values): %.1f x faster\n' \
  "$ox" "$px" "$(echo "$px / $ox" | bc -l)"
t0=$(date +%s.%N)
iout=$("$ingest" "$work/dsx" "$work/ours.xlsx")
oi=$(echo "$iout" | awk '/^rows/ {print $6}')
$py - "$work/ours.xlsx" <<'PY' > "$work/openpyxl-read.txt"
import sys, time, openpyxl
t = time.monotonic()
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
n = 0
for row in wb.active.iter_rows(values_only=True):
    n += 1
print(n, time.monotonic() - t)
PY
pi=$(awk '{print $2}' "$work/openpyxl-read.txt")
sc=$("$ingest" --scan "$work/ours.xlsx" | awk '/^scan/ {print $5}')
printf 'import, reading every cell: odp %.2f s, openpyxl read-only %.2f s: %.1f x faster\n' "$sc" "$pi" "$(echo "$pi / $sc" | bc -l)"
printf 'import into a typed, queryable table: odp %.2f s (%s): %.1f x faster than openpyxl only iterating the cells\n' \
  "$oi" "$(echo "$iout" | awk '/^rows/ {print $2 " rows, peak " $8 " MB"}')" "$(echo "$pi / $oi" | bc -l)"

if ((big > 0)); then
  echo "== 4. memory: the load of $big rows"
  rm -f "$work/part.csv" "$work"/*.xlsx
  $py bench/gen_register.py "$work/big.csv" "$big"
  echo "file: $(stat -c %s "$work/big.csv") bytes"
  "$ingest" "$work/dsbig" "$work/big.csv" --load-only | grep '^rows'
  rm -rf "$work/dsbig" "$work/big.csv"
fi
