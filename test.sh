#!/usr/bin/env bash
# Runs every test of the repository from a fresh clone and ends with one line: "N passed, N failed, N skipped".
#
#  1. installs what the tests need: Debian's chromium (browser tests) and the NuGet packages; the npm packages are
#     installed once, by ./build.sh (npm ci), which the next step runs;
#  2. builds the solution package with ./build.sh (the package tests inspect out/*.zip);
#  3. builds the .NET solution and runs its test projects (MSTest on Microsoft.Testing.Platform); runs the plugin,
#     custom API and harness tests again on their net462 build under Mono (Debian's mono-devel, installed here);
#     then the web tests (vitest + Playwright);
#  4. lints the web resources (npm run lint: ESLint + Prettier); a finding is a failed step;
#  5. proves the zips reproducible (build/check-reproducible.sh): the whole ./build.sh in two clean copies of the
#     repository in two different folders, both zips compared byte for byte, one check per zip;
#  6. sums the counts of every runner. Exit status is non-zero when any test failed or any step (install, build,
#     runner) failed; a failed build is never hidden behind a pipe.
#
# Adding a runner: run it, then call `count "<name>" <passed> <failed> <skipped>`, or `broken "<what failed>"` when
# it could not report counts. The closing line sums every runner counted.
set -uo pipefail
cd "$(dirname "$0")"
root=$(pwd)
log_dir="$root/out/test-logs"
mkdir -p "$log_dir"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
step() { printf '\n==> %s\n' "$*"; }

passed=0; failed=0; skipped=0; broken_steps=(); runner_lines=()
# count NAME PASSED FAILED SKIPPED: adds one runner's counts to the closing line.
count() {
  passed=$((passed + $2)); failed=$((failed + $3)); skipped=$((skipped + $4))
  runner_lines+=("$1: $2 passed, $3 failed, $4 skipped")
}
# broken WHAT: records a step that failed outside the test counts (the exit status becomes non-zero).
broken() { broken_steps+=("$1"); }
# summary_field NAME LINE: the number after NAME= in a runner's summary line (WEB-SUMMARY, REPRODUCIBLE-SUMMARY).
summary_field() { sed -E "s/.*$1=([0-9]+).*/\1/" <<<"$2"; }

step "Installing prerequisites"
if ! command -v chromium >/dev/null 2>&1; then
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null \
    || broken "apt-get install chromium"
fi
# Mono runs the net462 build of the plugin, custom API and harness tests (Dataverse runs the plugins' net462 builds).
if ! command -v mono >/dev/null 2>&1; then
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mono-devel >/dev/null \
    || broken "apt-get install mono-devel"
fi
dotnet restore EmergencySolution.sln --nologo -v q || broken "dotnet restore"

step "Building the solution package (./build.sh, which also runs npm ci for WebResources)"
./build.sh 2>&1 | tee "$log_dir/build.log"
if [ "${PIPESTATUS[0]}" -ne 0 ]; then broken "./build.sh"; fi

step ".NET build (dotnet build EmergencySolution.sln)"
dotnet build EmergencySolution.sln --nologo -v q -c Debug >"$log_dir/dotnet-build.log" 2>&1
dotnet_build_status=$?
tail -n 30 "$log_dir/dotnet-build.log"

step ".NET tests (dotnet test)"
if [ "$dotnet_build_status" -ne 0 ]; then
  # Tests on the binaries of an earlier build would pass for the wrong reason: the build failure is the result.
  broken "dotnet build exited $dotnet_build_status (see out/test-logs/dotnet-build.log); .NET tests not run"
  count ".NET" 0 0 0
else
  dotnet test --solution EmergencySolution.sln --no-build -c Debug 2>&1 | tee "$log_dir/dotnet-test.log"
  dotnet_status=${PIPESTATUS[0]}
  # Microsoft.Testing.Platform closes with a block (total/failed/succeeded/skipped); sum the last block it printed.
  read -r d_total d_failed d_passed d_skipped < <(awk '
    { gsub(/\033\[[0-9;]*m/, "") }  # colour codes (the test apps colour their summary when CI is set)
    /Test run summary/ { total=0; f=0; p=0; s=0 }
    /^[[:space:]]*total:/ { total=$2 } /^[[:space:]]*failed:/ { f=$2 } /^[[:space:]]*succeeded:/ { p=$2 } /^[[:space:]]*skipped:/ { s=$2 }
    END { print total+0, f+0, p+0, s+0 }' "$log_dir/dotnet-test.log")
  if [ "$d_total" -eq 0 ]; then broken "dotnet test ran no test"; fi
  if [ "$dotnet_status" -ne 0 ] && [ "$d_failed" -eq 0 ]; then broken "dotnet test exited $dotnet_status"; fi
  count ".NET" "$d_passed" "$d_failed" "$d_skipped"
fi

step ".NET tests on net462 under Mono"
# dotnet test (above) runs the net10.0 builds; the same tests are built for net462 here and run under Mono, the way
# .NET Framework would run them. Each test app prints Microsoft.Testing.Platform's closing block, summed like dotnet test's.
net462_tests=(InMemoryDataverse.Tests EmergencySolution.Tests)
if [ "$dotnet_build_status" -ne 0 ]; then
  broken "net462 tests not run (the build failed)"
elif ! command -v mono >/dev/null 2>&1; then
  broken "mono is not installed: net462 tests not run"
else
  for project in "${net462_tests[@]}"; do
    exe="Tests/$project/bin/Debug/net462/$project.exe"
    log="$log_dir/net462-$project.log"
    # Built for net462 alone (-f): Net462Tests=true adds the target; one build per framework keeps each test app's
    # generated registration intact.
    if ! dotnet build "Tests/$project/$project.csproj" --nologo -v q -c Debug -f net462 -p:Net462Tests=true >"$log_dir/net462-build-$project.log" 2>&1; then
      tail -n 30 "$log_dir/net462-build-$project.log"
      broken "dotnet build $project -f net462 failed (see out/test-logs/net462-build-$project.log)"
      continue
    fi
    (cd "$(dirname "$exe")" && mono "$(basename "$exe")" --no-ansi) 2>&1 | tee "$log"
    status=${PIPESTATUS[0]}
    read -r m_total m_failed m_passed m_skipped < <(awk '
      { gsub(/\033\[[0-9;]*m/, "") }
      /Test run summary/ { total=0; f=0; p=0; s=0 }
      /^[[:space:]]*total:/ { total=$2 } /^[[:space:]]*failed:/ { f=$2 } /^[[:space:]]*succeeded:/ { p=$2 } /^[[:space:]]*skipped:/ { s=$2 }
      END { print total+0, f+0, p+0, s+0 }' "$log")
    if [ "$m_total" -eq 0 ]; then broken "$project (net462, Mono) ran no test"; fi
    if [ "$status" -ne 0 ] && [ "$m_failed" -eq 0 ]; then broken "$project (net462, Mono) exited $status"; fi
    count "$project net462 (Mono)" "$m_passed" "$m_failed" "$m_skipped"
  done
fi

step "Web tests (vitest + Playwright on chromium)"
(cd WebResources && npm run --silent test:all) 2>&1 | tee "$log_dir/web-test.log"
web_status=${PIPESTATUS[0]}
web_line=$(grep -E '^WEB-SUMMARY ' "$log_dir/web-test.log" | tail -n 1)
if [ -z "$web_line" ]; then
  broken "web tests printed no summary (exit $web_status)"
else
  w_passed=$(summary_field passed "$web_line")
  w_failed=$(summary_field failed "$web_line")
  w_skipped=$(summary_field skipped "$web_line")
  if [ "$web_status" -ne 0 ] && [ "$w_failed" -eq 0 ]; then broken "web tests exited $web_status"; fi
  count "web" "$w_passed" "$w_failed" "$w_skipped"
fi

step "Web lint (ESLint with every Power Apps checker rule, on sources and built bundles; Prettier --check)"
(cd WebResources && npm run --silent lint) >"$log_dir/web-lint.log" 2>&1
web_lint_status=$?
tail -n 40 "$log_dir/web-lint.log"
if [ "$web_lint_status" -ne 0 ]; then broken "web lint exited $web_lint_status (see out/test-logs/web-lint.log)"; fi

step "Reproducible zips (build/check-reproducible.sh: ./build.sh in two clean copies in two folders, zips compared byte for byte)"
reproducible_started=$SECONDS
build/check-reproducible.sh 2>&1 | tee "$log_dir/reproducible.log"
reproducible_status=${PIPESTATUS[0]}
echo "reproducible zips step: $((SECONDS - reproducible_started)) s"
reproducible_line=$(grep -E '^REPRODUCIBLE-SUMMARY ' "$log_dir/reproducible.log" | tail -n 1)
if [ -z "$reproducible_line" ]; then
  # No comparison: a copy did not build (or the copies could not be made); the log says which.
  broken "reproducible zips: no comparison (exit $reproducible_status, see out/test-logs/reproducible.log)"
else
  r_passed=$(summary_field passed "$reproducible_line")
  r_failed=$(summary_field failed "$reproducible_line")
  if [ "$reproducible_status" -ne 0 ] && [ "$r_failed" -eq 0 ]; then broken "reproducible zips exited $reproducible_status"; fi
  count "reproducible zips" "$r_passed" "$r_failed" 0
fi

echo
if [ "${#broken_steps[@]}" -gt 0 ]; then
  printf 'Steps that failed: %s\n' "$(IFS=';'; echo "${broken_steps[*]}")"
fi
printf '%s\n' "$(IFS=';'; echo "${runner_lines[*]}")" | sed 's/;/; /g'
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$failed" -gt 0 ] || [ "${#broken_steps[@]}" -gt 0 ]; then exit 1; fi
exit 0
