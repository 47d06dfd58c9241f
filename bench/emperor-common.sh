# Sourced by the Emperor benchmarks: a scratch folder, one Emperor at a time (stopped on exit), and timing helpers.
work=$(mktemp -d)
emperor_pid=""
stop_emperor() { [ -n "$emperor_pid" ] && kill -INT "$emperor_pid" 2>/dev/null && timeout 60 tail --pid="$emperor_pid" -f /dev/null || true; emperor_pid=""; }
trap 'stop_emperor; rm -rf "$work"' EXIT
now_ms() { date +%s%3N; }
wait_200() { until curl -fs -o /dev/null "http://127.0.0.1:$1/"; do sleep 0.001; done; }
