#!/usr/bin/env bash
# Benchmarks (not tests): prints and records figures. Starts the servers a benchmark needs on 127.0.0.1 in a temp
# folder (the same deploy/services/*.sh the test command uses), runs it, stops them.
#   bash deploy/bench.sh inference   # ONNX Runtime, DynamicBatcher, Node.js peer  -> docs/benchmarks.json
#   bash deploy/bench.sh mqtt        # MQTT in -> agent (Release, child process) -> verdicts out, mosquitto on loopback -> docs/benchmarks-mqtt.json
#   bash deploy/bench.sh ingest      # hub ingest: SQLite, PostgreSQL, 2 replicas + nginx, InfluxDB direct -> docs/benchmarks-ingest.json
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
dotnet build tests/AiFactory.Benchmarks -c Release -nologo -v:q -clp:ErrorsOnly
if [ "$what" = mqtt ]; then
  dotnet build edge/AiFactory.Edge -c Release -nologo -v:q -clp:ErrorsOnly
fi
bench=tests/AiFactory.Benchmarks/bin/Release/net10.0/AiFactory.Benchmarks.dll
case "$what" in
  ingest) dotnet "$bench" --only ingest --seconds 10 --out docs/benchmarks-ingest.json ${AIFACTORY_BASELINE_HUB:+--baseline-hub "$AIFACTORY_BASELINE_HUB"} "$@" ;;
  inference) dotnet "$bench" --seconds 3 --out docs/benchmarks.json "$@" ;;
  mqtt) dotnet "$bench" --only mqtt-steps --seconds 3 --out docs/benchmarks-mqtt.json "$@" ;;
  *) dotnet "$bench" --only "$what" "$@" ;;
esac
