#!/usr/bin/env bash
# Emperor benchmarks, ForkServer vs uWSGI 2.0.21 (Debian) in the same run, classic spawning, hello-world PSGI:
#   1. one ini dropped into a watched folder -> first HTTP 200 (median of 5)
#   2. N inis dropped at once -> every vassal answers 200
# Usage: bash bench/emperor-spawn.sh [N=100] [uwsgi|no-uwsgi]
# (uWSGI's Emperor sleeps 1 s per added vassal by default, so its N-drop takes about N seconds.)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100}
with_uwsgi=${2:-uwsgi}
app=$PWD/samples/hello/hello.psgi
bash scripts/install-deps.sh >/dev/null
bash scripts/build-release.sh
source bench/emperor-common.sh

vassal_ini() { # server port
  if [ "$1" = forkserver ]; then printf '[uwsgi]\nplugins = psgi\nhttp-socket = 127.0.0.1:%s\nprocesses = 1\npsgi = %s\n' "$2" "$app"
  else printf '[uwsgi]\nplugins = psgi\nmaster = true\nprocesses = 1\nhttp-socket = 127.0.0.1:%s\npsgi = %s\ndisable-logging = true\n' "$2" "$app"; fi
}
start_emperor() { # server dir
  if [ "$1" = forkserver ]; then artifacts/forkserver/forkserver --emperor "$2" >"$work/$1.log" 2>&1 &
  else uwsgi --emperor "$2" >"$work/$1.log" 2>&1 &
  fi
  emperor_pid=$!
  sleep 1 # both Emperors are idle and scanning an empty folder by now
}
drop() { # server dir name port
  vassal_ini "$1" "$4" > "$work/$3.tmp" && mv "$work/$3.tmp" "$2/$3"
}

single() { # server -> median ms
  local dir="$work/$1-single" times=()
  mkdir -p "$dir"; start_emperor "$1" "$dir"
  for i in 1 2 3 4 5; do
    local port=$((20000 + i)) t0
    t0=$(now_ms); drop "$1" "$dir" "s$i.ini" "$port"; wait_200 "$port"; times+=($(( $(now_ms) - t0 )))
    rm "$dir/s$i.ini"; until ! curl -fs -o /dev/null "http://127.0.0.1:$port/"; do sleep 0.05; done
  done
  stop_emperor
  printf '%s\n' "${times[@]}" | sort -n | sed -n 3p
}

many() { # server -> ms until all N answer
  local dir="$work/$1-many" t0
  mkdir -p "$dir"; start_emperor "$1" "$dir"
  for i in $(seq 1 "$n"); do vassal_ini "$1" $((21000 + i)) > "$work/m$i.ini"; done
  t0=$(now_ms)
  for i in $(seq 1 "$n"); do mv "$work/m$i.ini" "$dir/m$i.ini"; done
  for i in $(seq 1 "$n"); do wait_200 $((21000 + i)); done
  echo $(( $(now_ms) - t0 ))
  stop_emperor
}

fs_single=$(single forkserver); fs_many=$(many forkserver)
printf '%-12s %22s %26s\n' emperor 'drop -> first 200 (ms)' "$n dropped -> all 200 (ms)"
printf '%-12s %22s %26s\n' forkserver "$fs_single" "$fs_many"
if [ "$with_uwsgi" = uwsgi ]; then
  uw_single=$(single uwsgi); uw_many=$(many uwsgi)
  printf '%-12s %22s %26s\n' uwsgi "$uw_single" "$uw_many"
  awk -v a="$fs_single" -v b="$uw_single" -v c="$fs_many" -v d="$uw_many" 'BEGIN { printf "uwsgi/forkserver: single %.1fx, many %.1fx\n", b / a, d / c }'
fi
