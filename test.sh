#!/usr/bin/env bash
# Runs every test of the repository from a fresh clone and ends with one line: "N passed, N failed, N skipped".
#
#  1. installs what the tests need: Debian's chromium (browser tests), the npm packages (npm ci), the NuGet packages;
#  2. builds the solution package with ./build.sh (the package tests inspect out/*.zip);
#  3. runs the .NET test projects (MSTest on Microsoft.Testing.Platform) and the web tests (vitest + Playwright);
#  4. sums the counts of every runner. Exit status is non-zero when any test or step failed.
set -uo pipefail
cd "$(dirname "$0")"
root=$(pwd)
log_dir="$root/out/test-logs"
mkdir -p "$log_dir"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
step() { printf '\n==> %s\n' "$*"; }

passed=0; failed=0; skipped=0; broken_steps=()

step "Installing prerequisites"
if ! command -v chromium >/dev/null 2>&1; then
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null \
    || broken_steps+=("apt-get install chromium")
fi
(cd WebResources && npm ci --no-audit --no-fund --loglevel=error) || broken_steps+=("npm ci")
dotnet restore EmergencySolution.sln --nologo -v q || broken_steps+=("dotnet restore")

step "Building the solution package (./build.sh)"
if ! ./build.sh 2>&1 | tee "$log_dir/build.log"; then
  broken_steps+=("./build.sh")
fi

step ".NET tests (dotnet test)"
dotnet build EmergencySolution.sln --nologo -v q -c Debug 2>&1 | tail -n 30 | tee "$log_dir/dotnet-build.log"
dotnet test --solution EmergencySolution.sln --no-build -c Debug 2>&1 | tee "$log_dir/dotnet-test.log"
dotnet_status=${PIPESTATUS[0]}
# Microsoft.Testing.Platform closes with a block (total/failed/succeeded/skipped); sum the last block it printed.
read -r d_total d_failed d_passed d_skipped < <(awk '
  /Test run summary/ { total=0; f=0; p=0; s=0 }
  /^[[:space:]]*total:/ { total=$2 } /^[[:space:]]*failed:/ { f=$2 } /^[[:space:]]*succeeded:/ { p=$2 } /^[[:space:]]*skipped:/ { s=$2 }
  END { print total+0, f+0, p+0, s+0 }' "$log_dir/dotnet-test.log")
if [ "$d_total" -eq 0 ]; then broken_steps+=("dotnet test ran no test"); fi
if [ "$dotnet_status" -ne 0 ] && [ "$d_failed" -eq 0 ]; then broken_steps+=("dotnet test exited $dotnet_status"); fi
passed=$((passed + d_passed)); failed=$((failed + d_failed)); skipped=$((skipped + d_skipped))

step "Web tests (vitest + Playwright on chromium)"
(cd WebResources && npm run --silent test:all) 2>&1 | tee "$log_dir/web-test.log"
web_status=${PIPESTATUS[0]}
web_line=$(grep -E '^WEB-SUMMARY ' "$log_dir/web-test.log" | tail -n 1)
if [ -z "$web_line" ]; then
  broken_steps+=("web tests printed no summary")
else
  w_passed=$(sed -E 's/.*passed=([0-9]+).*/\1/' <<<"$web_line")
  w_failed=$(sed -E 's/.*failed=([0-9]+).*/\1/' <<<"$web_line")
  w_skipped=$(sed -E 's/.*skipped=([0-9]+).*/\1/' <<<"$web_line")
  passed=$((passed + w_passed)); failed=$((failed + w_failed)); skipped=$((skipped + w_skipped))
  if [ "$web_status" -ne 0 ] && [ "$w_failed" -eq 0 ]; then broken_steps+=("web tests exited $web_status"); fi
fi

echo
if [ "${#broken_steps[@]}" -gt 0 ]; then
  printf 'Steps that failed: %s\n' "$(IFS=';'; echo "${broken_steps[*]}")"
fi
echo ".NET: $d_passed passed, $d_failed failed, $d_skipped skipped; web: ${w_passed:-0} passed, ${w_failed:-0} failed, ${w_skipped:-0} skipped"
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$failed" -gt 0 ] || [ "${#broken_steps[@]}" -gt 0 ]; then exit 1; fi
exit 0
