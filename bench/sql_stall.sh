#!/usr/bin/env bash
# Worst-case SQL must not stall the rest of the server (security issue 14, "Keep them closed"):
# 4 recursive queries that run until the SQL time limit, sent again and again from 4 loopback
# addresses (127.0.0.2-5: one client may run only 2 at once), while wrk measures p50/p99 of
#   /healthz, a REST search (/api/v1/datasets?q=giao duc) and an authenticated /api/v1/me
# (wrk -t1 -c4 --latency each, one after the other); the same with no SQL running first.
# Target: p99 < 100 ms for all three while the queries run.
# Usage: [ODP_BIN=...] [BASELINE_BIN=...] [DUR=10] bench/sql_stall.sh
#   ODP_BIN defaults to a Release build in build-release; with BASELINE_BIN, that binary is
#   measured too, in the same run (each binary on a demo portal of its own).
source "$(dirname "$0")/common.sh"
dur=${DUR:-10}
sql=$(urlencode 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c')

# One SQL client: sends the query again as soon as the previous answer arrives (1 s after a
# 429/503, as Retry-After asks), until $work/stop exists; logs status and seconds per query.
sql_client() {  # $1 = source address
  while [[ ! -e $work/stop ]]; do
    local r
    r=$(curl -s -o /dev/null --interface "$1" -H "Authorization: $token" -w '%{http_code} %{time_total}' \
      --max-time 60 "$base/api/3/action/datastore_search_sql?sql=$sql" || echo "000 0")
    echo "$r" >> "$work/sql.$1.log"
    case ${r%% *} in 429|503) sleep 1 ;; esac
  done
}

# measure LABEL: the three endpoints, one wrk each; prints one line per endpoint.
measure() {
  local name path out p50 p99 rps errs
  for name in healthz search me; do
    case $name in
      healthz) path=/healthz ;;
      search) path="/api/v1/datasets?q=giao%20duc" ;;
      me) path=/api/v1/me ;;
    esac
    if [[ $name == me ]]; then
      out=$(wrk -t1 -c4 -d${dur}s --timeout 10s --latency -H "Authorization: $token" "$base$path")
    else
      out=$(wrk -t1 -c4 -d${dur}s --timeout 10s --latency "$base$path")
    fi
    p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
    p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    n=$(echo "$out" | awk '/requests in/ {print $1}')
    if [[ ${n:-0} == 0 ]]; then p50=none; p99=none; fi  # not one answer within the run
    errs=$(echo "$out" | grep -E 'Non-2xx|Socket errors' | tr -s ' ' | paste -sd ';' || true)
    printf '%-8s %-7s %-8s p50 %9s  p99 %9s  %9s req/s (%s answers)  %s\n' "$label" "$1" "$name" "$p50" "$p99" "$rps" "$n" "${errs:-no errors}"
    echo "$label $1 $name $p99" >> "$work/p99.txt"
  done
}

run_binary() {  # $1 = label, $2 = binary
  label=$1
  local dir=$work/portal-$1
  new_portal "$2" "$dir"
  add_token "$2" "$dir" benchuser
  start_odp "$2" "$dir"
  echo "== $label: $2 (pid $pid, port $port)"
  curl -s -o /dev/null "$base/api/v1/datasets?q=giao%20duc"
  measure "no SQL"
  rm -f "$work/stop" "$work"/sql.*.log
  for a in 127.0.0.2 127.0.0.3 127.0.0.4 127.0.0.5; do sql_client $a & done
  sleep 1
  measure "4 SQL"
  touch "$work/stop"
  # Answers of the SQL clients during the measurement (an answer arrives when the query hits
  # the time limit: 409 "Query took too long"; 429/503 are the server refusing more).
  cat "$work"/sql.*.log | awk -v l="$label" '{n[$1]++; if ($1 != "429" && $1 != "503") {t += $2; k++}}
    END {printf "%-8s SQL answers while measuring:", l; for (s in n) printf " %s x%d", s, n[s];
         if (k) printf "; mean time per answer, queueing included, %.2f s", t / k; print ""}'
  stop_odp
  wait 2>/dev/null || true
}

run_binary new "$odp"
[[ -n ${BASELINE_BIN:-} ]] && run_binary baseline "$BASELINE_BIN"
echo "== verdict (p99 < 100 ms with 4 SQL queries running)"
awk '$2 == "4" {
  v = $5; if (v == "none") { printf "%-8s %-8s p99     none (no answer in the run) FAIL\n", $1, $4; next }
  ms = v ~ /us$/ ? v / 1000 : v ~ /ms$/ ? v + 0 : v ~ /m$/ ? v * 60000 : v * 1000;
  printf "%-8s %-8s p99 %8.2f ms %s\n", $1, $4, ms, ms < 100 ? "PASS" : "FAIL" }' "$work/p99.txt"
