#!/usr/bin/env bash
# Installs what the tests and the local pipeline need, from the project's own files only:
# the pinned Node tools (Azurite, USWDS, axe-core), Debian's Chromium for the browser tests, and the .NET build. Safe to run again; it skips what is current.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v dotnet >/dev/null; then echo "setup: the .NET 10 SDK is required (dotnet not on PATH)" >&2; exit 1; fi
if ! command -v node >/dev/null; then echo "setup: Node.js 20+ is required (node not on PATH)" >&2; exit 1; fi

if [ ! -x node_modules/.bin/azurite ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

# The dashboard's browser tests drive Debian's Chromium through its executable path (browser downloads by
# Puppeteer or Playwright do not work here). CI runs as root; elsewhere apt-get needs sudo.
if ! command -v chromium >/dev/null && [ -z "${KDIRECTIVE_CHROMIUM:-}" ]; then
  if [ "$(id -u)" -eq 0 ]; then apt_get=(apt-get); else apt_get=(sudo apt-get); fi
  "${apt_get[@]}" update -qq && DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" install -y -qq chromium >/dev/null
fi

if [ -f tools/BicepCli/BicepCli.csproj ]; then
  bash scripts/restore-bicep.sh
fi

dotnet build KDirective.sln --nologo -clp:ErrorsOnly -v:q

# The command line, published ahead of time to artifacts/kdirective/ in two builds of one project:
#   kdirective      Native AOT (trim and AOT warnings are errors): inspect, catalog check, bench, help. Starts in
#                   milliseconds, and runs every other command in the full build below;
#   lib/kdirective  ReadyToRun, framework-dependent: every command (storage, email and the dashboard need the Azure
#                   SDK's reflection and SendGrid's Newtonsoft.Json, which Native AOT cannot carry).
# Each is republished only when a source of the CLI or its library is newer than it. The tests run the native
# build as the user does (tests/KDirective.Tests/Cli/NativeCliTests.cs), so scripts/test.sh publishes too.
sources() {
  find functions/KDirective functions/KDirective.Cli Directory.Build.props Directory.Packages.props -newer "$1" -type f \
    \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.tsv' \) -not -path '*/obj/*' -not -path '*/bin/*' -print -quit
}
full=artifacts/kdirective/lib/kdirective
if [ ! -x "$full" ] || [ -n "$(sources "$full")" ]; then
  dotnet publish functions/KDirective.Cli -c Release --use-current-runtime --artifacts-path artifacts/build -o artifacts/kdirective/lib \
    --nologo -clp:ErrorsOnly -v:q
  touch "$full"
fi
native=artifacts/kdirective/kdirective
if [ ! -x "$native" ] || [ -n "$(sources "$native")" ]; then
  dotnet publish functions/KDirective.Cli -c Release --use-current-runtime -p:Native=true --artifacts-path artifacts/native \
    -o artifacts/kdirective --nologo -clp:ErrorsOnly -v:q
  touch "$native"
fi
