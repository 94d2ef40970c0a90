# azd postdeploy hook (Windows): the same second pass as postdeploy.sh. Waits, with bounded retries, until the host
# reports its blobs_extension key, then provisions again with KDIRECTIVE_EVENT_SUBSCRIPTIONS=true.
# Needs the Azure CLI signed in (az login) besides azd. Safe to run again by hand: pwsh scripts/postdeploy.ps1
$ErrorActionPreference = 'Stop'

function Fail([string] $message) {
    [Console]::Error.WriteLine("postdeploy: $message")
    exit 1
}

if (-not $env:AZURE_FUNCTION_APP_NAME) { Fail 'AZURE_FUNCTION_APP_NAME is not set (run azd provision first)' }
if (-not $env:AZURE_RESOURCE_GROUP) { Fail 'AZURE_RESOURCE_GROUP is not set (run azd provision first)' }
$attempts = if ($env:KDIRECTIVE_KEY_ATTEMPTS) { [int] $env:KDIRECTIVE_KEY_ATTEMPTS } else { 30 }
$delay = if ($env:KDIRECTIVE_KEY_DELAY_SECONDS) { [int] $env:KDIRECTIVE_KEY_DELAY_SECONDS } else { 10 }
if (-not (Get-Command az -ErrorAction SilentlyContinue)) { Fail 'the Azure CLI (az) is required to read the host''s keys: install it and run az login' }

for ($attempt = 1; ; $attempt++) {
    # Asking for the keys also wakes the host; the key itself is never printed.
    $key = az functionapp keys list -g $env:AZURE_RESOURCE_GROUP -n $env:AZURE_FUNCTION_APP_NAME --query 'systemKeys.blobs_extension' -o tsv 2>$null
    if ($LASTEXITCODE -eq 0 -and $key) { break }
    if ($attempt -ge $attempts) {
        Fail "$($env:AZURE_FUNCTION_APP_NAME) reported no blobs_extension key after $attempts attempts. Check that the app starts (Application Insights, or the portal's Log stream: a missing Key Vault secret or setting is named there), then run: pwsh scripts/postdeploy.ps1"
    }
    Write-Output "postdeploy: waiting for the host's blobs_extension key ($attempt/$attempts)"
    Start-Sleep -Seconds $delay
}
$key = $null

Write-Output 'postdeploy: the host is up; creating the Event Grid subscriptions (second pass)'
azd env set KDIRECTIVE_EVENT_SUBSCRIPTIONS true
try {
    azd provision --no-prompt
    if ($LASTEXITCODE -ne 0) { Fail "the second pass (azd provision) failed with exit code $LASTEXITCODE" }
}
finally {
    # Back to false whatever happens, so a first provision of a new environment never asks for a key that is not there.
    azd env set KDIRECTIVE_EVENT_SUBSCRIPTIONS false
}
