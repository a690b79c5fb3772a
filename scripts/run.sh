#!/usr/bin/env bash
# The main job, started by `make run`. Until the web app lands this shows the knowledge base's
# exercises and today's default plan; afterwards it starts `rollcoach serve`.
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
