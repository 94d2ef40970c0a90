#!/usr/bin/env bash
# Runs every test: set-up, then the whole solution's tests (fast ones and the Azurite-backed ones, which start
# their own emulator on free ports). Prints one closing line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

log=$(mktemp)
status=0
dotnet test KDirective.sln --no-build --nologo 2>&1 | tee "$log" || status=$?

summary=$(grep -E '^(Passed|Failed)!' "$log" | tail -n 1 || true)
passed=$(sed -nE 's/.*Passed: *([0-9]+).*/\1/p' <<<"$summary")
failed=$(sed -nE 's/.*Failed: *([0-9]+),.*/\1/p' <<<"$summary")
rm -f "$log"
echo "${passed:-0} passed, ${failed:-0} failed"
if [ -z "$summary" ] && [ "$status" -eq 0 ]; then status=1; fi

# In CI (CI=true) or with MUTATION=1: the scoped mutation pass over the matcher, which fails below its break
# threshold (60%). Measured on the idle 2-core machine: 15 min 45 s, score 77.04% (README, "Tests and mutation testing").
if [ "$status" -eq 0 ] && { [ "${MUTATION:-}" = 1 ] || [ "${CI:-}" = true ]; }; then
  bash scripts/mutation.sh --ci || status=$?
  echo "${passed:-0} passed, ${failed:-0} failed"
fi
exit "$status"
