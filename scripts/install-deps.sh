#!/usr/bin/env bash
# Installs what ForkServer needs on Debian 12 beyond the .NET 10 SDK: libperl (the PSGI plugin embeds it),
# Plack (its conformance suite runs in the tests), nginx (the socket tests put it in front), and the servers the benchmarks compare against.
set -euo pipefail
packages=(perl libperl5.36 libplack-perl libjson-xs-perl starman wrk curl uwsgi uwsgi-plugin-psgi nginx-light)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
command -v dotnet >/dev/null || { echo "the .NET 10 SDK is required (dotnet not on PATH)" >&2; exit 1; }
