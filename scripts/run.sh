#!/usr/bin/env bash
# The main job, started by `make run`: the web app. `rollcoach serve` prints the address to open
# (http://127.0.0.1:PORT/) and serves until Ctrl-C. Without a built `serve` (a partial build) it
# falls back to printing the exercises and today's default plan.
set -euo pipefail
bin=$1
port=${2:-8080}
if "$bin" serve --help >/dev/null 2>&1; then
  exec "$bin" serve --port "$port"
fi
for cmd in exercises plan; do
  if "$bin" "$cmd" --help >/dev/null 2>&1; then
    "$bin" "$cmd"
  fi
done
