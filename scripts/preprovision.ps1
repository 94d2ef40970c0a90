# azd preprovision hook (Windows): the same checks as preprovision.sh. The first deployment needs the SendGrid key
# (azd env set-secret SENDGRID_API_KEY) unless outbox-only email is chosen explicitly.
$ErrorActionPreference = 'Stop'

function Fail([string] $message) {
    [Console]::Error.WriteLine("preprovision: $message")
    exit 1
}

if (-not $env:KDIRECTIVE_EMAIL_FROM) { Fail 'KDIRECTIVE_EMAIL_FROM is not set: azd env set KDIRECTIVE_EMAIL_FROM <a SendGrid verified sender>' }
if (-not $env:KDIRECTIVE_OPERATOR_EMAIL) { Fail 'KDIRECTIVE_OPERATOR_EMAIL is not set: azd env set KDIRECTIVE_OPERATOR_EMAIL <alert recipient>' }
if (-not $env:KDIRECTIVE_DASHBOARD_CLIENT_ID) { Fail 'KDIRECTIVE_DASHBOARD_CLIENT_ID is not set: azd env set KDIRECTIVE_DASHBOARD_CLIENT_ID <client id of the dashboard''s Entra app registration>' }

$delivery = if ($env:KDIRECTIVE_EMAIL_DELIVERY) { $env:KDIRECTIVE_EMAIL_DELIVERY } else { 'sendgrid' }
if ($delivery -eq 'outbox') {
    Write-Output 'preprovision: outbox-only email (KDIRECTIVE_EMAIL_DELIVERY=outbox): emails are .eml files on the instance, none is sent'
    exit 0
}
if ($delivery -ne 'sendgrid') { Fail "KDIRECTIVE_EMAIL_DELIVERY must be sendgrid or outbox, not '$delivery'" }

if ($env:SENDGRID_API_KEY) { exit 0 }
if ($env:AZURE_KEY_VAULT_NAME) {
    Write-Output "preprovision: SENDGRID_API_KEY is not set; keeping the SendGridApiKey secret already in $($env:AZURE_KEY_VAULT_NAME)"
    exit 0
}
Fail 'the first deployment needs the SendGrid API key: azd env set-secret SENDGRID_API_KEY (it stays in Key Vault), or choose outbox-only email explicitly: azd env set KDIRECTIVE_EMAIL_DELIVERY outbox'
