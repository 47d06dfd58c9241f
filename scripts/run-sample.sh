#!/usr/bin/env bash
# Builds ForkServer and runs the seed scenario in the foreground: an Emperor, a base vassal that loads
# samples/seed/myapp.pl once (10 s), and two vassals adopted from it on 127.0.0.1:8081 (uid 1001) and
# 127.0.0.1:8082 (uid 1002); stats on 127.0.0.1:9191. Run as root (the vassals switch users). Ctrl-C stops it all.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build-release.sh
exec artifacts/forkserver/forkserver --ini samples/seed/emperor.ini
