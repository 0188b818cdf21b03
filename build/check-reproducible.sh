#!/usr/bin/env bash
# Proves that ./build.sh gives byte-identical zips from any folder: two clean copies of the repository in two different
# folders, the whole ./build.sh in each, and out/EmergencySolution.zip and out/EmergencySolution_managed.zip compared
# byte for byte. test.sh runs it as a step and counts one check per zip; it also runs alone:
#
#   build/check-reproducible.sh                    -> the two copies, two builds, the comparison (about 1–2 minutes)
#   build/check-reproducible.sh --compare DIR DIR  -> only the comparison of the zips in DIR/out and DIR/out
#
# The copies hold what git holds (its index: in CI, the commit), never a build output, and differ as two machines'
# checkouts can:
#   first:  a plain checkout (core.autocrlf=false), files written in git's order;
#   second: at another depth, with a space in its path, checked out as Git for Windows does by default
#           (core.autocrlf=true, so only .gitattributes keeps the line endings), files written in reverse order, and
#           built under another time zone and locale.
# npm ci in each copy installs from npm's cache, which test.sh's own ./build.sh has filled (nothing is downloaded
# again); NuGet restores from its global packages folder likewise.
#
# When a zip differs, the entries that differ are named (only in one, or content of another size or CRC-32); when every
# entry matches, the difference is in the zip itself (order, timestamps, attributes or compression). Both copies' build
# logs, and the zips when they differ, are kept in out/test-logs/. The last line is
# "REPRODUCIBLE-SUMMARY passed=N failed=N"; the exit status is non-zero when a zip differs or a build failed.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
log_dir="$root/out/test-logs"
zips=(EmergencySolution.zip EmergencySolution_managed.zip)

# Each entry of a zip as "name<TAB>crc32<TAB>size", read from its central directory (node is there: build.sh needs it).
zip_entries() {
  node -e '
    const b = require("fs").readFileSync(process.argv[1]);
    let end = b.length - 22;
    while (end >= 0 && b.readUInt32LE(end) !== 0x06054b50) end--;
    if (end < 0) { console.error(process.argv[1] + " is not a zip"); process.exit(2); }
    let at = b.readUInt32LE(end + 16);
    for (let i = 0, n = b.readUInt16LE(end + 10); i < n; i++) {
      const nameLength = b.readUInt16LE(at + 28);
      const name = b.toString("utf8", at + 46, at + 46 + nameLength);
      console.log(name + "\t" + b.readUInt32LE(at + 16).toString(16).padStart(8, "0") + "\t" + b.readUInt32LE(at + 24));
      at += 46 + nameLength + b.readUInt16LE(at + 30) + b.readUInt16LE(at + 32);
    }' "$1"
}

# compare_zips DIR_A DIR_B: one line per zip; prints the summary line; returns non-zero when a zip differs.
compare_zips() {
  local passed=0 failed=0 zip a b
  for zip in "${zips[@]}"; do
    a="$1/out/$zip"; b="$2/out/$zip"
    if [ ! -f "$a" ] || [ ! -f "$b" ]; then
      echo "DIFFERS $zip: missing in $([ -f "$a" ] || echo "$1")$([ -f "$b" ] || echo " $2")"
      failed=$((failed + 1)); continue
    fi
    if cmp -s "$a" "$b"; then
      echo "IDENTICAL $zip ($(wc -c <"$a") bytes, sha256 $(sha256sum "$a" | cut -c1-16)…)"
      passed=$((passed + 1)); continue
    fi
    failed=$((failed + 1))
    echo "DIFFERS $zip: $(cmp "$a" "$b" 2>&1 | sed 's/^.*differ: //')"
    local entries
    entries=$(awk -F'\t' '
      FNR == 1 { file++ }
      file == 1 { first[$1] = $2 " " $3; order1[++n1] = $1 }
      file == 2 { second[$1] = $2 " " $3; order2[++n2] = $1 }
      END {
        for (i = 1; i <= n1; i++) { e = order1[i]
          if (!(e in second)) print "  only in the first copy: " e
          else if (first[e] != second[e]) print "  differs: " e " (crc32 size " first[e] " vs " second[e] ")" }
        for (i = 1; i <= n2; i++) if (!(order2[i] in first)) print "  only in the second copy: " order2[i]
        for (i = 1; i <= n1 && i <= n2; i++) if (order1[i] != order2[i]) { print "  entry order differs from entry " i; break }
      }' <(zip_entries "$a") <(zip_entries "$b"))
    if [ -n "$entries" ]; then
      echo "$entries"
    else
      echo "  every entry has the same name, size and CRC-32: the zip itself differs (timestamps, attributes or compression)"
    fi
  done
  echo "REPRODUCIBLE-SUMMARY passed=$passed failed=$failed"
  [ "$failed" -eq 0 ]
}

if [ "${1:-}" = "--compare" ]; then
  compare_zips "$2" "$3"
  exit $?
fi

for tool in git node cmp sha256sum; do
  command -v "$tool" >/dev/null 2>&1 || { echo "check-reproducible: '$tool' is not installed" >&2; exit 127; }
done
git rev-parse --is-inside-work-tree >/dev/null 2>&1 || { echo "check-reproducible: $root is not a git checkout" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/reproducible-XXXXXX")
trap 'rm -rf "$work"' EXIT
first="$work/first"
second="$work/second checkout/at/another depth"
mkdir -p "$first" "$second" "$log_dir"

# checkout-index writes git's index into a folder (with the eol conversion the given core.autocrlf asks for).
started=$SECONDS
git ls-files -z | git -c core.autocrlf=false checkout-index -z --stdin --prefix="$first/" || exit 1
git ls-files -z | sort -rz | git -c core.autocrlf=true checkout-index -z --stdin --prefix="$second/" || exit 1
echo "two copies of $(git ls-files | wc -l) files in $((SECONDS - started)) s: $first and $second"

build_copy() { # build_copy NAME DIR [ENV...]: the whole ./build.sh in DIR, its output in out/test-logs/reproducible-NAME.log
  local name=$1 dir=$2 started=$SECONDS
  shift 2
  if (cd "$dir" && env "$@" ./build.sh) >"$log_dir/reproducible-$name.log" 2>&1; then
    echo "built the $name copy in $((SECONDS - started)) s ($dir)"
  else
    tail -n 20 "$log_dir/reproducible-$name.log"
    echo "./build.sh failed in the $name copy ($dir); see out/test-logs/reproducible-$name.log" >&2
    return 1
  fi
}

started=$SECONDS
build_copy first "$first" || exit 1
build_copy second "$second" TZ=Pacific/Chatham LANG=de_DE.UTF-8 || exit 1
echo "two builds in $((SECONDS - started)) s"

if ! compare_zips "$first" "$second"; then
  for copy in first second; do
    dir=$first; [ "$copy" = second ] && dir=$second
    mkdir -p "$log_dir/reproducible-$copy"
    cp "$dir"/out/*.zip "$log_dir/reproducible-$copy/" 2>/dev/null
  done
  echo "the zips of both copies are in out/test-logs/reproducible-first and out/test-logs/reproducible-second"
  exit 1
fi
