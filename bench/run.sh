#!/usr/bin/env bash
# Runs every benchmark of a release build: Google Benchmark binaries named bench_* or *_bench under
# BUILD/bench, then each module's whole-program script bench/<module>/run.sh if present.
# Results print to stdout; docs/benchmarks.md records them with the machine and date.
set -euo pipefail
build=${1:-build/release}
root=$(cd "$(dirname "$0")/.." && pwd)
echo "machine: $(lscpu | sed -n 's/^Model name: *//p') ($(nproc) cores), $(date -u +%Y-%m-%d)"
found=0
while IFS= read -r -d '' exe; do
  found=1
  echo "== $(basename "$exe")"
  "$exe" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
done < <(find "$build/bench" -type f \( -name 'bench_*' -o -name '*_bench' \) -perm -u+x -print0 | sort -z)
for script in "$root"/bench/*/run.sh; do
  [[ -f "$script" ]] || continue
  found=1
  echo "== $script"
  bash "$script" "$build"
done
((found)) || echo "no benchmarks built"
