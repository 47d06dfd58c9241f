#!/usr/bin/env bash
# Builds ForkServer and runs the bundled sample in the foreground: an Emperor with two vassals serving
# hello.psgi on 127.0.0.1:8081 and 127.0.0.1:8082, stats on 127.0.0.1:9191 (Ctrl-C stops it all).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build-release.sh
exec artifacts/forkserver/forkserver --ini samples/emperor/emperor.ini
