#!/usr/bin/env bash
# Pages with live view and download counts: the home page and a dataset page of the demo
# portal, anonymous (from the page cache, rebuilt at most once a second since the counts went
# live), each against nginx (one worker) serving a static file of the same size, wrk -t1 -c64,
# medians of three alternating runs. With BASELINE_BIN the same is measured for that binary too
# (the portal before live counts), on its own demo portal.
# Usage: ODP_BIN=build/odp [BASELINE_BIN=/path/to/old/odp] bench/pages_live.sh [DURATION_SECONDS]
source "$(dirname "$0")/common.sh"
dur=${1:-5}
start_nginx 18082

wrk_rps() { wrk "$@" | awk '/Requests\/sec/ {print $2}'; }
compare() {  # $1 = label, $2 = odp URL, $3 = nginx path
  local n=() o=()
  for _ in 1 2 3; do
    n+=("$(wrk_rps -t1 -c64 -d${dur}s "http://127.0.0.1:18082$3")")
    o+=("$(wrk_rps -t1 -c64 -d${dur}s "$2")")
  done
  local nm om
  nm=$(median3 "${n[@]}"); om=$(median3 "${o[@]}")
  printf '%s: odp %s req/s (runs %s), nginx %s req/s (runs %s), ratio %.2f\n' \
    "$1" "$om" "${o[*]}" "$nm" "${n[*]}" "$(echo "$om / $nm" | bc -l)"
}

measure() {  # $1 = label, $2 = binary
  local dir=$work/portal-$1
  new_portal "$2" "$dir"
  start_odp "$2" "$dir"
  demo_ids "$base"
  for page in / "/datasets/$slug"; do
    curl -s -o "$work/page.html" "$base$page"
    local psize name
    psize=$(stat -c %s "$work/page.html")
    name=page-$1-$psize.html
    head -c "$psize" /dev/urandom | base64 -w0 | head -c "$psize" > "$work/www/$name"
    compare "$1 $page ($psize bytes)" "$base$page" "/$name"
  done
  # What the runs counted (the dataset page's views, from the cache included).
  [[ $1 == after ]] && echo "views of /datasets/$slug counted: $(curl -s "$base/api/v1/stats/datasets/$slug" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["total"]["views"])')"
  stop_odp
}

[[ -n ${BASELINE_BIN:-} ]] && measure before "$BASELINE_BIN"
measure after "$odp"
