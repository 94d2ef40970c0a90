#!/bin/sh
# azd postdeploy hook: the second pass. Waits, with bounded retries, until the deployed host reports its
# blobs_extension system key (it exists only once the code runs), then provisions again with
# KDIRECTIVE_EVENT_SUBSCRIPTIONS=true so that main.bicep deploys the Event Grid subscriptions module.
# Needs the Azure CLI signed in (az login) besides azd. Safe to run again by hand: sh scripts/postdeploy.sh
set -eu

fail() { echo "postdeploy: $1" >&2; exit 1; }

: "${AZURE_FUNCTION_APP_NAME:?postdeploy: AZURE_FUNCTION_APP_NAME is not set (run azd provision first)}"
: "${AZURE_RESOURCE_GROUP:?postdeploy: AZURE_RESOURCE_GROUP is not set (run azd provision first)}"
attempts="${KDIRECTIVE_KEY_ATTEMPTS:-30}"
delay="${KDIRECTIVE_KEY_DELAY_SECONDS:-10}"
command -v az >/dev/null 2>&1 || fail "the Azure CLI (az) is required to read the host's keys: install it and run az login"

attempt=1
while :; do
  # Asking for the keys also wakes the host; the key itself is never printed.
  key=$(az functionapp keys list -g "$AZURE_RESOURCE_GROUP" -n "$AZURE_FUNCTION_APP_NAME" --query "systemKeys.blobs_extension" -o tsv 2>/dev/null || true)
  if [ -n "$key" ]; then
    break
  fi
  if [ "$attempt" -ge "$attempts" ]; then
    fail "$AZURE_FUNCTION_APP_NAME reported no blobs_extension key after $attempts attempts. Check that the app starts (Application Insights, or the portal's Log stream: a missing Key Vault secret or setting is named there), then run: sh scripts/postdeploy.sh"
  fi
  echo "postdeploy: waiting for the host's blobs_extension key ($attempt/$attempts)"
  attempt=$((attempt + 1))
  sleep "$delay"
done
key=""

echo "postdeploy: the host is up; creating the Event Grid subscriptions (second pass)"
azd env set KDIRECTIVE_EVENT_SUBSCRIPTIONS true
# Back to false whatever happens, so a first provision of a new environment never asks for a key that is not there.
trap 'azd env set KDIRECTIVE_EVENT_SUBSCRIPTIONS false' EXIT
azd provision --no-prompt
