#!/usr/bin/env bash
# Runs AiFactory's main job on a fresh Debian 12 machine that has the .NET 10 SDK and Node.js/npm:
# the edge agent scoring the built-in simulated line (a pump station and a plate-inspection station)
# and printing live verdicts. Ctrl+C stops it. Extra arguments go to `aifactory-edge run`.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=deploy/lib/common.sh
source deploy/lib/common.sh
ensure_apt ca-certificates
exec dotnet run -c Release --project edge/AiFactory.Edge -- run "$@"
