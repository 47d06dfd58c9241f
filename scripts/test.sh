#!/usr/bin/env bash
# Installs the dependencies, builds everything and runs every test (unit and end-to-end).
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh || exit 1
mkdir -p artifacts
dotnet build -nologo -v quiet ForkServer.sln || exit 1
dotnet test ForkServer.sln --no-build -nologo --logger "console;verbosity=normal" 2>&1 | tee artifacts/test-output.txt
status=${PIPESTATUS[0]}
# One closing line for CI: the sums over every test assembly.
awk -F'[:,]' '/^(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { if ($i ~ /Failed$/) f += $(i+1); if ($i ~ /Passed$/) p += $(i+1); if ($i ~ /Skipped$/) s += $(i+1) } }
  END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' artifacts/test-output.txt
exit "$status"
