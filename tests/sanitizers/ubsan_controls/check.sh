#!/usr/bin/env bash
# Proves that the fuzz smoke fails on undefined behaviour, with the negative control
# fuzz_signed_overflow.cpp (every input overflows a signed int) built with the `fuzz` preset's own
# flags, read from CMakePresets.json, and run the way `make test-fuzz` runs the real targets:
#   1. built with the preset's flags, the control stops at the overflow with a non-zero status
#      even when UBSAN_OPTIONS asks to go on (halt_on_error=0): -fno-sanitize-recover=undefined;
#   2. built without that flag and run with halt_on_error=0, it prints the same report and
#      returns 0: what the smoke did before, so check 1 can tell the two apart;
#   3. tests/fuzz/run.sh over the control fails and prints the report with a stack trace;
#   4. tests/fuzz/run.sh fails even over the build without the flag (its UBSAN_OPTIONS halt).
# Needs clang++ (libFuzzer); `make test-fuzz` runs it before the smoke.
#   bash tests/sanitizers/ubsan_controls/check.sh
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/rc-ubsan-control.XXXXXX")
trap 'rm -rf "$work"' EXIT

read_preset() {   # the fuzz preset's cache variable $1
  python3 -c 'import json, sys
presets = json.load(open(sys.argv[1]))["configurePresets"]
print(next(p for p in presets if p["name"] == "fuzz")["cacheVariables"][sys.argv[2]])' \
    "$root/CMakePresets.json" "$1"
}
cxx=$(read_preset CMAKE_CXX_COMPILER)
read -r -a cxx_flags <<< "$(read_preset CMAKE_CXX_FLAGS)"
read -r -a link_flags <<< "$(read_preset CMAKE_EXE_LINKER_FLAGS)"
lenient_flags=()
for flag in "${cxx_flags[@]}"; do
  [ "$flag" = -fno-sanitize-recover=undefined ] || lenient_flags+=("$flag")
done
if [ ${#lenient_flags[@]} -eq ${#cxx_flags[@]} ]; then
  echo "ubsan control: FAIL: the fuzz preset's CMAKE_CXX_FLAGS lack -fno-sanitize-recover=undefined" >&2
  exit 1
fi

source=$here/fuzz_signed_overflow.cpp
mkdir -p "$work/strict" "$work/lenient"
# -fsanitize=fuzzer at link, as tests/fuzz/CMakeLists.txt adds it to every target.
"$cxx" "${cxx_flags[@]}" -O1 -g "$source" "${link_flags[@]}" -fsanitize=fuzzer -o "$work/strict/fuzz_signed_overflow"
"$cxx" "${lenient_flags[@]}" -O1 -g "$source" "${link_flags[@]}" -fsanitize=fuzzer -o "$work/lenient/fuzz_signed_overflow"
printf 'x' > "$work/input"

failures=0
check() {   # check NAME EXPECTED_STATUS(zero|nonzero) PATTERN... -- COMMAND...
  local name=$1 expected=$2; shift 2
  local patterns=()
  while [ "$1" != -- ]; do patterns+=("$1"); shift; done
  shift
  local status=0
  "$@" > "$work/$name.log" 2>&1 || status=$?
  local verdict=ok
  if [ "$expected" = zero ] && [ $status -ne 0 ]; then verdict="FAIL: exit status $status, expected 0"; fi
  if [ "$expected" = nonzero ] && [ $status -eq 0 ]; then verdict="FAIL: exit status 0, expected non-zero"; fi
  for pattern in "${patterns[@]}"; do
    grep -q -- "$pattern" "$work/$name.log" || verdict="FAIL: no '$pattern' in the output"
  done
  echo "ubsan control: $name: exit status $status: $verdict"
  if [ "$verdict" != ok ]; then sed 's/^/  | /' "$work/$name.log" | tail -n 40; failures=$((failures + 1)); fi
}

report='runtime error: signed integer overflow'
check preset-flags-halt nonzero "$report" -- \
  env UBSAN_OPTIONS=halt_on_error=0 "$work/strict/fuzz_signed_overflow" "$work/input"
check without-no-recover-returns-0 zero "$report" -- \
  env UBSAN_OPTIONS=halt_on_error=0 "$work/lenient/fuzz_signed_overflow" "$work/input"
check run-sh-fails-with-stack-trace nonzero "$report" '#1 0x' -- \
  env -u UBSAN_OPTIONS ROLLCOACH_FUZZ_STRICT=1 bash "$root/tests/fuzz/run.sh" "$work/strict" 2
check run-sh-fails-without-no-recover nonzero "$report" -- \
  env -u UBSAN_OPTIONS ROLLCOACH_FUZZ_STRICT=1 bash "$root/tests/fuzz/run.sh" "$work/lenient" 2
[ $failures -eq 0 ] || { echo "ubsan control: $failures check(s) failed" >&2; exit 1; }
echo "ubsan control: undefined behaviour fails the fuzz smoke"
