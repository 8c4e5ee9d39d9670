#!/usr/bin/env bash
# The foundation benchmarks, in one run (figures for the closing note):
#   - loading 10,000 realistic datasets; start-up time and idle memory with them;
#   - package_show (anonymous, public dataset) with wrk -t1 -c64, against nginx (one worker)
#     serving a static file of the same size, in the same run;
#   - package_search with five facets and varied queries: single-client median and
#     requests/s at 64 connections.
# Usage: bench/run.sh [DURATION_SECONDS]   (needs wrk and nginx: scripts/install-deps.sh --test)
# This script builds and measures its own Release binary (below): common.sh need not pick one.
ODP_BIN=none source "$(dirname "$0")/common.sh"
dur=${1:-10}

cd "$root"
BUILD_TYPE=Release bash scripts/build.sh build-release -DODP_TESTS=OFF
odp=$root/build-release/odp
load=$root/build-release/odp_bench_load

echo "== idle memory of the demo portal"
"$odp" init --data "$work/demo" --demo > /dev/null
"$odp" serve --data "$work/demo" --listen 127.0.0.1:0 > "$work/demo.log" 2>&1 &
demo_pid=$!
sleep 1.5
echo "demo portal (11 agencies, 14 datasets): idle RSS $(( $(awk '/VmRSS/ {print $2}' /proc/$demo_pid/status) / 1024 )) MB"
kill $demo_pid; wait $demo_pid 2>/dev/null || true

echo "== loading 10,000 datasets"
t0=$(date +%s.%N)
"$load" "$work/data" 10000
t1=$(date +%s.%N)
printf 'load: %.1f s\n' "$(echo "$t1 - $t0" | bc)"

start_odp() {  # default threads: one I/O thread, two workers; sets pid and port
  "$odp" serve --data "$work/data" --listen 127.0.0.1:0 "$@" > "$work/serve.log" 2>&1 &
  pid=$!
  for _ in $(seq 50); do grep -q "listening on" "$work/serve.log" && break; sleep 0.1; done
  grep -q "listening on" "$work/serve.log" || { cat "$work/serve.log"; exit 1; }
  port=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$work/serve.log" | grep -o '[0-9]*$')
}
stop_odp() { kill "$pid"; wait "$pid" 2>/dev/null || true; }

start_odp
startup=$(grep -o 'start-up [0-9]* ms' "$work/serve.log")
sleep 1
rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
echo "start-up: $startup; idle RSS: $((rss / 1024)) MB ($(grep -o 'search index ~[0-9]* MB' "$work/serve.log"))"

slug=$(curl -s "http://127.0.0.1:$port/api/3/action/package_list?limit=1&offset=500" | sed -E 's/.*"result":\["([^"]+)".*/\1/')
show="/api/3/action/package_show?id=$slug"
curl -s -o "$work/show.json" "http://127.0.0.1:$port$show"
size=$(stat -c %s "$work/show.json")
mkdir -p "$work/www"
head -c "$size" /dev/urandom | base64 -w0 | head -c "$size" > "$work/www/static.json"
start_nginx 18081

wrk_rps() { wrk "$@" | awk '/Requests\/sec/ {print $2}'; }
median3() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
# nginx and odp alternate, three rounds each, so that both see the same machine.
compare() {  # $1 = label, $2 = odp path, $3 = nginx path
  local n=() o=()
  for _ in 1 2 3; do
    n+=("$(wrk_rps -t1 -c64 -d${dur}s "http://127.0.0.1:18081$3")")
    o+=("$(wrk_rps -t1 -c64 -d${dur}s "http://127.0.0.1:$port$2")")
  done
  local nm om
  nm=$(median3 "${n[@]}"); om=$(median3 "${o[@]}")
  printf 'odp %s %s req/s (runs %s), nginx %s req/s (runs %s), ratio %.2f\n' \
    "$1" "$om" "${o[*]}" "$nm" "${n[*]}" "$(echo "$om / $nm" | bc -l)"
}
compare_show() { compare "$1: package_show" "$show" /static.json; }
echo "== package_show (anonymous, public, $size-byte answer) vs nginx static file of the same size"
echo "   wrk -t1 -c64 -d${dur}s, medians of three alternating runs"
curl -s -o /dev/null "http://127.0.0.1:$port$show"
compare_show "(1 I/O thread, 2 workers)"

echo "== pages (anonymous, from the page cache) vs nginx static files of the same size"
ds_slug=$(curl -s "http://127.0.0.1:$port/api/3/action/package_list?limit=1&offset=1500" | sed -E 's/.*"result":\["([^"]+)".*/\1/')
for page in / "/datasets/$ds_slug"; do
  curl -s -o "$work/page.html" "http://127.0.0.1:$port$page"
  psize=$(stat -c %s "$work/page.html")
  name=page-$psize.html
  head -c "$psize" /dev/urandom | base64 -w0 | head -c "$psize" > "$work/www/$name"
  compare "page $page ($psize bytes):" "$page" "/$name"
done

echo "== package_search, five facets, varied queries"
single=$(wrk -t1 -c1 -d${dur}s --latency -s bench/search_queries.lua "http://127.0.0.1:$port")
median=$(echo "$single" | awk '$1 == "50%" {print $2}')
echo "single client: median latency $median"
many=$(wrk -t1 -c64 -d${dur}s --latency -s bench/search_queries.lua "http://127.0.0.1:$port")
echo "64 connections: $(echo "$many" | awk '/Requests\/sec/ {print $2}') req/s, p99 $(echo "$many" | awk '$1 == "99%" {print $2}')"
rss2=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
echo "RSS after the runs: $((rss2 / 1024)) MB"
stop_odp
