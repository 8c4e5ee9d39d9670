# Shared by run.sh, pages_live.sh, sql_stall.sh, soak.sh and throughput_pair.sh (sourced, not run).
# ODP_BIN: the binary under test; unset, a Release build in build-release (as bench/run.sh
# makes it). BASELINE_BIN: a binary to compare with (scripts that need one say so).
# Sets: root, odp, work (a temporary directory, removed on exit with every server started).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d /tmp/odp-bench.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; [[ -f $work/nginx.pid ]] && kill $(cat $work/nginx.pid) 2>/dev/null; rm -rf "$work"' EXIT
if [[ -z ${ODP_BIN:-} ]]; then
  (cd "$root" && BUILD_TYPE=Release bash scripts/build.sh build-release -DODP_TESTS=OFF > /dev/null)
  ODP_BIN=$root/build-release/odp
fi
odp=$ODP_BIN

# new_portal BIN DIR: a demo portal made by BIN; sets demo_pw (the demo admin's password).
new_portal() {
  "$1" init --data "$2" --demo > /dev/null 2>&1
  demo_pw=$(awk '{print $2}' "$2/demo-login.txt")
}
# add_token BIN DIR NAME: a user NAME with an API token; sets token.
add_token() {
  printf 'pw-long-enough-123\n' | "$1" user add "$3" --data "$2" --email "$3@bench.vn" > /dev/null 2>&1
  token=$("$1" token add "$3" --data "$2" 2> /dev/null)
  [[ $token == odp_* ]] || { echo "no token for $3 from $1" >&2; exit 1; }
}
# start_odp BIN DIR [serve flags]: sets pid, port, base (default threads: 1 I/O, 2 workers).
start_odp() {
  local bin=$1 dir=$2
  shift 2
  : > "$dir.serve.log"  # exists before the first grep below (the server's redirect may come later)
  "$bin" serve --data "$dir" --listen 127.0.0.1:0 "$@" > "$dir.serve.log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do grep -q "listening on" "$dir.serve.log" && break; sleep 0.1; done
  grep -q "listening on" "$dir.serve.log" || { cat "$dir.serve.log"; exit 1; }
  port=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$dir.serve.log" | grep -o '[0-9]*$')
  base=http://127.0.0.1:$port
}
stop_odp() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
median3() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
urlencode() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }
# demo_ids BASE: a public demo dataset with a datastore table; sets slug, rid (its first
# datastore resource), rurl (that resource's download path) and table_sql_name.
demo_ids() {
  local out
  out=$(curl -s "$1/api/3/action/package_list" | python3 -c '
import json, sys, urllib.request
base = sys.argv[1]
for slug in json.load(sys.stdin)["result"]:
    d = json.load(urllib.request.urlopen(base + "/api/3/action/package_show?id=" + slug))["result"]
    for r in d["resources"]:
        if r.get("datastore_active"):
            url = r["url"]
            path = url[url.index("/", len("http://")):] if url.startswith("http") else url
            print(slug, r["id"], path)
            sys.exit(0)
sys.exit(1)' "$1")
  read -r slug rid rurl <<< "$out"
}
# start_nginx PORT: nginx (one worker) serving $work/www on 127.0.0.1:PORT, the static file the
# page benchmarks compare with; stopped on exit with the other servers.
start_nginx() {
  mkdir -p "$work/www"
  cat > "$work/nginx.conf" <<NGINX
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$1; root $work/www; }
}
NGINX
  nginx -c "$work/nginx.conf"
  sleep 0.5
}
