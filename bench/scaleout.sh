#!/usr/bin/env bash
# Several servers on one PostgreSQL (figures for the closing note of the PostgreSQL issue):
#   1. 10,000 datasets loaded into a SQLite portal (odp_bench_load), then moved to a throwaway
#      PostgreSQL 15 cluster with `odp copy` (timed, verified by counts and checksums);
#   2. `package_show` of a public dataset, anonymous, wrk -t1 -c64, through nginx (Debian's,
#      2 workers) to ONE `odp serve`, and through a second nginx to TWO `odp serve` on the same
#      database and data directory; the two alternate, three runs each, medians compared;
#      one server without nginx for reference. Each server is pinned to one core (taskset), one
#      I/O thread and one worker, so that one server cannot use the whole machine by itself;
#   3. the same for an authenticated `package_show` (API token: each request reads the token
#      from PostgreSQL), which the page cache cannot answer, and for `package_search` with
#      facets over varied queries (bench/search_queries.lua), which is server-bound.
# Everything (wrk, nginx, both servers, PostgreSQL) shares the machine's cores: see the note
# printed at the end. Usage: bench/scaleout.sh [SECONDS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dur=${1:-10}
work=$(mktemp -d /tmp/odp-scale.XXXXXX)
cleanup() {
  kill $(jobs -p) $(cat "$work"/*.pid 2>/dev/null) 2>/dev/null || true
  wait 2>/dev/null || true
  for p in "$work"/nginx-*.pid; do [[ -f $p ]] && kill "$(cat "$p" 2>/dev/null)" 2>/dev/null || true; done
  [[ -n "${ODP_PG_DIR:-}" ]] && bash "$root/scripts/pg-cluster.sh" stop "$ODP_PG_DIR"
  rm -rf "$work"
}
trap cleanup EXIT
cd "$root"
BUILD_TYPE=Release bash scripts/build.sh build-release -DODP_TESTS=OFF > /dev/null
odp=$root/build-release/odp
eval "$(bash scripts/pg-cluster.sh start)"
db="$ODP_TEST_PG"
echo "== cores: $(nproc); PostgreSQL: $db"

echo "== 10,000 datasets into SQLite, then odp copy to PostgreSQL"
"$root/build-release/odp_bench_load" "$work/data" 10000 > /dev/null
t0=$(date +%s.%N)
"$odp" copy --from "$work/data" --to "$db" | tail -2
printf 'odp copy SQLite → PostgreSQL: %.1f s\n' "$(echo "$(date +%s.%N) - $t0" | bc)"

start_odp() {  # $1 = name, $2 = core; prints the port
  taskset -c "$2" "$odp" serve --data "$work/data" --db "$db" --listen 127.0.0.1:0 --threads 1 --workers 1 \
    > "$work/$1.log" 2>&1 &
  echo $! > "$work/odp-$1.pid"  # started in a subshell ($(…)): not one of the script's jobs
  for _ in $(seq 100); do grep -q "listening on" "$work/$1.log" && break; sleep 0.1; done
  grep -q "listening on" "$work/$1.log" || { cat "$work/$1.log"; exit 1; }
  grep -o 'listening on http://127.0.0.1:[0-9]*' "$work/$1.log" | grep -o '[0-9]*$'
}
a=$(start_odp a 0)
b=$(start_odp b 1)
lb() {  # $1 = name, $2 = port, rest = upstream ports
  local name=$1 port=$2
  shift 2
  local servers=""
  for p in "$@"; do servers+="server 127.0.0.1:$p;"; done
  cat > "$work/nginx-$name.conf" <<NGINX
worker_processes 2;
pid $work/nginx-$name.pid;
error_log $work/nginx-$name-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  upstream odp { $servers keepalive 64; }
  server {
    listen 127.0.0.1:$port;
    location / { proxy_pass http://odp; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_set_header Host \$http_host; }
  }
}
NGINX
  nginx -c "$work/nginx-$name.conf" -p "$work"
}
lb one 18091 "$a"
lb two 18092 "$a" "$b"
sleep 0.5

slug=$(curl -s "http://127.0.0.1:$a/api/3/action/package_list?limit=1&offset=500" | sed -E 's/.*"result":\["([^"]+)".*/\1/')
show="/api/3/action/package_show?id=$slug"
"$odp" user add bench --data "$work/data" --db "$db" --email bench@example.gov.vn --sysadmin <<< "mat-khau-bench-123" > /dev/null
token=$(ODP_DB="$db" "$odp" token add bench --data "$work/data" --name bench)
for p in 18091 18092 "$a"; do curl -sf -o /dev/null "http://127.0.0.1:$p$show"; done

wrk_rps() { wrk "$@" | awk '/Requests\/sec/ {print $2}'; }
# Busy and total jiffies of the whole machine so far (/proc/stat's first line).
jiffies() { awk '/^cpu / {t = 0; for (i = 2; i <= NF; i++) t += $i; print t - $5 - $6, t}' /proc/stat; }
# `wrk_rps …`, then how busy the machine's cores were meanwhile (in percent), after a colon.
wrk_busy() {
  local b0 t0 b1 t1 r
  read -r b0 t0 < <(jiffies)
  r=$(wrk_rps "$@")
  read -r b1 t1 < <(jiffies)
  echo "$r:$(( 100 * (b1 - b0) / (t1 - t0) ))"
}
median3() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
compare() {  # $1 = label, $2 = path, rest = extra wrk arguments
  local label=$1 path=$2
  shift 2
  local one=() two=() direct=() ob=() tb=() x
  for _ in 1 2 3; do
    x=$(wrk_busy -t1 -c64 -d${dur}s "$@" "http://127.0.0.1:18091$path"); one+=("${x%:*}"); ob+=("${x#*:}%")
    x=$(wrk_busy -t1 -c64 -d${dur}s "$@" "http://127.0.0.1:18092$path"); two+=("${x%:*}"); tb+=("${x#*:}%")
    direct+=("$(wrk_rps -t1 -c64 -d${dur}s "$@" "http://127.0.0.1:$a$path")")
  done
  local o t d
  o=$(median3 "${one[@]}"); t=$(median3 "${two[@]}"); d=$(median3 "${direct[@]}")
  printf '%s: one server behind nginx %s req/s (runs %s; cores busy %s); two servers %s req/s (runs %s; cores busy %s): %.2f×; one server without nginx %s req/s\n' \
    "$label" "$o" "${one[*]}" "${ob[*]}" "$t" "${two[*]}" "${tb[*]}" "$(echo "$t / $o" | bc -l)" "$d"
}
echo "== wrk -t1 -c64 -d${dur}s, medians of three alternating runs; servers pinned to one core each"
compare "package_show, anonymous (page cache)" "$show"
compare "package_show with an API token (token read from PostgreSQL)" "$show" -H "Authorization: $token"
compare "package_search, five facets, varied queries" "" -s bench/search_queries.lua
echo "== CPU seconds used during the runs"
ps -o pid,comm,time --sort=-time -C odp,nginx,postgres,wrk | head -8
echo "(wrk, nginx, both servers and PostgreSQL share $(nproc) cores: with two servers, the cores and not the servers are the limit)"
echo "database size: $(psql "$db" -Atc 'SELECT pg_size_pretty(pg_database_size(current_database()))')"
