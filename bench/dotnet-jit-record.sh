#!/usr/bin/env bash
# Records which methods an adopted .NET vassal JIT-compiles after fork (its master, its worker's Kestrel start and
# first request) and writes them to src/Plugins/DotnetPreload/Internal/WorkerMethods.txt, the list the base compiles
# before fork (WorkerPathPrecompiler). Run it again when ASP.NET Core or the kernel changes: the plugin's tests fail
# when entries no longer resolve.
# Usage: bash bench/dotnet-jit-record.sh [app=dotnet-hello]
set -euo pipefail
cd "$(dirname "$0")/.."
app=${1:-dotnet-hello}
out=src/Plugins/DotnetPreload/Internal/WorkerMethods.txt
bash scripts/build-release.sh
dotnet build "samples/$app" -c Release -nologo -v quiet >/dev/null
source bench/emperor-common.sh

record() { # run precompile-on|off -> the adopted vassal's compiled methods, one a line, in $work/methods.$1.txt
  local port=47310 dir="$work/emperor$1"; mkdir -p "$dir"
  while ss -ltn | grep -q ":$port "; do port=$((port + 1)); done
  # Every process of the Emperor appends its compilations to one file, each numbered from its own count: a forked
  # process goes on from its parent's number, which is how the adopted vassal's lines are told apart below.
  DOTNET_JitStdOutFile="$work/jit.$1.txt" DOTNET_JitDisasmSummary=1 \
    artifacts/forkserver/forkserver --emperor "$dir" --emperor-use-fork-server "@fs-jit-record-$$" --vassal-fork-base base.ini >"$dir.log" 2>&1 &
  emperor_pid=$!
  printf '[uwsgi]\nplugins = dotnet\nearly-dotnet = %s\nfork-server = @fs-jit-record-%s\ndotnet-precompile-kestrel = %s\n' \
    "$PWD/artifacts/samples/$app/$app.dll" "$$" "$([ "$2" = precompile-on ] && echo true || echo false)" > "$work/base.tmp"
  mv "$work/base.tmp" "$dir/base.ini"
  until grep -q "fork server .* ready" "$dir.log" 2>/dev/null; do sleep 0.05; done
  printf '[uwsgi]\nhttp-socket = 127.0.0.1:%s\nprocesses = 1\n' "$port" > "$work/v.tmp" && mv "$work/v.tmp" "$dir/v.ini"
  wait_200 "$port"
  sleep 1 # the first connection's close and disposal
  stop_emperor

  # Runs of consecutive numbers: the base's is the longest that starts at 1 (the Emperor's, compiled ahead of time,
  # is short); the adopted vassal's lines go on from the base's last number, in runs that chain from there.
  awk '
    match($0, /^ *[0-9]+: JIT compiled /) {
      n = $1 + 0; text = substr($0, RLENGTH + 1); sub(/ \[[^][]*\]$/, "", text)
      if (n != last + 1) { runs++; start[runs] = n }
      last = n; end[runs] = n; line[runs, n] = text
    }
    END {
      for (r = 1; r <= runs; r++) if (start[r] == 1 && end[r] > base_end) { base_end = end[r]; base = r }
      next_n = base_end + 1
      for (r = base + 1; r <= runs; r++) if (start[r] == next_n) {
        for (n = start[r]; n <= end[r]; n++) print line[r, n]
        next_n = end[r] + 1
      }
    }' "$work/jit.$1.txt" | grep -v -e '^(dynamicClass)' -e 'IL_STUB' | awk '!seen[$0]++' > "$work/methods.$1.txt"
}

write_list() { # methods file -> the resource, rebuilt into the layout
  {
    echo "# What an adopted vassal of $app JIT-compiled after fork (master, worker's Kestrel start, first request),"
    echo "# recorded by bench/dotnet-jit-record.sh on $(date -u +%Y-%m-%d) with ASP.NET Core $(dotnet --list-runtimes | awk '/Microsoft.AspNetCore.App/ { v = $2 } END { print v }')."
    echo "# One JIT method name a line; the base compiles them before fork (Internal/WorkerPathPrecompiler.cs)."
    cat "$1"
  } > "$out"
  bash scripts/build-release.sh
}

# The master and the worker write into the file at once, in stdio-sized blocks, so a line can come out cut into
# another. First pass: everything compiled after fork. Second pass, with that list compiled in the base: the master
# has nothing left to compile, so the worker's leftovers come out whole; and the base names the recorded lines it
# could not resolve (the cut ones), which are dropped.
record 1 precompile-off
write_list "$work/methods.1.txt"
record 2 precompile-on
sed -n 's/.*recorded method not found, left to the workers: //p' "$work/emperor2.log" > "$work/unresolved.txt"
grep -vxF -f "$work/unresolved.txt" "$work/methods.1.txt" | cat - "$work/methods.2.txt" | awk '!seen[$0]++' > "$work/methods.txt" || true
write_list "$work/methods.txt"
echo "$(wc -l < "$work/methods.txt") method(s) recorded in $out ($(wc -l < "$work/unresolved.txt") cut line(s) dropped, $(wc -l < "$work/methods.2.txt") added by the second pass)"
