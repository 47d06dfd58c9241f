#!/usr/bin/env bash
# Hello-world PSGI, 2 workers each: ForkServer vs Starman vs uWSGI (Debian 2.0.21), same machine, same run.
# wrk -t2 -c16 -d10s (keep-alive) against each, then PSS per worker process.
# Usage: bash bench/hello-throughput.sh [duration-seconds]   (prints a table and the ratios)
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
app=$PWD/samples/hello/hello.psgi
bash scripts/install-deps.sh >/dev/null
bash scripts/build-release.sh

pids=()
# uWSGI takes SIGTERM as "reload": SIGINT stops all three.
cleanup() { for p in "${pids[@]}"; do kill -INT "$p" 2>/dev/null || true; done; timeout 30 tail --pid="${pids[-1]}" -f /dev/null 2>/dev/null || true; }
trap cleanup EXIT

wait_port() { for _ in $(seq 1 200); do curl -fs "http://127.0.0.1:$1/" >/dev/null 2>&1 && return 0; sleep 0.05; done; echo "port $1 never answered" >&2; return 1; }
pss_kb() { awk '/^Pss:/ {print $2}' "/proc/$1/smaps_rollup" 2>/dev/null || echo 0; }
workers_pss() { local total=0 n=0; for c in $(pgrep -P "$1"); do total=$((total + $(pss_kb "$c"))); n=$((n + 1)); done; echo "$((total / (n > 0 ? n : 1)))"; }
rps() { wrk -t2 -c16 -d"${duration}s" "http://127.0.0.1:$1/" | awk '/Requests\/sec/ {print $2}'; }

artifacts/forkserver/forkserver --plugins psgi --http-socket 127.0.0.1:18081 --processes 2 --early-psgi "$app" 2>/dev/null &
pids+=($!); fs=$!
starman --workers 2 --listen 127.0.0.1:18082 "$app" 2>/dev/null &
pids+=($!); sm=$!
uwsgi --plugins psgi --master --processes 2 --http-socket 127.0.0.1:18083 --psgi "$app" --disable-logging 2>/dev/null &
pids+=($!); uw=$!
wait_port 18081; wait_port 18082; wait_port 18083

fs_rps=$(rps 18081); sm_rps=$(rps 18082); uw_rps=$(rps 18083)
fs_pss=$(workers_pss "$fs"); sm_pss=$(workers_pss "$sm"); uw_pss=$(workers_pss "$uw")

printf '%-12s %12s %16s\n' server 'req/s' 'PSS/worker (kB)'
printf '%-12s %12s %16s\n' forkserver "$fs_rps" "$fs_pss"
printf '%-12s %12s %16s\n' starman "$sm_rps" "$sm_pss"
printf '%-12s %12s %16s\n' uwsgi "$uw_rps" "$uw_pss"
awk -v a="$fs_rps" -v b="$sm_rps" -v c="$uw_rps" 'BEGIN { printf "forkserver/starman = %.2fx, forkserver/uwsgi = %.2fx\n", a / b, a / c }'
