#!/usr/bin/env bash
# .NET loader stress (RELIABILITY.md#load): N adoptions in a row from one base that preloaded samples/dotnet-hello. Each round
# drops an ini, waits (bounded) for the adopted vassal's first HTTP 200, removes the ini and waits (bounded) for its
# port to close. A round that misses either deadline is a hang. Between the two, each adopted vassal serves a burst
# of sustained load (wrk, 8 connections, LOAD_SECONDS=1) with a 1 MiB gen-0 budget, so its workers collect
# garbage under load; a failed request or a worker death in any round fails the run. Prints hangs, load totals,
# worker deaths, total time and the median round.
# Usage: bash bench/dotnet-stress.sh [N=200] [deadline seconds=30]   (LOAD_SECONDS=0 skips the load)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-200}
deadline=${2:-30}
load_seconds=${LOAD_SECONDS:-1}
bash scripts/build-release.sh
dotnet build samples/dotnet-hello -c Release -nologo -v quiet >/dev/null
source bench/emperor-common.sh
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
within() { timeout "$deadline" bash -c "$1"; }

dir="$work/vassals"; socket="@fs-stress-dotnet-$$"
mkdir -p "$dir"
DOTNET_GCgen0size=0x100000 artifacts/forkserver/forkserver --emperor "$dir" --emperor-use-fork-server "$socket" --vassal-fork-base dotnetbase.ini >"$work/emperor.log" 2>&1 &
emperor_pid=$!
printf '[uwsgi]\nplugins = dotnet\nearly-dotnet = %s\nfork-server = %s\n' "$PWD/artifacts/samples/dotnet-hello/dotnet-hello.dll" "$socket" > "$work/base.tmp"
mv "$work/base.tmp" "$dir/dotnetbase.ini"
within "until grep -q 'fork server .* ready' '$work/emperor.log'; do sleep 0.05; done"

hangs=0; t_start=$(now_ms)
: > "$work/rounds"
for i in $(seq "$rounds"); do
  port=$((26000 + i % 1000)); t0=$(now_ms)
  printf '[uwsgi]\nhttp-socket = 127.0.0.1:%s\nprocesses = 2\n' "$port" > "$work/v.tmp" && mv "$work/v.tmp" "$dir/v$i.ini"
  if ! within "until curl -fs -o /dev/null http://127.0.0.1:$port/; do sleep 0.005; done"; then
    hangs=$((hangs + 1)); echo "round $i: no 200 within ${deadline} s" >&2
  fi
  echo $(( $(now_ms) - t0 )) >> "$work/rounds"
  if [ "$load_seconds" -gt 0 ]; then
    timeout $((load_seconds + 10)) wrk -t1 -c8 -d"${load_seconds}s" "http://127.0.0.1:$port/" >> "$work/load" 2>&1 || echo "round $i: wrk failed" >> "$work/load"
  fi
  rm "$dir/v$i.ini"
  if ! within "while curl -s -o /dev/null http://127.0.0.1:$port/; do sleep 0.005; done"; then
    hangs=$((hangs + 1)); echo "round $i: still serving ${deadline} s after its ini was removed" >&2
  fi
done
total=$(( $(now_ms) - t_start ))
killed=$(grep -c "did not report ready" "$work/emperor.log" || true)
deaths=$(grep -c "died after" "$work/emperor.log" || true)
touch "$work/load"
requests=$(awk '/requests in/ { n += $1 } END { print n + 0 }' "$work/load")
failed=$(grep -c -E "Socket errors|Non-2xx|wrk failed" "$work/load" || true)
stop_emperor
printf '%s adoptions in a row: %s hang(s), %s worker(s) killed at the ready deadline, %s ms in all, median ini drop -> first 200 %s ms\n' \
  "$rounds" "$hangs" "$killed" "$total" "$(median < "$work/rounds")"
printf 'under load (%s s per vassal, 8 connections): %s requests, %s round(s) with failed requests, %s worker death(s)\n' \
  "$load_seconds" "$requests" "$failed" "$deaths"
[ "$hangs" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$deaths" -eq 0 ]
