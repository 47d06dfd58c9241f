#!/usr/bin/env bash
# Adopted vassals under sustained load: does a vassal forked from a fork-server base serve as fast as a classic one?
# Same run, same app, one server at a time (the others stopped), each with an unmeasured warm-up and then
# `wrk -t2 -c16 -d${DURATION}s --latency` (keep-alive); req/s, p99 latency, PSS per worker, worker deaths:
#   PSGI hello world (sets Content-Length), 2 workers each:
#     ForkServer classic vassal (plugins = psgi, early-psgi), ForkServer adopted vassal (an Emperor whose base
#     preloads the app with early-psgi; emperor-use-fork-server, vassal-fork-base), Starman (--workers 2),
#     uWSGI 2.0.21 --http11-socket (keep-alive; --master --processes 2)
#   .NET samples/dotnet-hello (the unchanged `dotnet new web` template):
#     ForkServer classic vassal (plugins = dotnet, early-dotnet), 2 workers; ForkServer adopted vassal from a .NET
#     base, 2 workers; a cold `dotnet dotnet-hello.dll --urls ...` (one Kestrel process, the SDK's settings)
# Ratios: adopted / classic (bar >= 0.9, both apps), ForkServer / uWSGI http11, adopted .NET / cold Kestrel
# (bar >= 0.8). The cold Kestrel's PSS is its one process's. Vassals run as the user running the script (root is
# fine), classic and adopted alike. Worker deaths are counted in the Emperor's and the classic vassals' logs.
# Exits non-zero if a ForkServer process died (worker, vassal, spare) or a ForkServer run had a failed request;
# a missed bar is only reported. Everything listens on 127.0.0.1 and is stopped on exit, by pid.
# Usage: DURATION=10 WARMUP=2 bash bench/adopted-load.sh        (as root or not; the machine should be quiet)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh >/dev/null
bash scripts/build-release.sh
dotnet build samples/dotnet-hello -nologo -v quiet >/dev/null
source bench/common.sh

echo "measuring: ${warmup} s warm-up + ${duration} s of wrk -t2 -c16 per server, one at a time" >&2
run_classic psgi/forkserver-classic psgi-classic "$psgi_loader"
run_adopted psgi/forkserver-adopted psgi-emperor "$psgi_loader"
run_peer psgi/starman start_starman
run_peer psgi/uwsgi-http11 start_uwsgi http11-socket
run_classic dotnet/forkserver-classic dotnet-classic "$dotnet_loader"
run_adopted dotnet/forkserver-adopted dotnet-emperor "$dotnet_loader"
run_peer dotnet/kestrel-cold start_cold_kestrel

echo
printf 'adopted vassals under load, %s, %s cores, load average %s, %s s per server\n' \
  "$(date -u +%F)" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$duration"
print_results psgi/forkserver-classic psgi/forkserver-adopted psgi/starman psgi/uwsgi-http11 \
  dotnet/forkserver-classic dotnet/forkserver-adopted dotnet/kestrel-cold
echo
ratio "psgi: adopted / classic" psgi/forkserver-adopted psgi/forkserver-classic 0.9
ratio "psgi: classic / uwsgi http11" psgi/forkserver-classic psgi/uwsgi-http11 -
ratio "psgi: adopted / uwsgi http11" psgi/forkserver-adopted psgi/uwsgi-http11 -
ratio "psgi: adopted / starman" psgi/forkserver-adopted psgi/starman -
ratio "dotnet: adopted / classic" dotnet/forkserver-adopted dotnet/forkserver-classic 0.9
ratio "dotnet: adopted (2 workers) / cold kestrel" dotnet/forkserver-adopted dotnet/kestrel-cold 0.8
check_clean psgi/forkserver-classic psgi/forkserver-adopted dotnet/forkserver-classic dotnet/forkserver-adopted
