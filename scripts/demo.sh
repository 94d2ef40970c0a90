#!/usr/bin/env bash
# The main job on the bundled samples: reads every sample inventory exactly as the pipeline does.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

kdirective() { dotnet functions/KDirective.Cli/bin/Debug/net10.0/kdirective.dll "$@"; }

for file in samples/inventories/*; do
  kdirective inspect "$file" || [ $? -eq 2 ]
  echo
done
