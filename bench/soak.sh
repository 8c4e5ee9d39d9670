#!/usr/bin/env bash
# Soak: DURATION seconds (default 600) of mixed traffic at about 80 % of the measured peak, on a
# demo portal: pages (/, /datasets/<slug>, /en/), searches (/api/v1/datasets?q=, package_search),
# datastore_search on a demo table, a resource download, a cheap SQL SELECT on that table, and
# logins of the demo admin at a bounded rate (LOGIN_RATE a second in all, default 1: a login hashes
# the password with Argon2id, ~80 ms of CPU and 64 MiB; during the peak run, one per 1,000
# requests). bench/soak_mix.lua makes the requests.
#   1. peak: the mix unpaced, wrk -t1 -c16 for 10 s;
#   2. pacing: each of the CONNS (default 32) connections pauses before every request
#      (wrk's delay(), fractional milliseconds by random rounding); the pause is computed from the
#      target rate, then corrected once after a 10 s calibration run for the time answers take
#      (by at most half: a calibration slowed by others' work must not leave the soak unpaced);
#   3. the soak itself, VmRSS of the server sampled every 10 s.
# PASS: no answers other than 2xx except 429/503 (counted apart), no socket errors, and VmRSS
# growing less than 5 % from the end of the warm-up (WARMUP, default 60 s) to the end, compared
# as floors of the 10 s samples (see below: single samples swing with logins). With DURATION
# under WARMUP + 120 the two 60 s windows overlap.
# Usage: [ODP_BIN=...] [DURATION=600] [WARMUP=60] [LOAD=0.8] [CONNS=32] [LOGIN_RATE=1] bench/soak.sh
source "$(dirname "$0")/common.sh"
duration=${DURATION:-600}
warmup=${WARMUP:-60}
load=${LOAD:-0.8}
conns=${CONNS:-32}
((duration > warmup)) || { echo "DURATION must exceed WARMUP ($warmup s)" >&2; exit 1; }

new_portal "$odp" "$work/portal"
start_odp "$odp" "$work/portal"
demo_ids "$base"
export MIX_SLUGS MIX_RID=$rid MIX_RURL=$rurl MIX_USER=admin MIX_PW=$demo_pw MIX_LOGIN_EVERY=1000
MIX_SLUGS=$(curl -s "$base/api/3/action/package_list" | python3 -c 'import json, sys; print(",".join(json.load(sys.stdin)["result"]))')
MIX_SQL=$(urlencode "SELECT * FROM \"$rid\" LIMIT 5")
export MIX_SQL
for p in / /en/ "/datasets/$slug" "/api/v1/datasets?q=giao%20duc" "/api/3/action/package_search?q=y%20te" \
  "/api/3/action/datastore_search?resource_id=$rid&limit=20" "$rurl" "/api/3/action/datastore_search_sql?sql=$MIX_SQL"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "$base$p")
  [[ $code == 200 ]] || { echo "setup: $p answered $code" >&2; exit 1; }
done
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$demo_pw\"}" "$base/api/v1/auth/login")
[[ $code == 200 ]] || { echo "setup: login answered $code" >&2; exit 1; }
echo "== soak: $odp (pid $pid), $(nproc) cores shared with wrk; dataset pages of $(echo "$MIX_SLUGS" | tr ',' '\n' | wc -l) slugs, table $rid"

rps_of() { awk '/Requests\/sec/ {print $2}' "$1"; }
MIX_DELAY_MS=0 wrk -t1 -c16 -d10s --timeout 10s -s "$root/bench/soak_mix.lua" "$base" > "$work/peak.txt"
peak=$(rps_of "$work/peak.txt")
target=$(echo "$peak * $load" | bc -l)
d0=$(echo "$conns * 1000 / $target" | bc -l)
# One login per this many requests of the one wrk thread gives LOGIN_RATE logins a second.
MIX_LOGIN_EVERY=$(echo "$target / ${LOGIN_RATE:-1}" | bc)
MIX_DELAY_MS=$d0 wrk -t1 -c$conns -d10s --timeout 10s -s "$root/bench/soak_mix.lua" "$base" > "$work/calib.txt"
got=$(rps_of "$work/calib.txt")
# A connection's cycle is its pause plus the answer's time: take the time the calibration saw off.
d1=$(echo "x = $d0 - ($conns * 1000 / $got - $d0); if (x < $d0 / 2) x = $d0 / 2; x" | bc -l)
printf 'peak of the mix: %s req/s (wrk -t1 -c16 -d10s, %s); target %.0f req/s (%.0f %%)\n' "$peak" \
  "$(grep -E '^status' "$work/peak.txt" | sort -k2 | awk '{printf "%s%s x%s", (NR > 1 ? ", " : ""), $2, $3}')" "$target" "$(echo "$load * 100" | bc -l)"
printf 'pacing: %d connections, pause %.2f ms gave %s req/s in 10 s; pause set to %.2f ms; one login per %d requests\n' "$conns" "$d0" "$got" "$d1" "$MIX_LOGIN_EVERY"

sleep 5
rss0=$(rss_kb "$pid")
( t=0; while :; do echo "$t $(rss_kb "$pid")"; sleep 10; t=$((t + 10)); done ) > "$work/rss.txt" &
sampler=$!
MIX_DELAY_MS=$d1 wrk -t1 -c$conns -d${duration}s --timeout 10s --latency -s "$root/bench/soak_mix.lua" "$base" > "$work/soak.txt"
kill $sampler; wait $sampler 2>/dev/null || true
echo "$duration $(rss_kb "$pid")" >> "$work/rss.txt"
awk -v d="$duration" '$1 < d' "$work/rss.txt" > "$work/rss2.txt"; tail -1 "$work/rss.txt" >> "$work/rss2.txt"; mv "$work/rss2.txt" "$work/rss.txt"
sleep 5
rss_idle=$(rss_kb "$pid")
sed -n '/requests in/p; /Requests\/sec/p; /Socket errors/p; /Non-2xx/p' "$work/soak.txt" | sed 's/^ */wrk: /'

echo "== VmRSS of odp (idle before the soak, 5 s after peak and calibration: $((rss0 / 1024)) MB)"
printf '%8s %10s %10s\n' "t (s)" "VmRSS MB" "vs warm-up"
awk -v w="$warmup" '$1 >= w && !base {base = $2} {r[NR] = $0} END {
  for (i = 1; i <= NR; i++) { split(r[i], f, " ");
    printf "%8d %10.1f %10s\n", f[1], f[2] / 1024, (base && f[1] >= w) ? sprintf("%+.2f %%", (f[2] - base) * 100 / base) : "warm-up" } }' "$work/rss.txt"
# VmRSS swings under this load by 64 MiB and more between two samples: each login hashes the
# password with Argon2id (libsodium's MEMLIMIT_INTERACTIVE, 64 MiB, taken and given back), and two
# workers may hash at once (hence the bounded login rate: with logins back to back, a hash is in
# flight at nearly every sample and the floor rises with the login rate, not with a leak). So besides the two points the brief names (the sample at the end of
# the warm-up and the last one), the verdict compares floors: the smallest sample of the first
# 60 s after the warm-up against the smallest of the last 60 s of load (a leak raises the floor;
# a login in flight does not). The high-water marks of the same windows and the idle figure
# before and after are printed too.
rss_w=$(awk -v w="$warmup" '$1 >= w {print $2; exit}' "$work/rss.txt")
rss_e=$(tail -1 "$work/rss.txt" | awk '{print $2}')
growth=$(echo "($rss_e - $rss_w) * 100 / $rss_w" | bc -l)
hw_w=$(awk -v w="$warmup" '$1 >= w && $1 <= w + 60 && $2 > m {m = $2} END {print m}' "$work/rss.txt")
hw_e=$(awk -v d="$duration" '$1 >= d - 60 && $1 <= d && $2 > m {m = $2} END {print m}' "$work/rss.txt")
hgrowth=$(echo "($hw_e - $hw_w) * 100 / $hw_w" | bc -l)
lo_w=$(awk -v w="$warmup" '$1 >= w && $1 <= w + 60 && (m == "" || $2 < m) {m = $2} END {print m}' "$work/rss.txt")
lo_e=$(awk -v d="$duration" '$1 >= d - 60 && $1 <= d && (m == "" || $2 < m) {m = $2} END {print m}' "$work/rss.txt")
lgrowth=$(echo "($lo_e - $lo_w) * 100 / $lo_w" | bc -l)
mb() { printf '%.1f' "$(echo "$1 / 1024" | bc -l)"; }
rate=$(rps_of "$work/soak.txt")
ok=$(awk '$1 == "status" && $2 >= 200 && $2 < 300 {s += $3} END {print s + 0}' "$work/soak.txt")
busy=$(awk '$1 == "status" && ($2 == 429 || $2 == 503) {s += $3} END {print s + 0}' "$work/soak.txt")
bad=$(awk '$1 == "status" && !($2 >= 200 && $2 < 300) && $2 != 429 && $2 != 503 {s += $3} END {print s + 0}' "$work/soak.txt")
sock=$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$work/soak.txt")
sock=${sock:-0}
logins=$(echo "$ok $busy $bad" | awk -v e="$MIX_LOGIN_EVERY" '{print (e > 0) ? int(($1 + $2 + $3) / e) : 0}')
echo "== summary"
printf '%-34s %s\n' "duration" "$duration s (warm-up $warmup s)" \
  "rate" "$(printf '%.0f req/s = %.0f %% of the peak (%s)' "$rate" "$(echo "$rate * 100 / $peak" | bc -l)" "$peak")" \
  "latency p50 / p99 / max" "$(awk '$1 == "50%" {a = $2} $1 == "99%" {b = $2} $1 == "Latency" && $2 != "Distribution" {m = $4} END {print a " / " b " / " m}' "$work/soak.txt")" \
  "2xx answers" "$ok (of which logins ~$logins)" \
  "429 / 503 (refusals, counted apart)" "$busy$(grep -E '^status (429|503) ' "$work/soak.txt" | awk '{printf " [%s x%s]", $2, $3}')" \
  "other non-2xx answers" "$bad$(grep -E '^status ' "$work/soak.txt" | awk '!($2 >= 200 && $2 < 300) && $2 != 429 && $2 != 503 {printf " [%s x%s]", $2, $3}')" \
  "socket errors (connect/read/write/timeout)" "$sock" \
  "VmRSS sample after warm-up -> last" "$(mb "$rss_w") -> $(mb "$rss_e") MB: $(printf '%+.2f' "$growth") %" \
  "VmRSS high-water, first/last 60 s" "$(mb "$hw_w") -> $(mb "$hw_e") MB: $(printf '%+.2f' "$hgrowth") %" \
  "VmRSS floor, first/last 60 s" "$(mb "$lo_w") -> $(mb "$lo_e") MB: $(printf '%+.2f' "$lgrowth") % (the verdict)" \
  "VmRSS idle, 5 s before soak -> 5 s after" "$(mb "$rss0") -> $(mb "$rss_idle") MB"
grep '^sample ' "$work/soak.txt" | sed 's/^sample /unexpected answer: /' || true
if ((bad == 0 && sock == 0)) && (($(echo "$lgrowth < 5" | bc -l))); then
  echo "PASS: no unexpected answers, no socket errors, memory floor growth $(printf '%+.2f' "$lgrowth") % < 5 %"
else
  echo "FAIL: $bad unexpected answers, $sock socket errors, memory floor growth $(printf '%+.2f' "$lgrowth") % (limit 5 %)"
fi
stop_odp
