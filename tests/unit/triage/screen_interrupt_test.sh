#!/bin/bash
# `rollcoach screen` interrupted part-way (Ctrl-C after a few answers) must not leave an older
# all-clear in force: starting the questions replaces it at once, as the web app's "Start the
# questions" does, so `rollcoach plan` refuses until the screening is finished.
# Usage: screen_interrupt_test.sh <rollcoach> <source dir>
set -euo pipefail
rollcoach="$1"
source_dir="$2"
dir="$(mktemp -d)"
pid=""
cleanup() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi; rm -rf "$dir"; }
trap cleanup EXIT
fail() { echo "FAIL: $1"; [ -f "$dir/out" ] && { echo "--- output ---"; cat "$dir/out"; }; exit 1; }
rc() { "$rollcoach" --kb "$source_dir/data/knowledge" --db "$dir/journal.db" --no-color "$@"; }

rc screen --answers "$source_dir/tests/scenarios/triage/all_clear_adult/answers.json" > /dev/null
rc plan > /dev/null || fail "an all-clear screening gives a plan"

# Job control on, so the background command gets SIGINT as a terminal's Ctrl-C would deliver it
# (without it, bash starts background commands with SIGINT ignored).
set -m
mkfifo "$dir/in"
"$rollcoach" --kb "$source_dir/data/knowledge" --db "$dir/journal.db" --no-color screen < "$dir/in" > "$dir/out" 2>&1 &
pid=$!
exec 3> "$dir/in"
printf 'no\nno\n' >&3
for _ in $(seq 1 300); do grep -q '\[3/' "$dir/out" && break; sleep 0.1; done
grep -q '\[3/' "$dir/out" || fail "the third question never came"
grep -q "Starting replaces your earlier answers" "$dir/out" || fail "the screening did not say it replaces the earlier answers"
kill -INT -- "-$pid"   # its own process group (job control), as a terminal delivers Ctrl-C
set +e
wait "$pid"
status=$?
set -e
pid=""
exec 3>&-
[ "$status" -ne 0 ] || fail "the interrupted screening exited 0"

set +e
rc plan > /dev/null 2> "$dir/err"
code=$?
set -e
[ "$code" = 5 ] || fail "plan after an interrupted screening: exit $code, expected 5 (refused): $(cat "$dir/err")"

# Finishing the questions afterwards gives the plan back.
rc screen --answers "$source_dir/tests/scenarios/triage/all_clear_adult/answers.json" > /dev/null
rc plan > /dev/null || fail "a finished screening gives the plan back"
echo "screen interrupt: all checks passed"
