#!/usr/bin/env bash
# A neighbour flooding the fork-server socket (RELIABILITY.md#hostile-apps-clients-and-neighbours): an Emperor with a
# base on an abstract socket, FLOODERS processes running as nobody that connect, write a byte and close in a loop
# (each refused by SO_PEERCRED), and N vassals dropped one after another meanwhile.
# Reports: each drop -> "ready to accept requests" in the Emperor's log; the log's size; how often the Emperor's
# connect found the backlog full ("waits for the fork server"); failed adoptions. Run as root (setpriv).
# Usage: bash bench/neighbour-flood.sh [FLOODERS=3] [N=6]   (runs artifacts/forkserver: build-release.sh first)
set -u
cd "$(dirname "$0")/.."
flooders=${1:-3}
n=${2:-6}
bin=$PWD/artifacts/forkserver/forkserver
app=$PWD/tests/ForkServer.EndToEnd.Tests/apps/hello.psgi
dir=$(mktemp -d /tmp/neighbour-flood.XXXX)
mkdir "$dir/vassals"
name=neighbour-flood-$$
printf '[uwsgi]\nplugins = psgi\nearly-psgi = %s\nfork-server = @%s\n' "$app" "$name" > "$dir/vassals/base.ini"
"$bin" --emperor "$dir/vassals" --emperor-use-fork-server "@$name" --vassal-fork-base base.ini > "$dir/log" 2>&1 &
emperor=$!
until grep -q "vassal base.ini (pid [0-9]*) is ready" "$dir/log"; do sleep 0.1; done
pids=()
for _ in $(seq "$flooders"); do
  setpriv --reuid=nobody --regid=nogroup --clear-groups perl -MSocket -e '
    $SIG{PIPE} = "IGNORE"; my $address = pack_sockaddr_un("\0$ARGV[0]");
    while (1) { socket(my $s, PF_UNIX, SOCK_STREAM, 0); syswrite($s, "x") if connect($s, $address); close $s }' "$name" &
  pids+=($!)
done
sleep 1
for i in $(seq "$n"); do
  t0=$(date +%s%N)
  printf '[uwsgi]\nhttp-socket = 127.0.0.1:0\n' > "$dir/v$i.tmp"
  mv "$dir/v$i.tmp" "$dir/vassals/v$i.ini"
  until grep -q "vassal v$i.ini (pid [0-9]*) is ready to accept" "$dir/log"; do sleep 0.005; done
  echo "adoption $i: $(( ($(date +%s%N) - t0) / 1000000 )) ms"
done
kill "${pids[@]}"
echo "log lines: $(wc -l < "$dir/log"); backlog found full: $(grep -c 'waits for the fork server' "$dir/log"); failed adoptions: $(grep -c 'adoption of vassal .* failed' "$dir/log")"
kill "$emperor"
wait "$emperor" 2>/dev/null
rm -rf "$dir"
