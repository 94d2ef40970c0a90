#!/usr/bin/env bash
# The main job on the bundled samples, end to end on local storage:
#   1. starts Azurite (in memory, on its default ports) unless one is already running;
#   2. checks every sample inventory with `kdirective inspect`;
#   3. imports the sample agencies and ingests each sample upload as its agency would upload it;
#   4. prints the status table;
#   5. runs the reminder service for simulated dates of BOD 17-01 and shows where the emails went.
# With --serve, it then keeps serving the dashboard on http://127.0.0.1:5117/ until Ctrl-C.
set -euo pipefail
serve=false
[ "${1:-}" = "--serve" ] && serve=true
cd "$(dirname "$0")/.."
bash scripts/setup.sh

kdirective() { artifacts/kdirective/kdirective "$@"; } # published by scripts/setup.sh
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

export InventoryStorage="${InventoryStorage:-UseDevelopmentStorage=true}"
# Without SendGrid:ApiKey, every email (receipts and reminders) is written as an .eml file here.
export Email__Outbox="${Email__Outbox:-$PWD/outbox}"
rm -rf "$Email__Outbox"
if [ "$InventoryStorage" = "UseDevelopmentStorage=true" ] && ! port_open 10000; then
  echo "== starting Azurite (in memory) on 127.0.0.1:10000-10002"
  node_modules/.bin/azurite --inMemoryPersistence --silent --skipApiVersionCheck --disableProductStyleUrl \
    --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 >/dev/null 2>&1 &
  azurite_pid=$!
  # Azurite may take a minute to exit after SIGTERM, holding the ports and this run's data: a demo run right after
  # would reuse it. Stop it by its PID, then SIGKILL after a short grace.
  stop_azurite() {
    kill "$azurite_pid" 2>/dev/null || return 0
    for _ in $(seq 1 30); do kill -0 "$azurite_pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$azurite_pid" 2>/dev/null || true
  }
  trap stop_azurite EXIT
  for _ in $(seq 1 100); do port_open 10000 && port_open 10002 && break; sleep 0.1; done
fi

echo "== inspect: every sample inventory, read exactly as the pipeline reads it"
for file in samples/inventories/*; do
  kdirective inspect "$file" || [ $? -eq 2 ]
  echo
done

echo "== agencies import samples/agencies.csv"
kdirective agencies import samples/agencies.csv

echo
echo "== ingest: each sample upload (samples/uploads.csv), with its simulated receipt time"
tail -n +2 samples/uploads.csv | while IFS=, read -r agency kind received file; do
  plan=(); [ "$kind" = plan ] && plan=(--plan)
  kdirective ingest --agency "$agency" "${plan[@]}" --received-at "$received" "samples/$file" || [ $? -eq 2 ]
done

echo
echo "== schedule"
kdirective schedule

for day in 2017-10-10 2017-10-10 2017-11-13 2018-01-15; do
  echo
  echo "== remind --as-of $day"
  kdirective remind --as-of "$day"
done

echo
echo "== status --as-of 2018-01-15"
kdirective status --as-of 2018-01-15

echo
echo "== emails written to $Email__Outbox:"
ls "$Email__Outbox"

if [ "$serve" = true ]; then
  echo
  echo "== serve: the dashboard over this data, as of 2018-01-15 (Ctrl-C to stop)"
  kdirective serve --as-of 2018-01-15
else
  echo
  echo "== the dashboard over this data: bash scripts/demo.sh --serve  (or: kdirective serve --as-of 2018-01-15)"
fi
