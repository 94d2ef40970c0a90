#!/bin/sh
# azd preprovision hook: stop before anything is created when the email settings cannot work. The first deployment
# needs the SendGrid key (azd env set-secret SENDGRID_API_KEY) unless outbox-only email is chosen explicitly.
set -eu

fail() { echo "preprovision: $1" >&2; exit 1; }

[ -n "${KDIRECTIVE_EMAIL_FROM:-}" ] || fail "KDIRECTIVE_EMAIL_FROM is not set: azd env set KDIRECTIVE_EMAIL_FROM <a SendGrid verified sender>"
[ -n "${KDIRECTIVE_OPERATOR_EMAIL:-}" ] || fail "KDIRECTIVE_OPERATOR_EMAIL is not set: azd env set KDIRECTIVE_OPERATOR_EMAIL <alert recipient>"
[ -n "${KDIRECTIVE_DASHBOARD_CLIENT_ID:-}" ] || fail "KDIRECTIVE_DASHBOARD_CLIENT_ID is not set: azd env set KDIRECTIVE_DASHBOARD_CLIENT_ID <client id of the dashboard's Entra app registration>"

delivery="${KDIRECTIVE_EMAIL_DELIVERY:-sendgrid}"
case "$delivery" in
  outbox)
    echo "preprovision: outbox-only email (KDIRECTIVE_EMAIL_DELIVERY=outbox): emails are .eml files on the instance, none is sent"
    exit 0 ;;
  sendgrid) ;;
  *) fail "KDIRECTIVE_EMAIL_DELIVERY must be sendgrid or outbox, not '$delivery'" ;;
esac

if [ -n "${SENDGRID_API_KEY:-}" ]; then
  exit 0
fi
if [ -n "${AZURE_KEY_VAULT_NAME:-}" ]; then
  echo "preprovision: SENDGRID_API_KEY is not set; keeping the SendGridApiKey secret already in $AZURE_KEY_VAULT_NAME"
  exit 0
fi
fail "the first deployment needs the SendGrid API key: azd env set-secret SENDGRID_API_KEY (it stays in Key Vault), or choose outbox-only email explicitly: azd env set KDIRECTIVE_EMAIL_DELIVERY outbox"
