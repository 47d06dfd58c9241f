#!/usr/bin/env bash
# Load soak: VASSALS adopted vassals (2 workers each) under one Emperor and one PSGI base, all under sustained HTTP
# load for MINUTES (one wrk per vassal, 2 keep-alive connections each, 127.0.0.1 only), with a 1 MiB gen-0 budget so
# every worker collects garbage many times a second. Every 30 s it samples the summed RSS of the vassals' processes
# and of the Emperor and the base, and counts worker deaths in the Emperor's log; at the end it checks that every
# worker is still the process it was at the start. Exits non-zero on any death, failed request or replaced worker.
# Usage: bash bench/load-soak.sh [MINUTES=10] [VASSALS=10]
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-10}
vassals=${2:-10}
bash scripts/install-deps.sh >/dev/null
bash scripts/build-release.sh
source bench/emperor-common.sh
export DOTNET_GCgen0size=0x100000

start_hello_base_emperor
ports=()
for i in $(seq "$vassals"); do
  port=$((27000 + i)); ports+=("$port")
  printf '[uwsgi]\nhttp-socket = 127.0.0.1:%s\nprocesses = 2\n' "$port" > "$work/v.tmp" && mv "$work/v.tmp" "$dir/v$i.ini"
done
for port in "${ports[@]}"; do timeout 30 bash -c "until curl -fs -o /dev/null http://127.0.0.1:$port/; do sleep 0.01; done"; done

masters() { grep -o "master [0-9]* serving .*:27[0-9]* with" "$work/emperor.log" | awk '{ print $2 }' | sort -u; }
workers() { for m in $(masters); do pgrep -P "$m"; done | sort; }
rss_kb() { for p in "$@"; do awk '/^VmRSS/ { print $2 }' "/proc/$p/status" 2>/dev/null; done | awk '{ s += $1 } END { print s + 0 }'; }
deaths() { grep -c "died after" "$work/emperor.log" || true; }

workers > "$work/workers.start"
echo "$(wc -l < "$work/workers.start") workers in $vassals vassals; load for $minutes min"
seconds=$((minutes * 60))
wrk_pids=()
for port in "${ports[@]}"; do
  timeout $((seconds + 30)) wrk -t1 -c2 -d"${seconds}s" "http://127.0.0.1:$port/" > "$work/wrk-$port.txt" 2>&1 &
  wrk_pids+=($!)
done
trap 'kill "${wrk_pids[@]}" 2>/dev/null || true; stop_emperor; rm -rf "$work"' EXIT

printf '%8s %14s %14s %14s %8s\n' seconds vassals_rss_kb emperor_rss_kb base_rss_kb deaths
start=$(date +%s)
while (( $(date +%s) - start < seconds )); do
  printf '%8s %14s %14s %14s %8s\n' $(( $(date +%s) - start )) \
    "$(rss_kb $(masters) $(workers))" "$(rss_kb "$emperor_pid")" "$(rss_kb "$base_pid")" "$(deaths)"
  sleep 30
done
wait "${wrk_pids[@]}" || true
workers > "$work/workers.end"

requests=$(awk '/requests in/ { n += $1 } END { print n + 0 }' "$work"/wrk-*.txt)
failed=$(cat "$work"/wrk-*.txt | grep -c -E "Socket errors|Non-2xx" || true)
replaced=$(comm -3 "$work/workers.start" "$work/workers.end" | wc -l)
printf 'load soak: %s min, %s vassals, %s requests (%s/s), %s wrk run(s) with failed requests, %s worker death(s), %s worker pid(s) changed\n' \
  "$minutes" "$vassals" "$requests" $((requests / seconds)) "$failed" "$(deaths)" "$replaced"
[ "$failed" -eq 0 ] && [ "$(deaths)" -eq 0 ] && [ "$replaced" -eq 0 ]
