#!/usr/bin/env bash
# Builds ForkServer and runs the bundled sample in the foreground (Ctrl-C stops it gracefully).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
dotnet build -c Release -v quiet -nologo src/Kernel/ForkServer.Kernel.csproj
dotnet build -c Release -v quiet -nologo src/Plugins/Psgi/ForkServer.Plugins.Psgi.csproj
exec artifacts/forkserver/forkserver --ini samples/hello/app.ini
