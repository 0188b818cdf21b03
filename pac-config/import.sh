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
#   --same-version      import even when the environment already has this version (drops --skip-lower-version)
#
# Managed is the default: production and test orgs get the managed package. A managed import runs with
# --stage-and-upgrade, as real pipelines do: the new version is staged as a holding solution and the upgrade then
# deletes whatever the old version had and the new one no longer ships (a removed step, role or column), in one
# operation; without it, removed components would stay in the org. It also passes --skip-lower-version, so an older or
# identical version never overwrites what is installed: raise Version in SolutionPackage/src/Other/Solution.xml for
# every release. Unmanaged imports (development orgs) take neither flag: an unmanaged solution has no upgrade.
# Every import activates the plugin steps and publishes, and waits up to 60 minutes for the asynchronous import.
# Build the zips first with ./build.sh. Never put a client secret in this file or in the repository.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"

environment=""
zip="$root/out/EmergencySolution_managed.zip"
settings="$here/deploymentSettings.json"
interactive_flag=()
managed=1
skip_lower_version=1
while [ $# -gt 0 ]; do
  case "$1" in
    --environment) environment="$2"; shift 2 ;;
    --unmanaged) zip="$root/out/EmergencySolution.zip"; managed=0; shift ;;
    --zip) zip="$2"; case "$2" in *_managed.zip) managed=1 ;; *) managed=0 ;; esac; shift 2 ;;
    --settings) settings="$2"; shift 2 ;;
    --device-code) interactive_flag=(--deviceCode); shift ;;
    --same-version) skip_lower_version=0; shift ;;
    -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
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

import_flags=(--activate-plugins --publish-changes --async --max-async-wait-time 60)
if [ "$managed" -eq 1 ]; then
  import_flags+=(--stage-and-upgrade)
  if [ "$skip_lower_version" -eq 1 ]; then import_flags+=(--skip-lower-version); fi
fi
echo "==> pac solution import $(basename "$zip") ${import_flags[*]}"
pac solution import --path "$zip" --settings-file "$settings" "${import_flags[@]}"
echo "==> Imported. Next: the callback router's application user and the security roles (docs/operations.md, 'Deploying with pac')."
