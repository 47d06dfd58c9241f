#!/usr/bin/env bash
# Fork-server mode benchmarks, ForkServer only (Debian's uWSGI 2.0.21 has no fork server; for its 2.1-dev
# numbers see docs/benchmarks.md#fork-server-adoption):
#   1. ini dropped -> first HTTP 200, adopted from a base that loaded a 10 s app (median of DROPS), vs classic (median of 3)
#   2. N inis dropped at once -> every adopted vassal answers 200
#   3. PSS per adopted vassal (master + 2 workers) with 15 running, app holding ~49 MB, and what one vassal's
#      processes have private (dirty pages by kind of mapping, from /proc/PID/smaps)
# Times run from the rename of the ini into the folder to the first 200, taken by bench/first-200.pl.
# Usage: bash bench/adoption.sh [N=100] [DROPS=5]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100}
drops=${2:-5}
bash scripts/install-deps.sh >/dev/null
bash scripts/build-release.sh
source bench/emperor-common.sh
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

cat > "$work/slow.psgi" <<'PSGI'
sleep($ENV{APP_LOAD_SECONDS} // 10);
# A package variable, so it outlives the file's scope: resident in the base, shared copy-on-write with every vassal.
our $big = 'x' x (($ENV{APP_MEGABYTES} // 0) * 1024 * 1024);
sub { [200, ['Content-Type' => 'text/plain'], ['Hello World']] }
PSGI

start_emperor() { # dir [fork-server args...]
  local dir=$1; shift
  mkdir -p "$dir"
  artifacts/forkserver/forkserver --emperor "$dir" "$@" >"$dir.log" 2>&1 &
  emperor_pid=$!
}
ini() { # name port processes extra: writes $work/name.tmp, ready to be renamed into a vassal folder
  printf '[uwsgi]\nhttp-socket = 127.0.0.1:%s\nprocesses = %s\n%s\n' "$2" "$3" "$4" > "$work/$1.tmp"
}
drop() { # dir name port extra
  ini "$2" "$3" 2 "$4" && mv "$work/$2.tmp" "$1/$2"
}
timed_drop() { # dir name port extra: drops the ini and prints the ms to its first 200 (bench/first-200.pl)
  ini "$2" "$3" 2 "$4" && perl bench/first-200.pl "$3" "$work/$2.tmp" "$1/$2"
}
base() { # dir socket
  printf '[uwsgi]\nplugins = psgi\nearly-psgi = %s\nfork-server = %s\n' "$work/slow.psgi" "$2" > "$work/base.tmp" && mv "$work/base.tmp" "$1/perlbase.ini"
  until grep -q "fork server .* ready" "$1.log" 2>/dev/null; do sleep 0.05; done
}
fork_args() { echo "--emperor-use-fork-server $1 --vassal-fork-base perlbase.ini"; }

# 1. adopted vs classic, one at a time
socket="@fs-bench-$$"
dir="$work/adopted"; start_emperor "$dir" $(fork_args "$socket"); base "$dir" "$socket"
# One at a time, from a quiet base: the pause lets the previous vassal's second worker finish starting.
adopted_all=$(for i in $(seq 1 "$drops"); do sleep 0.5; timed_drop "$dir" "a$i.ini" $((22000 + i)) ""; done | awk '{ print $1 }' | sort -n)
adopted=$(echo "$adopted_all" | median)
stop_emperor
dir="$work/classic"; start_emperor "$dir"
classic=$(for i in 1 2 3; do timed_drop "$dir" "c$i.ini" $((22100 + i)) "plugins = psgi
early-psgi = $work/slow.psgi"; rm "$dir/c$i.ini"; done | median)
stop_emperor

# 2. N adopted at once
dir="$work/many"; start_emperor "$dir" $(fork_args "$socket-many"); base "$dir" "$socket-many"
sleep 0.5
for i in $(seq 1 "$n"); do ini "m$i" $((23000 + i)) 1 ""; done
many=$(perl bench/first-200.pl $(for i in $(seq 1 "$n"); do echo $((23000 + i)) "$work/m$i.tmp" "$dir/m$i.ini"; done))
stop_emperor

# 3. PSS with 15 adopted vassals, app holding ~49 MB
dir="$work/pss"; APP_LOAD_SECONDS=0 APP_MEGABYTES=49 start_emperor "$dir" $(fork_args "$socket-pss"); APP_LOAD_SECONDS=0 base "$dir" "$socket-pss"
for i in $(seq 1 15); do drop "$dir" "p$i.ini" $((24000 + i)) ""; done
for i in $(seq 1 15); do wait_200 $((24000 + i)); curl -fs -o /dev/null "http://127.0.0.1:$((24000 + i))/"; done
total=0
for m in $(pgrep -P "$emperor_pid"); do
  grep -q "fs p" "/proc/$m/comm" 2>/dev/null || continue
  for p in "$m" $(pgrep -P "$m"); do total=$((total + $(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup"))); done
  last=$m
done
# What one vassal's processes have to themselves; the 49 MB app, the runtime and the libraries are shared with the base.
breakdown=$(perl bench/private-memory.pl "$last" $(pgrep -P "$last"))
stop_emperor

printf 'ini drop -> first 200, adopted (10 s app): %s ms (median of %s: %s)\n' "$adopted" "$drops" "$(echo $adopted_all)"
printf 'ini drop -> first 200, classic (10 s app):  %s ms (median of 3)\n' "$classic"
printf '%s inis dropped at once -> all 200:         %s ms\n' "$n" "$many"
printf 'PSS per adopted vassal (master + 2 workers, 49 MB app, 15 running): %s kB\n' "$((total / 15))"
printf 'private dirty memory of one adopted vassal:\n%s\n' "$breakdown"
