#!/usr/bin/env bash
# Fork-server mode benchmarks (issue 4), ForkServer only (Debian's uWSGI 2.0.21 has no fork server; its 2.1-dev
# numbers are in FINDINGS.md §4):
#   1. ini dropped -> first HTTP 200, adopted from a base that loaded a 10 s app, vs classic (median of 5)
#   2. N inis dropped at once -> every adopted vassal answers 200
#   3. PSS per adopted vassal (master + 2 workers) with 15 running, app holding ~49 MB
# Usage: bash bench/adoption.sh [N=100]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100}
bash scripts/install-deps.sh >/dev/null
bash scripts/build-release.sh
source bench/emperor-common.sh
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

cat > "$work/slow.psgi" <<'PSGI'
sleep($ENV{APP_LOAD_SECONDS} // 10);
my $big = 'x' x ($ENV{APP_MEGABYTES} // 0) * 1024 * 1024;   # resident, shared copy-on-write with adopted vassals
sub { [200, ['Content-Type' => 'text/plain'], ['Hello World']] }
PSGI

start_emperor() { # dir [fork-server args...]
  local dir=$1; shift
  mkdir -p "$dir"
  artifacts/forkserver/forkserver --emperor "$dir" "$@" >"$dir.log" 2>&1 &
  emperor_pid=$!
}
drop() { # dir name port extra
  printf '[uwsgi]\nhttp-socket = 127.0.0.1:%s\nprocesses = 2\n%s\n' "$3" "$4" > "$work/$2.tmp" && mv "$work/$2.tmp" "$1/$2"
}
base() { # dir socket
  printf '[uwsgi]\nplugins = psgi\nearly-psgi = %s\nfork-server = %s\n' "$work/slow.psgi" "$2" > "$work/base.tmp" && mv "$work/base.tmp" "$1/perlbase.ini"
  until grep -q "fork server .* ready" "$1.log" 2>/dev/null; do sleep 0.05; done
}
fork_args() { echo "--emperor-use-fork-server $1 --vassal-fork-base perlbase.ini"; }

# 1. adopted vs classic, one at a time
socket="@fs-bench-$$"
dir="$work/adopted"; start_emperor "$dir" $(fork_args "$socket"); base "$dir" "$socket"
adopted=$(for i in 1 2 3 4 5; do t0=$(now_ms); drop "$dir" "a$i.ini" $((22000 + i)) ""; wait_200 $((22000 + i)); echo $(( $(now_ms) - t0 )); done | median)
stop_emperor
dir="$work/classic"; start_emperor "$dir"
classic=$(for i in 1 2 3; do t0=$(now_ms); drop "$dir" "c$i.ini" $((22100 + i)) "plugins = psgi
early-psgi = $work/slow.psgi"; wait_200 $((22100 + i)); echo $(( $(now_ms) - t0 )); rm "$dir/c$i.ini"; done | median)
stop_emperor

# 2. N adopted at once
dir="$work/many"; start_emperor "$dir" $(fork_args "$socket-many"); base "$dir" "$socket-many"
for i in $(seq 1 "$n"); do printf '[uwsgi]\nhttp-socket = 127.0.0.1:%s\nprocesses = 1\n' $((23000 + i)) > "$work/m$i.ini"; done
t0=$(now_ms); for i in $(seq 1 "$n"); do mv "$work/m$i.ini" "$dir/m$i.ini"; done
for i in $(seq 1 "$n"); do wait_200 $((23000 + i)); done
many=$(( $(now_ms) - t0 ))
stop_emperor

# 3. PSS with 15 adopted vassals, app holding ~49 MB
dir="$work/pss"; APP_LOAD_SECONDS=0 APP_MEGABYTES=49 start_emperor "$dir" $(fork_args "$socket-pss"); APP_LOAD_SECONDS=0 base "$dir" "$socket-pss"
for i in $(seq 1 15); do drop "$dir" "p$i.ini" $((24000 + i)) ""; done
for i in $(seq 1 15); do wait_200 $((24000 + i)); curl -fs -o /dev/null "http://127.0.0.1:$((24000 + i))/"; done
total=0
for m in $(pgrep -P "$emperor_pid"); do
  grep -q "fs p" "/proc/$m/comm" 2>/dev/null || continue
  for p in "$m" $(pgrep -P "$m"); do total=$((total + $(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup"))); done
done
stop_emperor

printf 'ini drop -> first 200, adopted (10 s app): %s ms (median of 5)\n' "$adopted"
printf 'ini drop -> first 200, classic (10 s app):  %s ms (median of 3)\n' "$classic"
printf '%s inis dropped at once -> all 200:         %s ms\n' "$n" "$many"
printf 'PSS per adopted vassal (master + 2 workers, 49 MB app, 15 running): %s kB\n' "$((total / 15))"
