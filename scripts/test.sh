#!/usr/bin/env bash
# Installs the dependencies, builds everything and runs every test (unit and end-to-end).
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh || exit 1
mkdir -p artifacts
dotnet build -nologo -v quiet ForkServer.sln || exit 1
# The end-to-end tests run the binary as shipped: the solution build's layout replaced by the ReadyToRun one.
bash scripts/build-release.sh || exit 1
dotnet test ForkServer.sln --no-build -nologo --logger "console;verbosity=normal" 2>&1 | tee artifacts/test-output.txt
status=${PIPESTATUS[0]}
# One closing line for CI: the sums of the per-assembly summaries ("     Passed: N" after "Total tests:").
awk '/^Total tests:/ { inside = 1; next }
     inside && /^ +Passed: /  { p += $2 }
     inside && /^ +Failed: /  { f += $2 }
     inside && /^ +Skipped: / { s += $2 }
     /^ Total time:/ { inside = 0 }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' artifacts/test-output.txt
exit "$status"
