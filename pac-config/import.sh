#!/usr/bin/env bash
# Imports EmergencySolution into a Dataverse environment with the Power Platform CLI (pac).
#
#   pac-config/import.sh --environment https://contoso.crm.dynamics.com            (interactive sign-in)
#   PAC_APPLICATION_ID=… PAC_CLIENT_SECRET=… PAC_TENANT_ID=… \
#     pac-config/import.sh --environment https://contoso.crm.dynamics.com         (service principal)
#
# Options:
#   --environment URL   target environment (required)
#   --unmanaged         import out/EmergencySolution.zip instead of the managed zip (development orgs only)
#   --zip PATH          import this zip instead
#   --settings PATH     deployment settings (default: pac-config/deploymentSettings.json)
#   --device-code       sign in with a device code instead of a browser
#
# Managed is the default: production and test orgs get the managed package, so an upgrade replaces it cleanly.
# Build the zips first with ./build.sh. Never put a client secret in this file or in the repository.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"

environment=""
zip="$root/out/EmergencySolution_managed.zip"
settings="$here/deploymentSettings.json"
interactive_flag=()
while [ $# -gt 0 ]; do
  case "$1" in
    --environment) environment="$2"; shift 2 ;;
    --unmanaged) zip="$root/out/EmergencySolution.zip"; shift ;;
    --zip) zip="$2"; shift 2 ;;
    --settings) settings="$2"; shift 2 ;;
    --device-code) interactive_flag=(--deviceCode); shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "import.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

if [ -z "$environment" ]; then echo "import.sh: --environment is required" >&2; exit 2; fi
if ! command -v pac >/dev/null 2>&1; then echo "import.sh: the Power Platform CLI 'pac' is not installed" >&2; exit 127; fi
if [ ! -f "$zip" ]; then echo "import.sh: $zip does not exist; run ./build.sh first" >&2; exit 1; fi
if [ ! -f "$settings" ]; then echo "import.sh: settings file $settings does not exist" >&2; exit 1; fi

profile="emergency-solution"
if [ -n "${PAC_APPLICATION_ID:-}" ]; then
  : "${PAC_CLIENT_SECRET:?PAC_CLIENT_SECRET is required with PAC_APPLICATION_ID}"
  : "${PAC_TENANT_ID:?PAC_TENANT_ID is required with PAC_APPLICATION_ID}"
  echo "==> pac auth create (service principal $PAC_APPLICATION_ID)"
  pac auth create --name "$profile" --environment "$environment" \
    --applicationId "$PAC_APPLICATION_ID" --clientSecret "$PAC_CLIENT_SECRET" --tenant "$PAC_TENANT_ID"
else
  echo "==> pac auth create (interactive)"
  pac auth create --name "$profile" --environment "$environment" ${interactive_flag[@]+"${interactive_flag[@]}"}
fi
pac auth select --name "$profile"

echo "==> pac solution import $(basename "$zip")"
pac solution import --path "$zip" --settings-file "$settings" \
  --activate-plugins --publish-changes --async --max-async-wait-time 60
echo "==> Imported. Next: the callback router's application user and the security roles (docs/operations.md, 'Deploying with pac')."
