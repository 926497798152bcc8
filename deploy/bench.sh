#!/usr/bin/env bash
# Benchmarks (not tests): prints and records figures. Starts the servers a benchmark needs on 127.0.0.1 in a temp
# folder (the same deploy/services/*.sh the test command uses), runs it, stops them.
#   bash deploy/bench.sh inference   # ONNX Runtime, DynamicBatcher, Node.js peer  -> docs/benchmarks/inference.json
#                                    # (it, ratio and node install Node.js and onnxruntime-node for the peer: nothing else needs them)
#   bash deploy/bench.sh mqtt        # MQTT in -> agent (Release, child process) -> verdicts out, mosquitto on loopback -> docs/benchmarks/mqtt.json
#   bash deploy/bench.sh mqtt-floor  # the same stream into mosquitto_sub and into do-nothing MQTTnet receivers (the agent's receive floor)
#   bash deploy/bench.sh dashboard   # dashboard pages interactive, ingest with 0 and 50 open dashboards -> docs/benchmarks/dashboard.json
#   bash deploy/bench.sh ingest      # hub ingest: SQLite, PostgreSQL, 2 replicas + nginx, InfluxDB direct -> docs/benchmarks/ingest.json
#                                    # AIFACTORY_BASELINE_HUB=/path/to/aifactory-hub.dll also runs that build (e.g. main's
#                                    # stateless hub) on PostgreSQL beside this one; AIFACTORY_BENCH_HUB_ARGS adds hub
#                                    # arguments (e.g. --Hub:Silo:Dashboard=false)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source deploy/lib/common.sh
what=${1:-inference}
shift || true
prepare_services aifactory-bench
if [ "$what" = ingest ]; then
  start_services postgresql influxdb
fi
if [[ "$what" =~ ^(inference|ratio|node)$ ]]; then
  # The Node.js per-message peer: onnxruntime-node in a cache folder outside the repository. npm runs inside that
  # folder rather than with --prefix, so it keeps the machine's global npmrc (a company CA lives there).
  # NodeSource's nodejs package carries npm and conflicts with Debian's: ask apt for npm only when the command is missing.
  ensure_apt nodejs
  command -v npm >/dev/null || ensure_apt npm
  ort_node_dir="${XDG_CACHE_HOME:-$HOME/.cache}/aifactory/onnxruntime-node-1.30.0"
  if [ ! -f "$ort_node_dir/node_modules/onnxruntime-node/package.json" ]; then
    log "installing onnxruntime-node@1.30.0 for the Node.js peer into $ort_node_dir"
    mkdir -p "$ort_node_dir"
    [ -f "$ort_node_dir/package.json" ] || printf '{"private": true}\n' >"$ort_node_dir/package.json"
    (cd "$ort_node_dir" && npm install --ignore-scripts --no-save --no-audit --no-fund --loglevel=error onnxruntime-node@1.30.0)
  fi
  export AIFACTORY_ORT_NODE="$ort_node_dir/node_modules/onnxruntime-node"
fi
dotnet build tests/AiFactory.Benchmarks -c Release -nologo -v:q -clp:ErrorsOnly
if [ "$what" = mqtt ]; then
  dotnet build edge/AiFactory.Edge -c Release -nologo -v:q -clp:ErrorsOnly
fi
bench=tests/AiFactory.Benchmarks/bin/Release/net10.0/AiFactory.Benchmarks.dll
case "$what" in
  ingest) dotnet "$bench" --only ingest --seconds 10 --out docs/benchmarks/ingest.json ${AIFACTORY_BASELINE_HUB:+--baseline-hub "$AIFACTORY_BASELINE_HUB"} "$@" ;;
  inference) dotnet "$bench" --seconds 3 --out docs/benchmarks/inference.json "$@" ;;
  dashboard) dotnet "$bench" --only dashboard --seconds 20 --out docs/benchmarks/dashboard.json "$@" ;;
  mqtt) dotnet "$bench" --only mqtt-steps --seconds 3 --out docs/benchmarks/mqtt.json "$@" ;;
  *) dotnet "$bench" --only "$what" "$@" ;;
esac
