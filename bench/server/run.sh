#!/usr/bin/env bash
# The web server's targets: API p99 on loopback, cue lateness of a real-time session, and the
# front-end bundle size (JS + CSS of the app, gzipped). Usage: bench/server/run.sh BUILD_DIR
set -euo pipefail
build=${1:-build/release}
root=$(cd "$(dirname "$0")/../.." && pwd)
"$build/bench/server/server_latency" --requests "${REQUESTS:-2000}" --session-seconds "${SESSION_SECONDS:-120}"
if [[ -d "$root/web/dist/assets" ]]; then
  echo
  echo "Front-end bundle (web/dist/assets), gzip -9:"
  total=0
  for f in "$root"/web/dist/assets/*.js "$root"/web/dist/assets/*.css; do
    [[ -f "$f" ]] || continue
    size=$(gzip -9 -c "$f" | wc -c)
    total=$((total + size))
    printf '  %-40s %7d bytes raw %7d gzipped\n' "$(basename "$f")" "$(wc -c < "$f")" "$size"
  done
  printf '  total gzipped: %d bytes (target <= 153600)\n' "$total"
fi
