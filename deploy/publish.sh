#!/usr/bin/env bash
# Publishes the edge agent (edge/AiFactory.Edge) self-contained for each runtime named (default: win-x64
# linux-arm64) into $AIFACTORY_PUBLISH_DIR/<rid> (default: a temporary folder, removed at exit), and checks each
# output: the launcher, the .NET runtime, SQLite (the outbox), the serial port's native shim (Linux, macOS) and
# ONNX Runtime's native library (from the Microsoft.ML.OnnxRuntime package), each a binary for that runtime's system and machine. Exits non-zero when a publish or a check fails.
#   bash deploy/publish.sh                     # win-x64 and linux-arm64
#   AIFACTORY_PUBLISH_DIR=out bash deploy/publish.sh linux-x64
# AIFACTORY_PUBLISH_CHECK_ORT=0 skips the ONNX Runtime check (for a build that brings its own library).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=deploy/lib/common.sh
source deploy/lib/common.sh

rids=("$@")
[ ${#rids[@]} -gt 0 ] || rids=(win-x64 linux-arm64)
check_ort=${AIFACTORY_PUBLISH_CHECK_ORT:-1}
out=${AIFACTORY_PUBLISH_DIR:-}
if [ -z "$out" ]; then
  out=$(mktemp -d -t aifactory-publish.XXXXXX)
  trap 'rm -rf "$out"' EXIT
fi

failed=0
for rid in "${rids[@]}"; do
  dir="$out/$rid"
  log "publishing the edge agent for $rid (self-contained) into $dir"
  if ! dotnet publish edge/AiFactory.Edge -c Release -r "$rid" --self-contained -nologo -v:q -clp:ErrorsOnly -o "$dir"; then
    log "FAILED: publishing the edge agent for $rid"
    failed=1
    continue
  fi
  # What must be in the folder, each file a binary for $rid's machine (python3: no 'file' command needed).
  case "$rid" in
    win-*) expect=(aifactory-edge.exe coreclr.dll e_sqlite3.dll) ;;
    osx-*) expect=(aifactory-edge libcoreclr.dylib libe_sqlite3.dylib libSystem.IO.Ports.Native.dylib) ;;
    *) expect=(aifactory-edge libcoreclr.so libe_sqlite3.so libSystem.IO.Ports.Native.so) ;;
  esac
  if [ "$check_ort" = 1 ]; then
    case "$rid" in
      win-*) ort=(onnxruntime.dll) ;;
      osx-*) ort=("$dir"/libonnxruntime*.dylib) ;;
      *) ort=("$dir"/libonnxruntime.so*) ;;
    esac
    expect+=("$(basename "${ort[0]}")")
  fi
  if ! python3 deploy/lib/check_binaries.py "$rid" "$dir" "${expect[@]}"; then
    log "FAILED: the $rid output is incomplete or built for another machine"
    failed=1
    continue
  fi
  log "ok: $rid ($(du -sh "$dir" | cut -f1)) has ${expect[*]}"
done
exit "$failed"
