#!/usr/bin/env bash
# Adopted vassals under sustained load: does a vassal forked from a fork-server base serve as fast as a classic one?
# 1. One server at a time (the others stopped), each with an unmeasured warm-up and then
#    `wrk -t2 -c16 -d${DURATION}s --latency` (keep-alive); req/s, p99 latency, PSS per worker, worker deaths:
#   PSGI hello world (sets Content-Length), 2 workers each:
#     ForkServer classic vassal (plugins = psgi, early-psgi), ForkServer adopted vassal (an Emperor whose base
#     preloads the app with early-psgi; emperor-use-fork-server, vassal-fork-base), Starman (--workers 2),
#     uWSGI 2.0.21 --http11-socket (keep-alive; --master --processes 2)
#   .NET samples/dotnet-hello (the unchanged `dotnet new web` template):
#     ForkServer classic vassal (plugins = dotnet, early-dotnet), 2 workers; ForkServer adopted vassal from a .NET
#     base, 2 workers; a cold `dotnet dotnet-hello.dll --urls ...` (one Kestrel process, the SDK's settings)
# 2. Interleaved A/B, .NET then PSGI (AB_PSGI=0 skips PSGI): a classic and an adopted vassal of the app (2 workers
#    each) running at the same time on two ports; a warm-up of each, then PAIRS (default 6) pairs of
#    `wrk -t2 -c16 -d${AB_DURATION:-5}s`, classic then adopted in odd pairs, adopted then classic in even ones. Each
#    run prints its req/s and the split of wrk's 16 connections between the measured vassal's two workers (pid
#    order; ESTABLISHED connections per worker pid from `ss -tnp`, about 1 s into the run); each pair its
#    adopted / classic ratio; then the median ratio.
# Why the A/B: Kestrel accepts in bursts (no EPOLLEXCLUSIVE), so whichever .NET worker wakes first takes most of
# wrk's 16 keep-alive connections (16/0 and 15/1 are common) and keeps them for the whole run; a 16/0 split serves
# about 25% less than 8/8, classic and adopted alike. One run per server is then a draw of that split, not a measure
# of adoption. ForkServer's PSGI workers split unevenly too at times (several accepts per wake-up); their A/B is
# printed as information, and the PSGI bar stays on the one-at-a-time ratio.
# Ratios and bars: adopted / classic >= 0.9 -- for PSGI on the one-at-a-time runs, for .NET on the A/B median
# (the .NET one-at-a-time ratio is printed as information); adopted .NET / cold Kestrel >= 0.8 (one at a time);
# ForkServer / uWSGI http11 and adopted / Starman without a bar. The cold Kestrel's PSS is its one process's.
# Vassals run as the user running the script (root is fine), classic and adopted alike. Worker deaths are counted
# in the Emperors' and the classic vassals' logs.
# Exits non-zero if a ForkServer process died (worker, vassal, spare) or a ForkServer run (A/B included) had a failed
# request; a missed bar is only reported. Everything listens on 127.0.0.1 and is stopped on exit, by pid.
# Usage: DURATION=10 WARMUP=2 PAIRS=6 AB_DURATION=5 bash bench/adopted-load.sh   (as root or not; a quiet machine)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh >/dev/null
bash scripts/build-release.sh
dotnet build samples/dotnet-hello -nologo -v quiet >/dev/null
source bench/common.sh
pairs=${PAIRS:-6}
ab_duration=${AB_DURATION:-5}

ab_run() { # port master output: one wrk run, the workers' connection split about 1 s in; sets run_rps, run_split;
  # adds the run's failed requests to ab_failed
  launch "$3" wrk -t2 -c16 -d"${ab_duration}s" "http://127.0.0.1:$1/"
  local pid=$launched_pid
  sleep 1
  run_split=$(worker_split "$1" "$2")
  wait "$pid" || die "wrk on port $1 failed (see $3)"
  forget "$pid"
  run_rps=$(wrk_rps "$3")
  ab_failed=$((ab_failed + $(wrk_errors "$3")))
}
interleaved() { # app loader-lines bar ("-": information only): the A/B of a classic and an adopted vassal of the
  # app, both running; writes its lines to $work/ab-app.txt; sets rps, errors and dead [app/ab-*]
  local app=$1 report=$work/ab-$1.txt pa pb classic adopted i k ratios=() rc=() ra=() line
  declare -A got_rps got_split
  take_port; pa=$port; start_classic "$app-ab-classic" "$pa" "$2"; classic=$master_pid
  take_port; pb=$port; start_fork_emperor "$app-ab-emperor" "$2"; adopt app "$pb"; adopted=$master_pid
  if ((warmup > 0)); then
    wrk -t2 -c16 -d"${warmup}s" "http://127.0.0.1:$pa/" >/dev/null
    wrk -t2 -c16 -d"${warmup}s" "http://127.0.0.1:$pb/" >/dev/null
  fi
  ab_failed=0
  printf '%s A/B: classic (port %s) and adopted (port %s) vassals running at once, 2 workers each; %s pairs of wrk -t2 -c16 -d%ss, order alternating; load average %s at start\n' \
    "$app" "$pa" "$pb" "$pairs" "$ab_duration" "$(cut -d' ' -f1-3 /proc/loadavg)" >"$report"
  printf '%-5s %-16s %13s %9s %13s %9s %9s %6s\n' pair order 'classic req/s' split 'adopted req/s' split 'ad/cl' load >>"$report"
  for ((i = 1; i <= pairs; i++)); do
    if ((i % 2)); then order="classic adopted"; else order="adopted classic"; fi
    for k in $order; do
      if [ "$k" = classic ]; then ab_run "$pa" "$classic" "$work/ab-$app-$i-classic.txt"
      else ab_run "$pb" "$adopted" "$work/ab-$app-$i-adopted.txt"; fi
      got_rps[$k]=$run_rps got_split[$k]=$run_split
    done
    rc+=("${got_rps[classic]}") ra+=("${got_rps[adopted]}")
    ratios+=("$(awk -v a="${got_rps[adopted]}" -v c="${got_rps[classic]}" 'BEGIN { printf "%.4f", (c > 0 ? a / c : 0) }')")
    printf '%-5s %-16s %13.0f %9s %13.0f %9s %9.2f %6s\n' "$i" "${order/ /,}" "${got_rps[classic]}" "${got_split[classic]}" \
      "${got_rps[adopted]}" "${got_split[adopted]}" "${ratios[-1]}" "$(cut -d' ' -f1 /proc/loadavg)" >>"$report"
  done
  rps[$app/ab-classic]=$(median "${rc[@]}") rps[$app/ab-adopted]=$(median "${ra[@]}")
  errors[$app/ab]=$ab_failed
  dead[$app/ab]=$(deaths "$work/$app-ab-classic.log" "$emperor_log")
  line=$(awk -v r="$(median "${ratios[@]}")" -v n="$pairs" -v bar="$3" -v app="$app" -v c="${rps[$app/ab-classic]}" -v a="${rps[$app/ab-adopted]}" 'BEGIN {
    printf "%s A/B: median adopted / classic %.2fx over %d pairs (median req/s: classic %.0f, adopted %.0f)", app, r, n, c, a
    if (bar == "-") printf "  (information; the bar is on the one-at-a-time ratio)\n"
    else printf "  (bar >= %s, judged on this median: %s)\n", bar, (r >= bar ? "ok" : "MISSED") }')
  echo "$line" >>"$report"
  stop "$emperor_pid"
  stop "$classic"
}

echo "measuring: ${warmup} s warm-up + ${duration} s of wrk -t2 -c16 per server, one at a time" >&2
run_classic psgi/forkserver-classic psgi-classic "$psgi_loader"
run_adopted psgi/forkserver-adopted psgi-emperor "$psgi_loader"
run_peer psgi/starman start_starman
run_peer psgi/uwsgi-http11 start_uwsgi http11-socket
run_classic dotnet/forkserver-classic dotnet-classic "$dotnet_loader"
run_adopted dotnet/forkserver-adopted dotnet-emperor "$dotnet_loader"
run_peer dotnet/kestrel-cold start_cold_kestrel
ab_apps=(dotnet)
[ "${AB_PSGI:-1}" = 0 ] || ab_apps+=(psgi)
echo "measuring A/B (${ab_apps[*]}): classic and adopted running at once, $pairs pairs of ${ab_duration} s runs each" >&2
interleaved dotnet "$dotnet_loader" 0.9
[ "${AB_PSGI:-1}" = 0 ] || interleaved psgi "$psgi_loader" -

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
ratio "dotnet: adopted / classic, one at a time" dotnet/forkserver-adopted dotnet/forkserver-classic -
echo "  (information only: the .NET bar is judged on the A/B median below, since one run per server is a draw"
echo "   of how Kestrel's two workers split wrk's connections)"
ratio "dotnet: adopted (2 workers) / cold kestrel" dotnet/forkserver-adopted dotnet/kestrel-cold 0.8
for app in "${ab_apps[@]}"; do echo; cat "$work/ab-$app.txt"; done
echo
ab_labels=()
for app in "${ab_apps[@]}"; do ab_labels+=("$app/ab"); done
check_clean psgi/forkserver-classic psgi/forkserver-adopted dotnet/forkserver-classic dotnet/forkserver-adopted "${ab_labels[@]}"
