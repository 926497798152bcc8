#!/usr/bin/env bash
# Runs AiFactory's main job on a fresh Debian 12 machine that has the .NET 10 SDK:
# the hub (embedded SQLite, http://127.0.0.1:5080) and an edge agent scoring the built-in simulated line (a pump
# station and a plate-inspection station), printing live verdicts and streaming window summaries and events to
# the hub through its durable outbox. Ctrl+C stops both. Extra arguments go to `aifactory-edge run`.
# State (hub database, outbox, keys, hub log) stays in .aifactory/demo, so a second run continues the first.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=deploy/lib/common.sh
source deploy/lib/common.sh
ensure_apt ca-certificates libicu72
state="$root/.aifactory/demo"
port=5080
mkdir -p "$state"
log "building the hub and the edge agent"
dotnet build hub/AiFactory.Hub -c Release -nologo -v:q -clp:ErrorsOnly
dotnet build edge/AiFactory.Edge -c Release -nologo -v:q -clp:ErrorsOnly
hub=(dotnet "$root/hub/AiFactory.Hub/bin/Release/net10.0/aifactory-hub.dll")
export Hub__Database__Provider=Sqlite
export Hub__Database__ConnectionString="Data Source=$state/hub.db"
export Serilog__MinimumLevel__Default=Warning

# Tenancy for the simulated line, once: company → plant → line → stations, the edge (its key) and a plant engineer.
admin() { "${hub[@]}" admin "$@" >>"$state/admin.log" 2>&1 || [ $? -eq 3 ]; }
admin company --id acme --name "ACME Pumps"
admin plant --company acme --id plant-1 --name "Plant 1"
admin line --company acme --plant plant-1 --id line-1 --name "Line 1"
admin station --company acme --plant plant-1 --line line-1 --id pump-1 --name "Pump 1"
admin station --company acme --plant plant-1 --line line-1 --id plate-1 --name "Plate inspection 1"
[ -s "$state/edge.key" ] || admin edge --company acme --plant plant-1 --id plant1-edge-a --key-file "$state/edge.key"
[ -s "$state/engineer.key" ] || admin key --role plant-engineer --company acme --name "demo engineer" --key-file "$state/engineer.key"

if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  log "port $port is in use: stop what listens there (another demo?) and run again"
  exit 1
fi
"${hub[@]}" --urls="http://127.0.0.1:$port" >"$state/hub.log" 2>&1 &
hub_pid=$!
trap 'kill "$hub_pid" 2>/dev/null || true; wait "$hub_pid" 2>/dev/null || true' EXIT
wait_port "$port" 60 || { cat "$state/hub.log" >&2; exit 1; }

cat >&2 <<TXT
[aifactory] hub:   http://127.0.0.1:$port (log $state/hub.log); edge status: http://127.0.0.1:5081/status
[aifactory] line metrics, as a plant engineer (while this runs, in another terminal):
  curl -s -H "Authorization: Bearer \$(cat $state/engineer.key)" http://127.0.0.1:$port/api/v1/companies/acme/plants/plant-1/lines/line-1/metrics
  curl -s -H "Authorization: Bearer \$(cat $state/engineer.key)" http://127.0.0.1:$port/api/v1/companies/acme/plants/plant-1/edges
[aifactory] the dashboard: open http://127.0.0.1:$port/ui and sign in with the key in $state/engineer.key
[aifactory] the line live (server-sent events: status, rolling KPIs, latest events):
  curl -sN -H "Authorization: Bearer \$(cat $state/engineer.key)" http://127.0.0.1:$port/api/v1/companies/acme/plants/plant-1/lines/line-1/live
TXT
AIFACTORY_HUB_KEY=$(cat "$state/edge.key") \
  dotnet "$root/edge/AiFactory.Edge/bin/Release/net10.0/aifactory-edge.dll" run --config edge/configs/simulator-uplink.yaml --status-port 5081 "$@"
