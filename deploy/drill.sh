#!/usr/bin/env bash
# The standing fault drill (issue 13): a hub and several edge agents as real processes (Release), each fault of
# tests/AiFactory.Drill/Scenarios.cs injected in turn, and a table of records sent, stored, lost, doubled and the
# time to recover. Exits non-zero when a record was lost or doubled or a scenario failed.
#   bash deploy/drill.sh                the short drill: every scenario once, in lanes side by side (deploy/test.sh runs it)
#   bash deploy/drill.sh --soak MINUTES every scenario in turn, round after round for that long
#   bash deploy/drill.sh --only SCENARIO one scenario
# PostgreSQL comes from deploy/services/postgresql.sh (already running when test.sh calls this); the full-disk
# scenario mounts a small tmpfs and needs root (without it, the table says "not run" and why).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=deploy/lib/common.sh
source deploy/lib/common.sh

if [ -z "${AIFACTORY_TEST_POSTGRES_CTL:-}" ]; then
  prepare_services aifactory-drill
  start_services postgresql
fi

# test.sh has built the solution already and says so.
if [ -z "${AIFACTORY_DRILL_BUILT:-}" ]; then
  log "building the drill"
  dotnet build tests/AiFactory.Drill -c Release -nologo -v:q -clp:ErrorsOnly
fi

log "fault drill ${*:-(short)} on $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet tests/AiFactory.Drill/bin/Release/net10.0/AiFactory.Drill.dll "$@"
