#!/usr/bin/env bash
# .NET loader benchmarks (docs/benchmarks.md#net-adoption), for samples/dotnet-hello (the unchanged template) and samples/dotnet-index
# (5 s of start-up work), each:
#   1. cold `dotnet App.dll` -> first HTTP 200 (curl polling), vs ini dropped -> first 200 of a vassal adopted from
#      a base that preloaded the app (1 worker; bench/first-200.pl, 0.5 ms polling); median of N runs each
#   2. PSS: one cold `dotnet App.dll` after its first 200, vs per adopted vassal (master + 1 worker) with 10 running
# Usage: bash bench/dotnet-adoption.sh [N=5]      (numbers are noisy on a shared 2-core machine: medians)
#   BASE_OPTIONS='dotnet-precompile-kestrel = false' adds ini lines to the base (to measure what an option gains)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
bash scripts/build-release.sh
for app in dotnet-hello dotnet-index; do dotnet build "samples/$app" -c Release -nologo -v quiet >/dev/null; done
source bench/emperor-common.sh
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
# The loops below run in subshells, so their ports are not carried over: a port still held (by an adopted vassal
# of this run, or anyone else's) is skipped instead; a vassal that cannot bind would be respawned again and again.
free_port() { local p=$1; while ss -ltn | grep -q ":$p "; do p=$((p + 1)); done; echo "$p"; }
pss_kb() { local total=0; for p in "$@"; do total=$((total + $(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup"))); done; echo "$total"; }

cold_start() { # app port -> ms to first 200; leaves the process running as $cold_pid
  local t0; t0=$(now_ms)
  (cd "artifacts/samples/$1" && ASPNETCORE_URLS="http://127.0.0.1:$2" exec dotnet "$1.dll" >"$work/cold-$1.log" 2>&1) &
  cold_pid=$!
  wait_200 "$2"; echo $(( $(now_ms) - t0 ))
}
stop_cold() { kill -TERM "$cold_pid" 2>/dev/null; wait "$cold_pid" 2>/dev/null || true; }

ini() { # name port: writes $work/name.tmp, ready to be renamed into a vassal folder
  printf '[uwsgi]\nhttp-socket = 127.0.0.1:%s\nprocesses = 1\n' "$2" > "$work/$1.tmp"
}
drop() { # dir name port
  ini "$2" "$3" && mv "$work/$2.tmp" "$1/$2"
}
start_base() { # app dir socket
  mkdir -p "$2"
  artifacts/forkserver/forkserver --emperor "$2" --emperor-use-fork-server "$3" --vassal-fork-base dotnetbase.ini >"$2.log" 2>&1 &
  emperor_pid=$!
  printf '[uwsgi]\nplugins = dotnet\nearly-dotnet = %s\nfork-server = %s\n%s\n' "$PWD/artifacts/samples/$1/$1.dll" "$3" "${BASE_OPTIONS:-}" > "$work/base.tmp"
  mv "$work/base.tmp" "$2/dotnetbase.ini"
  until grep -q "fork server .* ready" "$2.log" 2>/dev/null; do sleep 0.05; done
}

port=25000
for app in dotnet-hello dotnet-index; do
  cold=$(for i in $(seq "$runs"); do port=$(free_port $((port + 1))); cold_start "$app" "$port"; stop_cold; done | median)
  port=$(free_port $((port + 1))); cold_start "$app" "$port" >/dev/null; cold_pss=$(pss_kb "$cold_pid"); stop_cold

  dir="$work/$app"; start_base "$app" "$dir" "@fs-bench-dotnet-$$-$app"
  # One at a time, from a quiet base (the pause lets it fork its next spare vassal), timed by bench/first-200.pl.
  adopted=$(for i in $(seq "$runs"); do
    sleep 0.5; port=$(free_port $((port + 1))); ini "a$i" "$port"; perl bench/first-200.pl "$port" "$work/a$i.tmp" "$dir/a$i.ini"
  done | median)
  for i in $(seq 10); do port=$(free_port $((port + 1))); drop "$dir" "p$i.ini" "$port"; wait_200 "$port"; done
  total=0
  for m in $(pgrep -P "$emperor_pid"); do
    grep -q "^fs p" "/proc/$m/comm" 2>/dev/null || continue
    total=$((total + $(pss_kb "$m" $(pgrep -P "$m"))))
  done
  stop_emperor

  printf '%s: cold dotnet App.dll -> first 200: %s ms; adopted ini drop -> first 200: %s ms (medians of %s); %sx faster\n' \
    "$app" "$cold" "$adopted" "$runs" "$(awk -v c="$cold" -v a="$adopted" 'BEGIN { printf "%.1f", c / a }')"
  printf '%s: PSS cold process %s kB; per adopted vassal (master + 1 worker, 10 running) %s kB\n' "$app" "$cold_pss" "$((total / 10))"
done
