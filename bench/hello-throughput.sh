#!/usr/bin/env bash
# Hello-world PSGI (sets Content-Length), 2 workers each: ForkServer vs Starman vs uWSGI (Debian 2.0.21), same run.
# Servers, one at a time (the others stopped), each given an unmeasured warm-up (WARMUP=2 s) and then
# `wrk -t2 -c16 -d<duration>s --latency` (keep-alive), then PSS per worker process:
#   forkserver          classic vassal, `early-psgi =` (app loaded before the privilege drop, as before)
#   forkserver-psgi     classic vassal, `psgi =` (app loaded in the master after the privilege drop)
#   forkserver-adopted  vassal adopted from an Emperor's fork-server base that preloaded the app (bench/adopted-load.sh)
#   starman             Starman --workers 2
#   uwsgi               uWSGI --http-socket (closes every connection: wrk counts each close as a read error)
#   uwsgi-http11        uWSGI --http11-socket (keeps connections alive, given the app's Content-Length)
# Prints the table and `forkserver/starman = ..x, forkserver/uwsgi = ..x` as before, then each ForkServer row against
# uwsgi-http11 (bar >= 1.0x). Exits non-zero if a ForkServer process died or a ForkServer request failed.
# Usage: bash bench/hello-throughput.sh [duration-seconds=10]   (or DURATION=10; the machine should be quiet)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh >/dev/null
bash scripts/build-release.sh
source bench/common.sh
duration=${1:-$duration}

echo "measuring: ${warmup} s warm-up + ${duration} s of wrk -t2 -c16 per server, one at a time" >&2
run_classic forkserver early-psgi "$psgi_loader"
run_classic forkserver-psgi late-psgi "plugins = psgi
psgi = $hello_psgi"
run_adopted forkserver-adopted psgi-emperor "$psgi_loader"
run_peer starman start_starman
run_peer uwsgi start_uwsgi http-socket
run_peer uwsgi-http11 start_uwsgi http11-socket

print_results forkserver forkserver-psgi forkserver-adopted starman uwsgi uwsgi-http11
awk -v a="${rps[forkserver]}" -v b="${rps[starman]}" -v c="${rps[uwsgi]}" \
  'BEGIN { printf "forkserver/starman = %.2fx, forkserver/uwsgi = %.2fx\n", a / b, a / c }'
for row in forkserver forkserver-psgi forkserver-adopted; do ratio "$row/uwsgi-http11" "$row" uwsgi-http11 1.0; done
check_clean forkserver forkserver-psgi forkserver-adopted
