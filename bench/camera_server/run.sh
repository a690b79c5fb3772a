#!/usr/bin/env bash
# The whole server's CPU for camera frames at 15 fps, Beast and the socket included (the Google
# Benchmark beside it measures the handler alone): a running session without frames, then with
# 15 frames a second of real-model landmarks, DURATION seconds each (default 60).
#   bash bench/camera_server/run.sh build/release
set -euo pipefail
build=${1:-build/release}
root=$(cd "$(dirname "$0")/../.." && pwd)
duration=${DURATION:-60}
port=${PORT:-18431}
exe="$build/apps/rollcoach/rollcoach"
clip="$root/tests/data/footage/heldout/roll_lumbar_b.lite.jsonl"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for mode in idle frames; do
  XDG_CACHE_HOME="$scratch/cache" "$exe" --db "$scratch/$mode.db" serve --port "$port" --no-voice >"$scratch/serve.log" 2>&1 &
  server=$!
  sleep 2
  python3 "$root/bench/camera_server/whole_server.py" "$server" "$port" "$clip" "$duration" "$mode" || { kill "$server"; exit 1; }
  kill "$server"
  wait "$server" 2>/dev/null || true
done
