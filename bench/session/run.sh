#!/usr/bin/env bash
# The session's real-time benchmark for `make bench`: 60 s at speed 1 (use
# `session_timing --minutes 10` or `--minutes 30` for the long runs recorded in docs/benchmarks.md).
set -euo pipefail
build=${1:-build/release}
"$build/bench/session/session_timing" --seconds "${SESSION_BENCH_SECONDS:-60}"
