#!/usr/bin/env bash
# Runs every test of AiFactory on a fresh Debian 12 machine that has the .NET 10 SDK.
# It installs what the tests need (Debian packages, NuGet), starts the test servers on 127.0.0.1
# in a temporary folder, runs the model checks and the xunit suite, fuzzes every parser briefly, publishes the edge
# agent for win-x64 and linux-arm64, runs the short fault drill, prints one closing line, stops the servers, and
# exits non-zero when any test, the fuzzing, a publish or the drill fails.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=deploy/lib/common.sh
source deploy/lib/common.sh

# Test servers (deploy/services/*.sh) on 127.0.0.1 in a temp folder, stopped on exit.
prepare_services aifactory-test
start_services "${SERVICES[@]}"

log "checking models/ (cards, graphs, Python reference outputs)"
/usr/bin/python3 models/check_models.py

log "building"
dotnet build AiFactory.sln -c Release -nologo -v:q -clp:ErrorsOnly

results="$AIFACTORY_TEST_TMP/results"
# A test still running after 10 minutes (the longest takes about 1) is taken as hung: its test host is stopped and the
# tests it was running are named as failed, instead of the whole run waiting for ever.
set +e
dotnet test AiFactory.sln -c Release --no-build -nologo --logger "trx" --results-directory "$results" \
  --blame-hang-timeout 10m --blame-hang-dump-type none \
  --logger "console;verbosity=minimal" 2>&1 | tee "$AIFACTORY_TEST_TMP/test.log"
status=${PIPESTATUS[0]}
set -e

# Checks beyond xunit, each counted in the closing line as one test: every parser under afl++ for 7 s (about 50 s
# in all; a crash fails it; long runs: bash deploy/fuzz.sh all 3600), the agent published for Windows plant PCs
# and ARM boxes (deploy/publish.sh; AIFACTORY_PUBLISH_CHECK_ORT decides whether ONNX Runtime's library is checked),
# and the short fault drill (about 2-3 min; the long soak: bash deploy/drill.sh --soak MINUTES).
checks=()
log "fuzzing the parsers (deploy/fuzz.sh all 7)"
AIFACTORY_FUZZ_DIR="$AIFACTORY_TEST_TMP/fuzz" bash deploy/fuzz.sh all 7 && checks+=(fuzz=0) || checks+=(fuzz=1)
bash deploy/publish.sh win-x64 linux-arm64 && checks+=(publish=0) || checks+=(publish=1)
# The short fault drill (deploy/drill.sh, on the servers started above): a record lost or doubled fails it.
AIFACTORY_DRILL_BUILT=1 bash deploy/drill.sh && checks+=(drill=0) || checks+=(drill=1)

# One closing line over all test assemblies, summed from the trx files, and the checks above.
python3 - "$results" "${checks[@]}" <<'PY'
import sys, pathlib, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for trx in pathlib.Path(sys.argv[1]).glob("*.trx"):
    summary = ET.parse(trx).getroot().find("t:ResultSummary", ns)
    c = summary.find("t:Counters", ns) if summary is not None else None
    if c is None:
        continue
    passed += int(c.get("passed", 0))
    failures = int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0)) + int(c.get("aborted", 0))
    # A run whose test host was stopped (a hung test) or crashed counts its finished tests only: count it as one more.
    if summary.get("outcome") != "Completed" and failures == 0:
        print(f"test run {trx.name}: {summary.get('outcome')} (a test host hung or crashed; the console names its running tests)")
        failures = 1
    failed += failures
    skipped += int(c.get("notExecuted", 0))
for check in sys.argv[2:]:
    name, rc = check.split("=")
    ok = rc == "0"
    passed += ok
    failed += not ok
    print(f"check {name}: {'passed' if ok else 'FAILED'}")
print(f"Tests: {passed} passed, {failed} failed, {skipped} skipped")
PY
for check in "${checks[@]}"; do [ "${check#*=}" = 0 ] || status=1; done
exit "$status"
