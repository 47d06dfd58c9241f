#!/usr/bin/env bash
# Lays out the runnable ForkServer under artifacts/forkserver/: the kernel and the plugins, compiled ahead of
# time (ReadyToRun). The fork recipe turns tiered compilation off, so without this every method a vassal runs
# at start-up would be JIT-compiled fully optimised: ReadyToRun halves a vassal's start (bench/emperor-spawn.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
out=artifacts/forkserver
publish() { dotnet publish "$1" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -nologo -v quiet -o "$2" "${@:3}"; }
publish src/Kernel/ForkServer.Kernel.csproj "$out"
# A plugin references the contract without shipping it (ExcludeAssets="runtime"), so the SDK does not hand the
# contract to crossgen2 either, which then silently leaves out every method that touches an IRequest, IResponse
# or ILogger: the request path was JIT-compiled in every worker. The kernel's copies are the ones loaded anyway.
plugin_refs=-p:PublishReadyToRunCrossgen2ExtraArgs=-r:$PWD/$out/*.dll
publish src/Plugins/Psgi/ForkServer.Plugins.Psgi.csproj "$out/plugins/psgi" "$plugin_refs"
publish src/Plugins/DotnetPreload/ForkServer.Plugins.DotnetPreload.csproj "$out/plugins/dotnet" "$plugin_refs"
