#!/usr/bin/env bash
# Fast requests among slow ones, 2 workers: is a fast request ever left waiting in a worker busy with a slow one
# while the other worker could serve it? Each server, one at a time (the others stopped), runs a PSGI app with a
# fast `/` (hello world with Content-Length) and `/sleep?S`; after an unmeasured warm-up of the fast path
# (WARMUP=2 s), SLOW clients (default 1) request /sleep?SLOW_SECONDS (default 1) back to back, and meanwhile
# `wrk -t1 -c$FAST -d<duration>s --latency` (FAST=4) measures the fast path. Every request of both loads is on a
# fresh connection (`Connection: close`), so any worker may take it. Rows:
#   forkserver             classic vassal (`psgi =`), 2 workers
#   forkserver-keepalive   the same vassal, the fast clients on keep-alive connections (each stays with the worker
#                          that accepted it, so its requests wait whenever that worker serves a slow one)
#   starman                Starman --workers 2
#   uwsgi                  uWSGI --master --processes 2 --http-socket
# Prints fast req/s, p50, p99, the fast load's failed requests and the slow requests served, per row.
# Exits non-zero if a ForkServer process died or a ForkServer request failed.
# Usage: bash bench/worker-fairness.sh [duration-seconds=10]   (FORKSERVER=path/to/forkserver measures another
# build, e.g. main's, without building this one)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh >/dev/null
[ -n "${FORKSERVER:-}" ] || bash scripts/build-release.sh
source bench/common.sh
duration=${1:-$duration}
slow=${SLOW:-1}
slow_seconds=${SLOW_SECONDS:-1}
fast=${FAST:-4}
declare -A p50=() slow_served=()

fairness_psgi=$work/fairness.psgi
cat > "$fairness_psgi" <<'PSGI'
use Time::HiRes ();
my $body = "Hello World\n";
my $app = sub {
    my $env = shift;
    Time::HiRes::sleep($env->{QUERY_STRING} || 1) if $env->{PATH_INFO} eq '/sleep';
    [200, ['Content-Type' => 'text/plain', 'Content-Length' => length $body], [$body]];
};
PSGI

mixed() { # label port [keepalive]: the slow load in the background, the fast load measured; sets rps, p50, p99,
  # errors and slow_served [label]
  local out="$work/fast-$1.txt" slow_out="$work/slow-$1.txt" close=(-H 'Connection: close')
  [ "${3:-}" != keepalive ] || close=()
  if ((warmup > 0)); then wrk -t1 -c"$fast" -d"${warmup}s" "${close[@]}" "http://127.0.0.1:$2/" >/dev/null; fi
  launch "$slow_out" wrk -t1 -c"$slow" -d"$((duration + 2))s" --timeout 30s -H 'Connection: close' \
    "http://127.0.0.1:$2/sleep?$slow_seconds"
  local slow_pid=$launched_pid
  sleep 1 # the slow load under way before the measured run starts
  wrk -t1 -c"$fast" -d"${duration}s" --timeout 30s --latency "${close[@]}" "http://127.0.0.1:$2/" >"$out"
  wait "$slow_pid" || true
  forget "$slow_pid"
  rps[$1]=$(wrk_rps "$out")
  p50[$1]=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")
  p99[$1]=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")
  errors[$1]=$(wrk_errors "$out")
  slow_served[$1]=$(awk '/requests in/ { print $1 }' "$slow_out")
}

echo "measuring: $slow client(s) of /sleep?$slow_seconds and $fast fast clients for ${duration} s, per server" >&2
take_port; start_classic fairness "$port" "plugins = psgi
psgi = $fairness_psgi"
mixed forkserver "$port"
mixed forkserver-keepalive "$port" keepalive
dead[forkserver]=$(deaths "$work/fairness.log")
stop "$master_pid"

take_port
launch "$work/starman.log" starman --workers 2 --listen "127.0.0.1:$port" "$fairness_psgi"
server_pid=$launched_pid
wait_http "$port" "$server_pid"
mixed starman "$port"
stop "$server_pid"

take_port
launch "$work/uwsgi.log" uwsgi --plugin psgi --psgi "$fairness_psgi" --master --processes 2 --http-socket "127.0.0.1:$port" --disable-logging
server_pid=$launched_pid
wait_http "$port" "$server_pid"
mixed uwsgi "$port"
stop "$server_pid"

printf '%-22s %10s %9s %9s %7s %12s\n' server 'fast req/s' 'p50 (ms)' 'p99 (ms)' errors 'slow served'
for l in forkserver forkserver-keepalive starman uwsgi; do
  printf '%-22s %10s %9s %9s %7s %12s\n' "$l" "${rps[$l]:--}" "${p50[$l]:--}" "${p99[$l]:--}" "${errors[$l]:--}" "${slow_served[$l]:--}"
done
check_clean forkserver forkserver-keepalive
