#!/usr/bin/env bash
# Peak RSS of `rollcoach serve` while one client downloads the whole export of a large journal,
# at full speed and through a slow client (curl --limit-rate), RUNS times each on a fresh server.
# With ROLLCOACH_BEFORE set to an older binary (one that built the export in memory), the same
# runs are made with it too, on the same journal file, for a before/after table.
#
# Usage: bench/export/run.sh BUILD_DIR
#   DAYS=10000 (about 50 MB of JSON)  RUNS=3  FORMAT=json  SLOW_RATE=8M  ROLLCOACH_BEFORE=/path/to/rollcoach
#   KB=data/knowledge (the knowledge base the server loads)  KB_BEFORE=... (the older binary's, if it differs)
# Prints one line per run and the medians. Results: docs/benchmarks.md.
set -euo pipefail
build=${1:-build/release}
days=${DAYS:-10000}
runs=${RUNS:-3}
format=${FORMAT:-json}
slow_rate=${SLOW_RATE:-8M}
after="$build/apps/rollcoach/rollcoach"
kb=${KB:-$(cd "$(dirname "$0")/../.." && pwd)/data/knowledge}
work=$(mktemp -d)
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/web"
echo '<!doctype html><title>rollcoach</title>' > "$work/web/index.html"
echo "machine: $(lscpu | sed -n 's/^Model name: *//p') ($(nproc) cores), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
"$build/bench/export/make_bench_journal" "$work/journal.db" "$days"
echo "journal: $days days of use, $(du -m "$work/journal.db" | cut -f1) MB of SQLite"

kib() { awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status"; }

# One run: start a server, note its RSS, download the export (optionally slowly), note its peak.
measure() {
  local binary=$1 label=$2 rate=$3
  local kb_dir=$kb
  [[ "$label" == before ]] && kb_dir=${KB_BEFORE:-$kb}
  : > "$work/serve.log"
  "$binary" --kb "$kb_dir" --db "$work/journal.db" serve --port 0 --no-voice --web "$work/web" > "$work/serve.log" 2>&1 &
  server_pid=$!
  local url=""
  for _ in $(seq 1 100); do
    url=$(sed -n 's/^rollcoach is ready: open \(http:[^ ?]*\).*/\1/p' "$work/serve.log")
    [[ -n "$url" ]] && break
    sleep 0.1
  done
  [[ -n "$url" ]] || { echo "the server did not start:"; cat "$work/serve.log"; exit 1; }
  local idle; idle=$(kib "$server_pid" VmRSS)
  local limit=()
  [[ "$rate" != "full" ]] && limit=(--limit-rate "$rate")
  local seconds
  seconds=$(curl -sf "${limit[@]}" -o "$work/export.out" -w '%{time_total}' "${url}api/export?format=$format")
  local peak; peak=$(kib "$server_pid" VmHWM)
  local bytes; bytes=$(stat -c %s "$work/export.out")
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
  python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$work/export.out"
  printf '%s\t%s\t%d\t%d\t%d\t%.2f\n' "$label" "$rate" "$bytes" "$((idle / 1024))" "$((peak / 1024))" "$seconds" | tee -a "$work/results.tsv"
}

printf 'binary\trate\texport_bytes\tidle_rss_mb\tpeak_rss_mb\tseconds\n'
for rate in full "$slow_rate"; do
  for _ in $(seq 1 "$runs"); do
    [[ -n "${ROLLCOACH_BEFORE:-}" ]] && measure "$ROLLCOACH_BEFORE" before "$rate"
    measure "$after" after "$rate"
  done
done
python3 - "$work/results.tsv" <<'PY'
import statistics, sys, collections
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    label, rate, size, idle, peak, seconds = line.split('\t')
    rows[(label, rate)].append((int(size), int(idle), int(peak), float(seconds)))
print("median\tbinary\trate\texport_MB\tidle_rss_MB\tpeak_rss_MB\tseconds")
for (label, rate), values in sorted(rows.items()):
    med = lambda i: statistics.median(v[i] for v in values)
    print(f"median\t{label}\t{rate}\t{med(0)/1e6:.1f}\t{med(1):.0f}\t{med(2):.0f}\t{med(3):.2f}")
PY
