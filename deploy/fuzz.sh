#!/usr/bin/env bash
# Fuzzes AiFactory's parsers with SharpFuzz and afl++: bash deploy/fuzz.sh [TARGET|all] [SECONDS per target].
# Targets (tests/AiFactory.Fuzz): json, delimited, number, sparkplug (the MQTT payload decoders), ingest (the hub's
# ingest body: gzip, UplinkBatch JSON, shape check), config (the edge's YAML line configuration), card (model cards).
# Installs afl++ (apt) and the SharpFuzz CLI (the local tool manifest, .config/dotnet-tools.json), builds the targets,
# instruments our assemblies and YamlDotNet, then runs afl-fuzz on each target from its seed corpus
# (tests/AiFactory.Fuzz/Corpus/TARGET) for SECONDS (default 600), one target after another, or all at once with
# AIFACTORY_FUZZ_PARALLEL=1 (long runs on a machine shared with others). Prints target, seconds, executions and crashes,
# keeps every crashing input under $AIFACTORY_FUZZ_DIR (default: a fresh /tmp folder) and exits 1 when one crashed.
# deploy/test.sh runs it for a few seconds per target; long runs go to docs/reliability.md.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=deploy/lib/common.sh
source deploy/lib/common.sh

all=(json delimited number sparkplug ingest config card)
which=${1:-all}
seconds=${2:-600}
if [ "$which" = all ]; then targets=("${all[@]}"); else targets=("$which"); fi
for t in "${targets[@]}"; do
  [ -d "tests/AiFactory.Fuzz/Corpus/$t" ] || { log "unknown fuzz target '$t' (targets: ${all[*]})"; exit 2; }
done
[[ "$seconds" =~ ^[0-9]+$ ]] && [ "$seconds" -ge 1 ] || { log "seconds must be a whole number >= 1 (was '$seconds')"; exit 2; }

ensure_apt afl++
dotnet tool restore >/dev/null

work=${AIFACTORY_FUZZ_DIR:-$(mktemp -d /tmp/aifactory-fuzz.XXXXXX)}
bin="$work/bin"
rm -rf "$bin"
log "building the fuzz targets into $bin"
dotnet build tests/AiFactory.Fuzz -c Release -nologo -v:q -clp:ErrorsOnly -o "$bin" >/dev/null
# An uninstrumented copy replays crashing inputs (instrumented code needs afl's shared memory to run).
rm -rf "$work/replay"
cp -r "$bin" "$work/replay"
for assembly in AiFactory.Edge.Sources aifactory-edge AiFactory.Edge.Core aifactory-hub AiFactory.Contracts YamlDotNet; do
  dotnet tool run sharpfuzz "$bin/$assembly.dll" >/dev/null
done

# afl-fuzz runs `dotnet AiFactory.Fuzz.dll TARGET`, which speaks afl's fork-server protocol through SharpFuzz: the
# binary itself is not instrumented (skip the check), and a shared build machine has no CPU to pin or governor to set.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1
dotnet=$(command -v dotnet)
mkdir -p "$work/findings"

# One afl-fuzz per target; prints its row and answers 1 when it could not fuzz or found a crash.
fuzz() {
  local t=$1 out="$work/findings/$1"
  rm -rf "$out"
  if ! afl-fuzz -V "$seconds" -i "tests/AiFactory.Fuzz/Corpus/$t" -o "$out" -t 5000 -m none -- "$dotnet" "$bin/AiFactory.Fuzz.dll" "$t" >"$work/$t.log" 2>&1; then
    log "afl-fuzz could not fuzz '$t'; its output ends:"
    tail -n 20 "$work/$t.log" >&2
    return 1
  fi
  local stats="$out/default/fuzzer_stats" execs ran crashes
  execs=$(awk -F': *' '$1 ~ /^execs_done/ {print $2}' "$stats")
  ran=$(awk -F': *' '$1 ~ /^run_time/ {print $2}' "$stats")
  crashes=$(find "$out/default/crashes" -type f -name 'id:*' | wc -l)
  printf '%-10s %8s %12s %8s\n' "$t" "${ran:-$seconds}" "${execs:-0}" "$crashes"
  if [ "$crashes" -gt 0 ]; then
    log "'$t' crashed on $crashes input(s), kept in $out/default/crashes; replay them with: dotnet $work/replay/AiFactory.Fuzz.dll $t --replay $out/default/crashes"
    return 1
  fi
}

status=0
printf '%-10s %8s %12s %8s\n' target seconds executions crashes
if [ -n "${AIFACTORY_FUZZ_PARALLEL:-}" ]; then
  # Every target at once, each for SECONDS (long runs: each target gets its wall-clock time, sharing the cores).
  pids=()
  for t in "${targets[@]}"; do fuzz "$t" & pids+=($!); done
  for p in "${pids[@]}"; do wait "$p" || status=1; done
else
  for t in "${targets[@]}"; do fuzz "$t" || status=1; done
fi
exit "$status"
