#!/usr/bin/env bash
# The project's main command: builds both solution zips from a fresh clone.
#
#   ./build.sh            -> out/EmergencySolution.zip (unmanaged) and out/EmergencySolution_managed.zip
#   ./build.sh check      -> every check, no zip
#   ./build.sh --no-build -> pack with the plugin assemblies an earlier Release build left
#   ./build.sh sync-root-components -> rewrite Other/Solution.xml's RootComponents after adding a component
#
# Steps: installs the web resources' npm packages (npm ci) and builds their bundles (npm run build, into
# WebResources/dist), then runs the packager (SolutionPackage/Packager), which builds the plugin assemblies in
# Release for net462, checks SolutionPackage/src against them, validates customizations.xml against Microsoft's
# schema and packs the zips. Any failed check is listed with its file and reason, and the exit status is non-zero.
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

for tool in dotnet npm node; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "build.sh: '$tool' is not installed (see docs/developer.md, 'The two commands')." >&2
    exit 127
  fi
done

# Rewriting Other/Solution.xml's RootComponents needs neither npm nor the plugin builds.
if [ "${1:-}" = "sync-root-components" ]; then
  dotnet build SolutionPackage/Packager/EmergencySolution.Packager.csproj -c Release --nologo -v q -clp:ErrorsOnly
  exec dotnet SolutionPackage/Packager/bin/Release/net10.0/EmergencySolution.Packager.dll --repo "$(pwd)" sync-root-components
fi

echo "==> Web resources: npm ci"
(cd WebResources && npm ci --no-audit --no-fund --loglevel=error)
echo "==> Web resources: npm run build"
(cd WebResources && npm run --silent build)

echo "==> Packager: dotnet build"
dotnet build SolutionPackage/Packager/EmergencySolution.Packager.csproj -c Release --nologo -v q -clp:ErrorsOnly

dotnet SolutionPackage/Packager/bin/Release/net10.0/EmergencySolution.Packager.dll --repo "$(pwd)" "$@"
