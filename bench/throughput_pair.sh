#!/usr/bin/env bash
# Two binaries on the same machine in the same run, baseline and new alternating, three runs
# each; prints every run, the medians and new/baseline (target: new no more than 5 % worse).
#   1. Throughput (wrk -t1 -c32 -d10s): package_show (anonymous, a public demo dataset),
#      package_search (anonymous, a Vietnamese query with five facets) and datastore_search
#      (anonymous, a demo resource with a table, its first 100 rows).
#   2. With INGEST_ROWS > 0 (default 200000): `odp import` of a gen_register.py CSV of that many
#      rows into each portal (the CSV ingest path), then the whole table exported over HTTP as
#      CSV and as XLSX (/datastore/dump), and `odp import` of that XLSX (the workbook ingest
#      path; both import the baseline's first export), each timed with the wall clock.
# Each binary serves a demo portal of its own (made by itself); both servers stay up, and only
# the one being measured gets requests. A 2 s warm-up precedes each server's first run.
# Usage: [ODP_BIN=...] BASELINE_BIN=... [DUR=10] [CONNS=32] bench/throughput_pair.sh
source "$(dirname "$0")/common.sh"
[[ -n ${BASELINE_BIN:-} ]] || { echo "BASELINE_BIN: the binary to compare with" >&2; exit 1; }
dur=${DUR:-10}
conns=${CONNS:-32}
declare -A url portal base_of
for who in baseline new; do
  [[ $who == new ]] && bin=$odp || bin=$BASELINE_BIN
  new_portal "$bin" "$work/portal-$who"
  start_odp "$bin" "$work/portal-$who"
  demo_ids "$base"
  url[$who.show]="$base/api/3/action/package_show?id=$slug"
  url[$who.ds]="$base/api/3/action/datastore_search?resource_id=$rid"
  url[$who.search]="$base/api/3/action/package_search?q=$(urlencode "giáo dục")&facet.field=$(urlencode '["organization","groups","tags","res_format","license_id"]')"
  portal[$who]=$work/portal-$who
  base_of[$who]=$base
  for k in show search ds; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "${url[$who.$k]}")
    [[ $code == 200 ]] || { echo "$who $k: ${url[$who.$k]} answered $code" >&2; exit 1; }
    wrk -t1 -c$conns -d2s "${url[$who.$k]}" > /dev/null
  done
  echo "$who: $bin (pid $pid), package_show?id=$slug, datastore_search?resource_id=$rid"
done
run() {  # $1 = who, $2 = show|ds: prints req/s, remembers it
  local out r p99 n2
  out=$(wrk -t1 -c$conns -d${dur}s --latency "${url[$1.$2]}")
  r=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  n2=$(echo "$out" | awk '/Non-2xx/ {print "; non-2xx " $5}')
  printf '  %-8s %-16s %10s req/s  p99 %s%s\n' "$1" "$2" "$r" "$p99" "$n2"
  echo "$1 $2 $r" >> "$work/runs.txt"
}
echo "== wrk -t1 -c$conns -d${dur}s, alternating"
for round in 1 2 3; do
  echo "round $round"
  for k in show search ds; do run baseline $k; run new $k; done
done
ingest_rows=${INGEST_ROWS:-200000}
if ((ingest_rows > 0)); then
  python3 "$root/bench/gen_register.py" "$work/register.csv" "$ingest_rows"
  echo "== import and export of a $ingest_rows-row CSV ($(stat -c %s "$work/register.csv") bytes), alternating"
  timed() {  # $1 = who, $2 = what, then the command: prints and remembers its wall-clock seconds
    local who=$1 what=$2 t0 t1
    shift 2
    t0=$(date +%s.%N)
    "$@" > /dev/null 2>> "$work/timed.err" || { echo "$who $what failed" >&2; cat "$work/timed.err" >&2; exit 1; }
    t1=$(date +%s.%N)
    printf '  %-8s %-10s %8.2f s\n' "$who" "$what" "$(echo "$t1 - $t0" | bc -l)"
    echo "$who $what $(echo "$t1 - $t0" | bc -l)" >> "$work/runs.txt"
  }
  for round in 1 2 3; do
    echo "round $round"
    for who in baseline new; do
      [[ $who == new ]] && bin=$odp || bin=$BASELINE_BIN
      timed "$who" ingest "$bin" import --data "${portal[$who]}" --dataset "$slug" \
        --resource "bench-$round" "$work/register.csv"
      r=$(curl -s "${base_of[$who]}/api/3/action/package_show?id=$slug" | python3 -c '
import json, sys
for r in json.load(sys.stdin)["result"]["resources"]:
    if r["name"] == sys.argv[1] and r.get("datastore_active"): print(r["id"])' "bench-$round")
      [[ -n $r ]] || { echo "$who: resource bench-$round has no table after import" >&2; exit 1; }
      timed "$who" csv curl -sf -o "$work/out.csv" "${base_of[$who]}/datastore/dump/$r?format=csv"
      timed "$who" xlsx curl -sf -o "$work/out.xlsx" "${base_of[$who]}/datastore/dump/$r?format=xlsx"
      # Both import the same workbook: the first one exported (by the baseline).
      [[ -f $work/in.xlsx ]] || cp "$work/out.xlsx" "$work/in.xlsx"
      timed "$who" xlsx-in "$bin" import --data "${portal[$who]}" --dataset "$slug" \
        --resource "bench-xlsx-$round" "$work/in.xlsx"
    done
  done
fi
echo "== medians"
for k in show search ds; do
  b=$(median3 $(awk -v k=$k '$1 == "baseline" && $2 == k {print $3}' "$work/runs.txt"))
  n=$(median3 $(awk -v k=$k '$1 == "new" && $2 == k {print $3}' "$work/runs.txt"))
  ratio=$(echo "$n / $b" | bc -l)
  case $k in show) name=package_show ;; search) name=package_search ;; *) name=datastore_search ;; esac
  printf '%-17s baseline %10.0f  new %10.0f req/s  new/baseline %.3f  %s\n' "$name" "$b" "$n" "$ratio" \
    "$( (($(echo "$ratio >= 0.95" | bc -l))) && echo PASS || echo 'FAIL (more than 5 % lower)')"
done
if ((ingest_rows > 0)); then
  for k in ingest csv xlsx xlsx-in; do
    b=$(median3 $(awk -v k=$k '$1 == "baseline" && $2 == k {print $3}' "$work/runs.txt"))
    n=$(median3 $(awk -v k=$k '$1 == "new" && $2 == k {print $3}' "$work/runs.txt"))
    ratio=$(echo "$n / $b" | bc -l)
    printf '%-17s baseline %8.2f s  new %8.2f s  new/baseline %.3f  %s\n' "$k" "$b" "$n" "$ratio" \
      "$( (($(echo "$ratio <= 1.05" | bc -l))) && echo PASS || echo 'FAIL (more than 5 % slower)')"
  done
fi
