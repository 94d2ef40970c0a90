#!/usr/bin/env bash
# Mutation testing with Stryker.NET (a local tool pinned in .config/dotnet-tools.json): mutates the library and
# runs the test project against every mutant. Reports (HTML and JSON) go to mutation-report/ (gitignored).
#
#   bash scripts/mutation.sh                  the five concept folders in stryker-config.json (slow: see README)
#   bash scripts/mutation.sh Detection Email  only these folders of functions/KDirective
#   bash scripts/mutation.sh --ci             the scoped pass meant for CI: a fixed list of critical files, failing
#                                             below the break threshold
#   bash scripts/mutation.sh --skip-slow Reminders
#                                             leaves out the two test classes that cannot cover the library but cost
#                                             most per run: the dashboard's browser tests (Chromium) and the Bicep
#                                             compilation tests (README: measured times)
#   bash scripts/mutation.sh --tests 'FullyQualifiedName~KDirective.Tests.Email' Email
#                                             runs only the tests a `dotnet test` filter selects: faster, and the score
#                                             is a lower bound (a mutant only an unselected test kills counts as survived)
set -euo pipefail
cd "$(dirname "$0")/.."

# CI's scoped pass: the matcher decides what counts as banned, so its survivors would hurt most; its tests need
# no emulator, so each mutant runs in seconds and the pass fits CI's time limit (README: measured time).
critical=(
  "**/Detection/TokenPattern.cs"
  "**/Detection/Tokens.cs"
  "**/Detection/ProductMatcher.cs"
)
ci_tests="FullyQualifiedName~KDirective.Tests.Detection|FullyQualifiedName~KDirective.Tests.Inventory"
ci_break=60
slow_tests="FullyQualifiedName!~KDirective.Tests.Dashboard.DashboardBrowserTests&FullyQualifiedName!~KDirective.Tests.Infra.BicepTests"

out=$(realpath -m "${MUTATION_OUTPUT:-mutation-report}")
root=$(pwd)
args=(--config-file "$root/stryker-config.json" --output "$out" --skip-version-check)
if [ "${1:-}" = "--ci" ]; then
  for file in "${critical[@]}"; do args+=(--mutate "$file"); done
  args+=(--break-at "$ci_break" --threshold-low "$ci_break" --test-case-filter "$ci_tests")
else
  case "${1:-}" in
    --skip-slow) args+=(--test-case-filter "$slow_tests"); shift ;;
    --tests) args+=(--test-case-filter "$2"); shift 2 ;;
  esac
  # Folders given on the command line replace the config's list, so its exclusion of logging is repeated here.
  if [ "$#" -gt 0 ]; then
    for folder in "$@"; do args+=(--mutate "**/$folder/**/*.cs"); done
    args+=(--mutate "!**/*Log.cs")
  fi
fi

dotnet tool restore >/dev/null
[ -f functions/KDirective/bin/Debug/net10.0/KDirective.Core.dll ] || bash scripts/setup.sh
# Stryker runs from the test project's folder (at the root it would see the solution and mutate every project).
(cd tests/KDirective.Tests && dotnet tool run dotnet-stryker -- "${args[@]}")
echo "mutation report: $out/reports/mutation-report.html (and .json)"
