#!/usr/bin/env bash
# Load (RELIABILITY.md#load): N adopted vassals (master + 1 worker each) from one base, dropped at once, all serving.
# Reports: drop -> every vassal answers 200; total PSS of the Emperor's tree and per vassal; the Emperor's CPU
# while spawning and while idle (/proc/<pid>/stat utime+stime over IDLE seconds, nobody requesting).
# Usage: bash bench/load-200.sh [N=200] [IDLE=30]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200}
idle=${2:-30}
bash scripts/install-deps.sh >/dev/null
bash scripts/build-release.sh
source bench/emperor-common.sh

start_hello_base_emperor

ticks() { awk '{ print $14 + $15 }' "/proc/$emperor_pid/stat"; }
hz=$(getconf CLK_TCK)
for i in $(seq 1 "$n"); do printf '[uwsgi]\nhttp-socket = 127.0.0.1:%s\nprocesses = 1\n' $((26000 + i)) > "$work/v$i.ini"; done

t0=$(now_ms); c0=$(ticks)
for i in $(seq 1 "$n"); do mv "$work/v$i.ini" "$dir/v$i.ini"; done
for i in $(seq 1 "$n"); do timeout 300 bash -c "$(declare -f wait_200); wait_200 $((26000 + i))"; done
spawn_ms=$(( $(now_ms) - t0 )); spawn_ticks=$(( $(ticks) - c0 ))

# Every vassal serves (once more, now that all are up), then nobody asks anything for IDLE seconds.
ok=0; for i in $(seq 1 "$n"); do curl -fs -o /dev/null --max-time 5 "http://127.0.0.1:$((26000 + i))/" && ok=$((ok + 1)); done
c1=$(ticks); sleep "$idle"; idle_ticks=$(( $(ticks) - c1 ))

pss() { awk '/^Pss:/ { print $2 }' "/proc/$1/smaps_rollup" 2>/dev/null || echo 0; }
total=0; vassals_pss=0; processes=0; adopted=0
for m in $(pgrep -P "$emperor_pid"); do
  for p in "$m" $(pgrep -P "$m"); do
    k=$(pss "$p"); total=$((total + k)); processes=$((processes + 1))
    if grep -q "^fs v" "/proc/$m/comm" 2>/dev/null; then vassals_pss=$((vassals_pss + k)); fi
  done
  if grep -q "^fs v" "/proc/$m/comm" 2>/dev/null; then adopted=$((adopted + 1)); fi
done
emperor_pss=$(pss "$emperor_pid"); total=$((total + emperor_pss))
stop_emperor

printf '%s adopted vassals (master + 1 worker) from one base, 2 cores, load average %s\n' "$n" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'drop -> all %s answer 200: %s ms; serving afterwards: %s/%s\n' "$n" "$spawn_ms" "$ok" "$n"
printf 'Emperor CPU while spawning: %s ms over %s ms (%s%% of one core)\n' \
  "$((spawn_ticks * 1000 / hz))" "$spawn_ms" "$(awk -v t="$spawn_ticks" -v h="$hz" -v ms="$spawn_ms" 'BEGIN { printf "%.1f", 100 * t / h / (ms / 1000) }')"
printf 'Emperor CPU while idle: %s ms over %s s (%s%% of one core)\n' \
  "$((idle_ticks * 1000 / hz))" "$idle" "$(awk -v t="$idle_ticks" -v h="$hz" -v s="$idle" 'BEGIN { printf "%.2f", 100 * t / h / s }')"
printf 'PSS: total %s MB (Emperor %s MB, base and %s vassal processes); adopted vassals %s MB for %s, %s MB each (master + worker)\n' \
  "$((total / 1024))" "$((emperor_pss / 1024))" "$((processes - 1))" "$((vassals_pss / 1024))" "$adopted" \
  "$(awk -v v="$vassals_pss" -v a="$adopted" 'BEGIN { printf "%.1f", v / 1024 / (a ? a : 1) }')"
