#!/usr/bin/env bash
# The live camera's cost in the browser (bench/camera/camera_page.mjs): pose model speed, frame
# rate, capture-to-screen latency and page memory, lite and full. Needs Chromium, ffmpeg, the built
# web app (web/dist) and web/node_modules.
set -euo pipefail
build=${1:-build/release}
root=$(cd "$(dirname "$0")/../.." && pwd)
ROLLCOACH=${ROLLCOACH:-$root/$build/apps/rollcoach/rollcoach} node "$root/bench/camera/camera_page.mjs" "${CAMERA_BENCH_SECONDS:-30}"
