# Sourced by the throughput benchmarks (bench/hello-throughput.sh, bench/adopted-load.sh): a scratch folder, every
# server they start tracked by pid and stopped on exit (also on an error or Ctrl-C), wrk runs parsed into req/s and
# p99, PSS, worker deaths, and the ForkServer set-ups (classic vassal, Emperor with a fork-server base, adoption).
# Everything listens on 127.0.0.1 only. DURATION (seconds, default 10) is the measured run, WARMUP (default 2) an
# unmeasured wrk run before it; both with `wrk -t2 -c16` (keep-alive).
# FORKSERVER (default artifacts/forkserver/forkserver) is the binary the ForkServer set-ups run.
work=$(mktemp -d)
duration=${DURATION:-10}
warmup=${WARMUP:-2}
forkserver=${FORKSERVER:-$PWD/artifacts/forkserver/forkserver}
declare -A rps=() p99=() errors=() pss=() dead=()

## Processes: `launch` starts one and records its pid; `stop` ends it by that pid; on exit the rest are stopped.
started=()
launch() { # log command...: runs the command in the background with its output in log; sets launched_pid
  "${@:2}" >"$1" 2>&1 &
  launched_pid=$!
  started+=("$launched_pid")
}
stop() { # pid: SIGINT (a graceful stop for every server here; uWSGI takes SIGTERM as "reload"), SIGKILL after 30 s
  local pid=$1 p kept=()
  if kill -INT "$pid" 2>/dev/null; then
    for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
  # Forgotten once stopped, so that cleanup never signals a recycled pid.
  for p in "${started[@]}"; do [ "$p" = "$pid" ] || kept+=("$p"); done
  started=("${kept[@]}")
}
cleanup() { # newest first: an Emperor stops its own vassals
  local i
  for ((i = ${#started[@]} - 1; i >= 0; i--)); do stop "${started[i]}" || true; done
  rm -rf "$work" || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

die() { echo "$*" >&2; exit 1; }
free_port() { # from: the first port at or above it that nothing listens on
  local p=$1
  while ss -Hltn "sport = :$p" | grep -q .; do p=$((p + 1)); done
  echo "$p"
}
next_port=28100
take_port() { next_port=$(free_port $((next_port + 1))); port=$next_port; } # sets port
wait_http() { # port pid [seconds=120]: until the port answers 200; fails if pid exits first or time runs out
  local deadline=$((SECONDS + ${3:-120}))
  until curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$1/"; do
    kill -0 "$2" 2>/dev/null || die "pid $2 exited before port $1 answered"
    ((SECONDS < deadline)) || die "port $1 did not answer within ${3:-120} s"
    sleep 0.05
  done
}
wait_log() { # file pattern pid [seconds=120]: until a line of the file matches
  local deadline=$((SECONDS + ${4:-120}))
  until grep -q -E "$2" "$1" 2>/dev/null; do
    kill -0 "$3" 2>/dev/null || die "pid $3 exited before its log said '$2' (see $1)"
    ((SECONDS < deadline)) || die "no '$2' in $1 within ${4:-120} s"
    sleep 0.05
  done
}

## Apps
# Hello world with a Content-Length, which uWSGI's --http11-socket needs to keep a connection alive.
hello_psgi=$work/hello.psgi
cat > "$hello_psgi" <<'PSGI'
my $body = "Hello World\n";
my $app = sub { [200, ['Content-Type' => 'text/plain', 'Content-Length' => length $body], [$body]] };
PSGI
dotnet_hello_dir=$PWD/artifacts/samples/dotnet-hello
dotnet_hello_dll=$dotnet_hello_dir/dotnet-hello.dll

## Measuring
to_ms() { # a wrk duration (850.00us, 1.23ms, 1.02s, 1.50m) -> milliseconds
  awk -v d="$1" 'BEGIN { v = d + 0; u = d; sub(/^[0-9.]+/, "", u)
    printf "%.2f", v * (u == "us" ? 0.001 : u == "ms" ? 1 : u == "s" ? 1000 : u == "m" ? 60000 : 1) }'
}
measure() { # label port: an unmeasured warm-up, then the measured run; sets rps, p99 and errors [label]
  local url="http://127.0.0.1:$2/" out="$work/wrk-${1//[^A-Za-z0-9]/_}.txt"
  if ((warmup > 0)); then wrk -t2 -c16 -d"${warmup}s" "$url" >/dev/null; fi
  wrk -t2 -c16 -d"${duration}s" --latency "$url" >"$out"
  rps[$1]=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
  p99[$1]=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")
  # Socket errors (connect, read, write, timeout) plus responses that were not 2xx or 3xx.
  errors[$1]=$(awk '/Socket errors:/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 } /Non-2xx/ { n += $NF } END { print n + 0 }' "$out")
}
pss_kb() { # pids...: summed PSS in kB
  local p total=0
  for p in "$@"; do total=$((total + $(awk '/^Pss:/ { print $2 }' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0))); done
  echo "$total"
}
workers_pss() { # master: average PSS (kB) of its child processes (its workers); a server without any is its own worker
  local workers
  workers=$(pgrep -P "$1" || true)
  [ -n "$workers" ] || { pss_kb "$1"; return; }
  echo $(($(pss_kb $workers) / $(echo "$workers" | wc -w)))
}
record() { # label port master [logs...]: measure, then the PSS of the master's workers and the deaths the logs show
  measure "$1" "$2"
  pss[$1]=$(workers_pss "$3")
  if (($# > 3)); then dead[$1]=$(deaths "${@:4}"); fi
}
deaths() { # logs...: process deaths the Emperor, a vassal or its master logged (worker, vassal, spare vassal)
  cat "$@" 2>/dev/null | grep -c -E ' died( |:)' || true
}

## Report
print_results() { # labels...: one table row per measured label ("-": not measured, or no ForkServer log to count)
  local l
  printf '%-26s %10s %16s %9s %7s %7s\n' server 'req/s' 'PSS/worker (kB)' 'p99 (ms)' errors deaths
  for l in "$@"; do
    printf '%-26s %10s %16s %9s %7s %7s\n' "$l" "${rps[$l]:--}" "${pss[$l]:--}" "${p99[$l]:--}" "${errors[$l]:--}" "${dead[$l]:--}"
  done
}
check_clean() { # labels...: prints the ForkServer deaths and failed requests of those runs; fails unless both are 0
  local l died=0 failed=0
  for l in "$@"; do died=$((died + ${dead[$l]:-0})); failed=$((failed + ${errors[$l]:-0})); done
  printf 'ForkServer process deaths during the runs: %s (must be 0); ForkServer failed requests: %s (must be 0)\n' "$died" "$failed"
  [ "$died" -eq 0 ] && [ "$failed" -eq 0 ]
}
ratio() { # name a b bar: prints rps[a] / rps[b] and whether it meets the bar (a minimum; "-" for none)
  awk -v n="$1" -v a="${rps[$2]:-0}" -v b="${rps[$3]:-0}" -v bar="$4" 'BEGIN {
    r = b > 0 ? a / b : 0
    if (bar == "-") printf "%-44s %6.2fx\n", n, r
    else printf "%-44s %6.2fx  (bar >= %s: %s)\n", n, r, bar, (r >= bar ? "ok" : "MISSED") }'
}

## ForkServer set-ups. Every vassal runs as the user running the benchmark (root is fine), set explicitly so that
## classic and adopted vassals run as the same user (an adopted one without uid would run as nobody).
run_as=$(printf 'uid = %s\ngid = %s' "$(id -u)" "$(id -g)")
wait_workers() { # log master: until the master logs that both its workers accept (the first 200 may come from one)
  wait_log "$1" "\\[pid $2\\] .*all 2 worker\\(s\\) accepting" "$2" 60
}
start_classic() { # name port loader-lines: a classic vassal (forkserver --ini), 2 workers; sets master_pid
  printf '[uwsgi]\n%s\nhttp-socket = 127.0.0.1:%s\nprocesses = 2\n%s\n' "$3" "$2" "$run_as" >"$work/$1.ini"
  launch "$work/$1.log" "$forkserver" --ini "$work/$1.ini"
  master_pid=$launched_pid
  wait_http "$2" "$master_pid"
  wait_workers "$work/$1.log" "$master_pid"
}
start_fork_emperor() { # name loader-lines: an Emperor over $work/name/ whose base preloads the app; returns once the
  # base is ready; sets emperor_pid, emperor_dir and emperor_log (adopted vassals log there too)
  emperor_dir=$work/$1
  emperor_log=$work/$1.log
  mkdir -p "$emperor_dir"
  local socket="@fs-bench-$$-$1"
  printf '[uwsgi]\n%s\nfork-server = %s\n' "$2" "$socket" >"$emperor_dir/base.ini"
  launch "$emperor_log" "$forkserver" --emperor "$emperor_dir" --emperor-use-fork-server "$socket" --vassal-fork-base base.ini
  emperor_pid=$launched_pid
  wait_log "$emperor_log" "fork server [0-9]+ ready" "$emperor_pid"
}
adopt() { # name port: drops name.ini (2 workers) into the Emperor's folder, waits for 200; sets master_pid
  printf '[uwsgi]\nhttp-socket = 127.0.0.1:%s\nprocesses = 2\n%s\n' "$2" "$run_as" >"$work/$1.tmp"
  mv "$work/$1.tmp" "$emperor_dir/$1.ini"
  wait_http "$2" "$emperor_pid"
  master_pid=$(grep -o -E "master [0-9]+ serving .* on http://127.0.0.1:$2 with" "$emperor_log" | tail -1 | awk '{ print $2 }')
  [ -n "$master_pid" ] || die "no master serving port $2 in $emperor_log"
  wait_workers "$emperor_log" "$master_pid"
}

## One server measured from start to stop, on a fresh port: start, warm-up, load, PSS, deaths, stop.
run_classic() { # label name loader-lines: a classic ForkServer vassal
  take_port; start_classic "$2" "$port" "$3"
  record "$1" "$port" "$master_pid" "$work/$2.log"
  stop "$master_pid"
}
run_adopted() { # label name loader-lines: an Emperor whose base preloads the app, and one vassal adopted from it
  take_port; start_fork_emperor "$2" "$3"; adopt app "$port"
  record "$1" "$port" "$master_pid" "$emperor_log"
  stop "$emperor_pid"
}
run_peer() { # label start-function [args...]: Starman, uWSGI or a cold Kestrel (the function takes the port last)
  take_port; "$2" "${@:3}" "$port"
  record "$1" "$port" "$server_pid"
  stop "$server_pid"
}
psgi_loader="plugins = psgi
early-psgi = $hello_psgi"
dotnet_loader="plugins = dotnet
early-dotnet = $dotnet_hello_dll"

## The peers
start_starman() { # port: Starman, 2 workers, the PSGI hello; sets server_pid
  launch "$work/starman-$1.log" starman --workers 2 --listen "127.0.0.1:$1" "$hello_psgi"
  server_pid=$launched_pid
  wait_http "$1" "$server_pid"
}
start_uwsgi() { # socket-option port: uWSGI (--http-socket closes every connection, --http11-socket keeps it alive),
  # master + 2 workers, the PSGI hello, no request log; sets server_pid
  launch "$work/uwsgi-$2.log" uwsgi --plugin psgi --psgi "$hello_psgi" --master --processes 2 "--$1" "127.0.0.1:$2" --disable-logging
  server_pid=$launched_pid
  wait_http "$2" "$server_pid"
}
start_cold_kestrel() { # port: `dotnet dotnet-hello.dll` as the SDK runs it (one Kestrel process); sets server_pid
  launch "$work/kestrel-$1.log" env -C "$dotnet_hello_dir" dotnet "$dotnet_hello_dll" --urls "http://127.0.0.1:$1"
  server_pid=$launched_pid
  wait_http "$1" "$server_pid"
}

## Interleaved A/B (bench/adopted-load.sh): two servers running at once, measured in alternation, so that the
## machine's load and the time since start fall on both alike.
forget() { # pid: drops a pid that has already been waited for from the stop-on-exit list, without signalling it
  local p kept=()
  for p in "${started[@]}"; do [ "$p" = "$1" ] || kept+=("$p"); done
  started=("${kept[@]}")
}
median() { # numbers...: their median (the mean of the middle two for an even count)
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR) printf "%.4f\n", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
wrk_rps() { awk '/^Requests\/sec:/ { print $2 }' "$1"; } # wrk-output: req/s
wrk_errors() { # wrk-output: socket errors (connect, read, write, timeout) plus responses that were not 2xx or 3xx
  awk '/Socket errors:/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 } /Non-2xx/ { n += $NF } END { print n + 0 }' "$1"
}
worker_split() { # port master: ESTABLISHED connections on the port held by each of the master's children (its
  # workers), in pid order, as "9/7"; connections still in the accept queue belong to no process and are not counted
  local s w counts=()
  s=$(ss -Htnp state established "sport = :$1" 2>/dev/null || true)
  for w in $(pgrep -P "$2" | sort -n); do counts+=("$(grep -c "pid=$w," <<<"$s" || true)"); done
  local IFS=/
  echo "${counts[*]}"
}
