#!/usr/bin/env bash
# Runs every libFuzzer target in a build directory, sharing SECONDS between them.
#   bash tests/fuzz/run.sh build/fuzz 60
# Each target grows its corpus in BUILD_DIR/corpus/<target>, seeded from tests/fuzz/corpus/<target>
# when that folder exists; the seeds include every crash found so far (regression inputs), which
# libFuzzer replays before mutating. A crash, a leak, an input slower than 10 s or any sanitizer
# report fails the run: UndefinedBehaviorSanitizer's too (the fuzz preset builds with
# -fno-sanitize-recover=undefined, and UBSAN_OPTIONS below halts a build without it), with a stack
# trace. tests/sanitizers/ubsan_controls/check.sh proves it with a target that overflows an int.
# ROLLCOACH_FUZZ_STRICT=0 (see fuzz_world.h) tolerates contract breaks that are not crashes
# (a 500, internal text, the known 1e400 overflow) for long exploratory runs; the default is strict.
set -euo pipefail
build_dir=${1:?usage: run.sh BUILD_DIR SECONDS}
total=${2:-60}
mapfile -t targets < <(find "$build_dir" -type f -name 'fuzz_*' -perm -u+x | sort)
if [ ${#targets[@]} -eq 0 ]; then
  echo "no fuzz_* binaries under $build_dir (configure with the fuzz preset first)" >&2
  exit 1
fi
each=$(( total / ${#targets[@]} ))
[ "$each" -ge 1 ] || each=1
# Library caches kept until exit (fontconfig, for the PDF report) are not our leaks.
export LSAN_OPTIONS="suppressions=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/sanitizers/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
# UndefinedBehaviorSanitizer recovers by default: it would print its report and let the run pass.
# Ours come last, so a caller's UBSAN_OPTIONS can add options but not turn halting off.
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}print_stacktrace=1:halt_on_error=1"
status=0
for target in "${targets[@]}"; do
  name=$(basename "$target")
  corpus="$build_dir/corpus/$name"
  mkdir -p "$corpus"
  seeds=()
  seed_dir="$(dirname "${BASH_SOURCE[0]}")/corpus/$name"
  [ -d "$seed_dir" ] && seeds=("$seed_dir")
  echo "== $name for ${each}s"
  "$target" -max_total_time="$each" -timeout=10 -print_final_stats=0 -artifact_prefix="$build_dir/" "$corpus" "${seeds[@]}" || status=1
done
exit $status
