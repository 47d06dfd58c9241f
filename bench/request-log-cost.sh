#!/usr/bin/env bash
# What the request log costs: the PSGI hello (Content-Length, keep-alive), 2 workers, as in bench/hello-throughput.sh,
# with and without the request log, for ForkServer (a classic vassal: its default uWSGI-style line, then
# `disable-logging = true`) and for uWSGI (--http11-socket: its default request log, then --disable-logging), in the
# same run, each twice and interleaved. The lines go to a file, as with logto. Prints the table, then each server's
# logging/not-logging ratio. Runs the laid-out binary as is: run scripts/build-release.sh first.
# Usage: bash bench/request-log-cost.sh [duration-seconds=10]   (or DURATION=10; the machine should be quiet)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
duration=${1:-$duration}

start_uwsgi_logging() { # port: uWSGI as start_uwsgi http11-socket does, with its request log on; sets server_pid
  launch "$work/uwsgi-logging-$1.log" uwsgi --plugin psgi --psgi "$hello_psgi" --master --processes 2 --http11-socket "127.0.0.1:$1"
  server_pid=$launched_pid
  wait_http "$1" "$server_pid"
}

echo "measuring: ${warmup} s warm-up + ${duration} s of wrk -t2 -c16 per server, one at a time, two rounds" >&2
labels=()
for round in 1 2; do
  run_classic "forkserver-log-$round" "log-$round" "$psgi_loader"
  run_classic "forkserver-nolog-$round" "nolog-$round" "$psgi_loader
disable-logging = true"
  run_peer "uwsgi-log-$round" start_uwsgi_logging
  run_peer "uwsgi-nolog-$round" start_uwsgi http11-socket
  labels+=("forkserver-log-$round" "forkserver-nolog-$round" "uwsgi-log-$round" "uwsgi-nolog-$round")
done

print_results "${labels[@]}"
for round in 1 2; do
  ratio "forkserver log/no log, round $round" "forkserver-log-$round" "forkserver-nolog-$round" -
  ratio "uwsgi log/no log, round $round" "uwsgi-log-$round" "uwsgi-nolog-$round" -
done
lines=$(grep -c '^\[pid: [0-9]*|app: 0|req: ' "$work/log-1.log" || true)
echo "request lines ForkServer wrote in round 1: $lines"
check_clean forkserver-log-1 forkserver-nolog-1 forkserver-log-2 forkserver-nolog-2
