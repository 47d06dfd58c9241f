#!/usr/bin/env bash
# Leak soak (RELIABILITY.md#leaks): CYCLES spawn/kill cycles of adopted vassals under one Emperor and one base, in LANES
# parallel lanes. A cycle drops an ini, waits for HTTP 200, then removes the ini and waits for the port to close;
# every 10th cycle also SIGKILLs the adopted master first and waits for its re-adoption. Every few seconds it
# samples the Emperor's and the base's fd count and RSS, zombies below the Emperor, the size of its tree and the
# socket files in the scratch folder, and prints that curve; then the verdict (first sample after warm-up vs last).
# Usage: bash bench/soak.sh [CYCLES=1000] [LANES=4]
set -euo pipefail
cd "$(dirname "$0")/.."
cycles=${1:-1000}
lanes=${2:-4}
bash scripts/install-deps.sh >/dev/null
bash scripts/build-release.sh
source bench/emperor-common.sh

start_hello_base_emperor

bounded() { # seconds command...: retries the command until it succeeds, fails the soak after that long
  local deadline=$(( $(date +%s) + $1 )); shift
  until "$@"; do
    if (( $(date +%s) > deadline )); then echo "soak: gave up after waiting for: $*" >&2; kill "$$"; exit 1; fi
    sleep 0.01
  done
}
serves() { curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$1/"; }
closed() { ! curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$1/"; }
master_of() { grep -o "master [0-9]* serving .*:$1 with" "$work/emperor.log" | tail -1 | awk '{ print $2 }'; }
readopted() { local m; m=$(master_of "$1"); [ -n "$m" ] && [ "$m" != "$2" ]; }
# Every vassal gone: the Emperor's children are the base and its spare vassal (whose spare worker is its own child).
only_base_left() { [ "$(pgrep -P "$emperor_pid" | xargs -r -I{} cat /proc/{}/comm 2>/dev/null | grep -vcx 'fs spare')" -eq 1 ]; }

lane() { # index count
  local port=$((25000 + $1)) name="lane$1.ini" c
  for c in $(seq 1 "$2"); do
    printf '[uwsgi]\nhttp-socket = 127.0.0.1:%s\nprocesses = 1\n' "$port" > "$work/$name.tmp"
    mv "$work/$name.tmp" "$dir/$name"
    bounded 30 serves "$port"
    if (( c % 10 == 0 )); then
      local old; old=$(master_of "$port")
      # Gone already is fine: a remove and re-add the Emperor saw as one change reloads (re-adopts) the vassal.
      kill -9 "$old" 2>/dev/null || true
      bounded 30 readopted "$port" "$old"
      bounded 30 serves "$port"
    fi
    rm "$dir/$name"
    bounded 30 closed "$port"
    echo "$c" > "$work/lane$1.count"
  done
}

done_cycles() { cat "$work"/lane*.count 2>/dev/null | awk '{ s += $1 } END { print s + 0 }'; }
tree_size() { # processes below the Emperor (it is a subreaper: everything it started stays below it)
  local all=" $1 " frontier="$1" next p
  while [ -n "$frontier" ]; do
    next=""
    for p in $frontier; do next="$next $(pgrep -P "$p" | tr '\n' ' ')"; done
    frontier=$(echo $next); all="$all $frontier "
  done
  echo $(( $(echo $all | wc -w) - 1 ))
}
sample() {
  printf '%6s %5s %9s %5s %9s %7s %5s %7s\n' "$(done_cycles)" \
    "$(ls /proc/$emperor_pid/fd | wc -l)" "$(awk '/^VmRSS/ { print $2 }' /proc/$emperor_pid/status)" \
    "$(ls /proc/$base_pid/fd | wc -l)" "$(awk '/^VmRSS/ { print $2 }' /proc/$base_pid/status)" \
    "$(ps -o stat= --ppid "$emperor_pid" | grep -c Z || true)" "$(tree_size "$emperor_pid")" "$(find "$work" -type s | wc -l)"
}

printf '%6s %5s %9s %5s %9s %7s %5s %7s\n' cycles e_fds e_rss_kB b_fds b_rss_kB zombies tree sockets | tee "$work/curve"
sample | tee -a "$work/curve"
start=$(date +%s)
pids=()
for l in $(seq 1 "$lanes"); do lane "$l" $((cycles / lanes)) & pids+=($!); done
while kill -0 "${pids[@]}" 2>/dev/null; do sleep 5; sample | tee -a "$work/curve"; done
for p in "${pids[@]}"; do wait "$p"; done
# Settle: every vassal of the lanes has stopped; what is left is the Emperor, the base and nothing else.
bounded 30 only_base_left
sample | tee -a "$work/curve"
elapsed=$(( $(date +%s) - start ))
adoptions=$(grep -c "adopted vassal lane" "$work/emperor.log" || true)
stray=$(grep -c "reaped orphan" "$work/emperor.log" || true)
stop_emperor
left=$(find "$work" -type s | wc -l)

first=$(awk 'NR > 2 && $1 >= 50 { print; exit }' "$work/curve")
last=$(tail -1 "$work/curve")
echo
printf '%s cycles (%s adoptions, %s orphans reaped) in %s s with %s lanes\n' "$(done_cycles)" "$adoptions" "$stray" "$elapsed" "$lanes"
printf 'Emperor fds %s -> %s, RSS %s -> %s kB; base fds %s -> %s, RSS %s -> %s kB (first sample after 50 cycles -> end)\n' \
  "$(echo "$first" | awk '{ print $2 }')" "$(echo "$last" | awk '{ print $2 }')" "$(echo "$first" | awk '{ print $3 }')" "$(echo "$last" | awk '{ print $3 }')" \
  "$(echo "$first" | awk '{ print $4 }')" "$(echo "$last" | awk '{ print $4 }')" "$(echo "$first" | awk '{ print $5 }')" "$(echo "$last" | awk '{ print $5 }')"
printf 'zombies at the end: %s; processes below the Emperor at the end: %s (the base, its spare vassal and its spare worker); socket files left after the Emperor stopped: %s\n' \
  "$(echo "$last" | awk '{ print $6 }')" "$(echo "$last" | awk '{ print $7 }')" "$left"
