# Sourced by the Emperor benchmarks: a scratch folder, one Emperor at a time (stopped on exit), and timing helpers.
work=$(mktemp -d)
emperor_pid=""
stop_emperor() { [ -n "$emperor_pid" ] && kill -INT "$emperor_pid" 2>/dev/null && timeout 60 tail --pid="$emperor_pid" -f /dev/null || true; emperor_pid=""; }
trap 'stop_emperor; rm -rf "$work"' EXIT
now_ms() { date +%s%3N; }
wait_200() { until curl -fs -o /dev/null "http://127.0.0.1:$1/"; do sleep 0.001; done; }
# An Emperor over $work/vassals with a fork-server base preloading a hello-world PSGI app; returns once the base
# is ready. Sets emperor_pid, dir (the vassal folder) and base_pid.
start_hello_base_emperor() {
  dir="$work/vassals"
  local socket="$work/base.sock"
  mkdir -p "$dir"
  printf 'my $app = sub { [200, ["Content-Type" => "text/plain"], ["Hello World"]] };\n' > "$work/hello.psgi"
  printf '[uwsgi]\nplugins = psgi\nearly-psgi = %s\nfork-server = %s\n' "$work/hello.psgi" "$socket" > "$dir/base.ini"
  artifacts/forkserver/forkserver --emperor "$dir" --emperor-use-fork-server "$socket" --vassal-fork-base base.ini \
    --emperor-stats "$work/stats.sock" >"$work/emperor.log" 2>&1 &
  emperor_pid=$!
  until grep -q "fork server [0-9]* ready" "$work/emperor.log" 2>/dev/null; do sleep 0.05; done
  base_pid=$(grep -o "fork server [0-9]* ready" "$work/emperor.log" | head -1 | awk '{ print $3 }')
}
