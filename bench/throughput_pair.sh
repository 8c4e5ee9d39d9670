#!/usr/bin/env bash
# Throughput of two binaries on the same machine in the same run: package_show (anonymous, a
# public demo dataset) and datastore_search (anonymous, a demo resource with a table, its first
# 100 rows), wrk -t1 -c32 -d10s, baseline and new alternating, three runs each; prints every run,
# the medians and new/baseline (target: new no more than 5 % lower).
# Each binary serves a demo portal of its own (made by itself); both servers stay up, and only
# the one being measured gets requests. A 2 s warm-up precedes each server's first run.
# Usage: [ODP_BIN=...] BASELINE_BIN=... [DUR=10] [CONNS=32] bench/throughput_pair.sh
source "$(dirname "$0")/common.sh"
[[ -n ${BASELINE_BIN:-} ]] || { echo "BASELINE_BIN: the binary to compare with" >&2; exit 1; }
dur=${DUR:-10}
conns=${CONNS:-32}
declare -A url
for who in baseline new; do
  [[ $who == new ]] && bin=$odp || bin=$BASELINE_BIN
  new_portal "$bin" "$work/portal-$who"
  start_odp "$bin" "$work/portal-$who"
  demo_ids "$base"
  url[$who.show]="$base/api/3/action/package_show?id=$slug"
  url[$who.ds]="$base/api/3/action/datastore_search?resource_id=$rid"
  for k in show ds; do
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
  for k in show ds; do run baseline $k; run new $k; done
done
echo "== medians"
for k in show ds; do
  b=$(median3 $(awk -v k=$k '$1 == "baseline" && $2 == k {print $3}' "$work/runs.txt"))
  n=$(median3 $(awk -v k=$k '$1 == "new" && $2 == k {print $3}' "$work/runs.txt"))
  ratio=$(echo "$n / $b" | bc -l)
  name=$([[ $k == show ]] && echo package_show || echo datastore_search)
  printf '%-17s baseline %10.0f  new %10.0f req/s  new/baseline %.3f  %s\n' "$name" "$b" "$n" "$ratio" \
    "$( (($(echo "$ratio >= 0.95" | bc -l))) && echo PASS || echo 'FAIL (more than 5 % lower)')"
done
