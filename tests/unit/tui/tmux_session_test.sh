#!/usr/bin/env bash
# Drives `rollcoach session` (the terminal coach) in an 80x24 tmux pane: a whole session at 20x
# speed with the pain asked before (4) and after (2), a tender spot pressed during set-up that
# holds once rolling begins, a pain rating, pause/resume and a cancelled quit; then a numbness
# stop (both ratings skipped), which refuses the next session until a clearance covers it; back-off advice that stays until cleared; a session kept after the
# journal was locked when it ended; then Ctrl-C. After each run the terminal must be back to normal (echo and canonical mode
# on, the coach's screen gone) and the completed session is in the journal. Exit 77 (skipped)
# when tmux is missing.
# Usage: tmux_session_test.sh ROLLCOACH_BINARY KNOWLEDGE_DIR
set -euo pipefail
rollcoach=$1
kb=$2
if ! command -v tmux >/dev/null 2>&1; then
  echo "SKIP: tmux is not installed (apt-get install tmux); the terminal coach was not tested"
  exit 77
fi
work=$(mktemp -d)
sock="$work/tmux.sock"
trap 'tmux -S "$sock" kill-server >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

capture() { tmux -S "$sock" capture-pane -p -t "$1"; }
fail() { echo "FAIL: $1"; echo "--- screen ---"; capture "$2" || true; exit 1; }
wait_for() {  # session pattern seconds
  local i
  for ((i = 0; i < $3 * 10; i++)); do
    if capture "$1" | grep -q -- "$2"; then return 0; fi
    sleep 0.1
  done
  fail "'$2' did not appear within $3 s" "$1"
}
keys() { tmux -S "$sock" send-keys -t "$1" "${@:2}"; }
start() {  # name extra-args...
  local name=$1
  shift
  tmux -S "$sock" new-session -d -s "$name" -x 80 -y 24 \
    "env NO_COLOR=1 TERM=xterm-256color '$rollcoach' --kb '$kb' --db '$work/journal.db' session --no-voice $*; echo \"EXIT=\$?\" > '$work/$name.exit'; stty -a > '$work/$name.stty'; sleep 60"
}
check_restored() {  # name expected-exit
  local i
  for ((i = 0; i < 100; i++)); do [[ -s "$work/$1.exit" && -s "$work/$1.stty" ]] && break; sleep 0.1; done
  [[ -s "$work/$1.exit" ]] || fail "rollcoach did not exit" "$1"
  grep -q "EXIT=$2" "$work/$1.exit" || fail "exit status $(cat "$work/$1.exit"), expected $2" "$1"
  grep -qw -- "-echo" "$work/$1.stty" && fail "echo left off after exit" "$1"
  grep -qw -- "-icanon" "$work/$1.stty" && fail "canonical mode left off after exit" "$1"
  if capture "$1" | grep -q "Session \["; then fail "the coach's screen was left behind" "$1"; fi
  return 0
}

# 0. No session before the safety screening: the coach refuses and says what to do.
start noscreen --speed 20
wait_for noscreen "No safety screening on record" 10
check_restored noscreen 5   # refused: the same message and status as `rollcoach plan` (README, "Exit codes")

# A person answers the safety questions first (all clear), as the coach asks.
answers="$(cd "$(dirname "$0")/../../scenarios/triage/all_clear_adult" && pwd)/answers.json"
"$rollcoach" --kb "$kb" --db "$work/journal.db" screen --answers "$answers" >/dev/null \
  || { echo "FAIL: the all-clear screening did not exit 0"; exit 1; }

# 1. A whole session at 20x: 5 minutes in about 15 seconds.
start full --speed 20
wait_for full "how is your back right now" 15
keys full "12" Enter
wait_for full "12 is above 10" 3
keys full 4 Enter
wait_for full "Step 1 of 3" 15
wait_for full "Session \[" 2
wait_for full "Next: " 2
wait_for full "Get into position" 2
keys full t
wait_for full "Noted: the hold" 3
wait_for full "Holding a tender spot" 10
keys full p
wait_for full "Pain right now" 3
keys full 8
wait_for full "BACK OFF" 3
keys full Space
wait_for full "PAUSED" 3
first=$(capture full | grep "Session \[")
sleep 1.5
second=$(capture full | grep "Session \[")
[[ "$first" == "$second" ]] || fail "the session clock moved while paused: '$first' then '$second'" full
keys full Space
keys full q
wait_for full "Quit the session?" 3
keys full n
wait_for full "Step 2 of 3" 20
wait_for full "Step 3 of 3" 20
wait_for full "Session complete" 30
keys full x
wait_for full "How is your back now" 5
keys full 2 Enter
check_restored full 0
wait_for full "Session complete:" 5
# The summary gives minutes and seconds, as a person reads them (it once said " 5:00.000").
capture full | grep -Eq "Session complete: [0-9]+:[0-9]{2} of rolling" || fail "the summary's time is not minutes and seconds" full
"$rollcoach" --kb "$kb" --db "$work/journal.db" history --json > "$work/history.json"
grep -q '"completed"' "$work/history.json" || { echo "FAIL: the completed session is not in the journal"; cat "$work/history.json"; exit 1; }
python3 - "$work/history.json" <<'PY' || { echo "FAIL: the ratings before and after are not with the session"; cat "$work/history.json"; exit 1; }
import json, sys
session = next(e for e in json.load(open(sys.argv[1])) if e["kind"] == "session")
assert session["detail"]["pain_before"] == 4 and session["detail"]["pain_after"] == 2, session["detail"]
assert session["detail"]["tender_spots"] >= 1, session["detail"]
PY

# 2. Numbness or tingling stops at once and says what to do.
start numb --speed 20
wait_for numb "how is your back right now" 15
keys numb Enter
wait_for numb "Step 1 of 3" 15
keys numb n
wait_for numb "Session stopped" 3
keys numb x
wait_for numb "How is your back now" 5
keys numb Enter
check_restored numb 0
wait_for numb "Session stopped:" 5

# 2b. That stop needs a physiotherapist before the next session (docs/safety.md): the coach
# refuses to start one, says why in the day's words and what to do, until a clearance covers it.
start blocked --speed 20
wait_for blocked "your session today stopped for a warning sign" 10
wait_for blocked "nerve is irritated" 5
check_restored blocked 5
"$rollcoach" --kb "$kb" --db "$work/journal.db" clearance add --by "Sam, physiotherapist" --on "$(date -u +%F)" \
  --covers stop_numbness_one_leg >/dev/null || fail "the clearance for the numbness stop was refused" blocked

# 3. Back-off advice stays on screen while the cues go on, until the user says it is done ('a').
# At 2x the thoracic rolling lasts 30 s (room for a loaded machine) and its tempo cues come every
# 1.5 s: a cue shown the ordinary way would be gone within 4 s.
start backoff --speed 2
wait_for backoff "how is your back right now" 15
keys backoff Enter
wait_for backoff "^ Rolling" 25
keys backoff p
wait_for backoff "Pain right now" 3
keys backoff 8
wait_for backoff "BACK OFF" 3
sleep 6
capture backoff | grep -q "BACK OFF: That is more pressure" || fail "the back-off advice left the screen within 6 s" backoff
capture backoff | grep -q "a eased off" || fail "no key to clear the back-off advice" backoff
keys backoff a
for ((i = 0; i < 30; i++)); do capture backoff | grep -q "BACK OFF" || break; sleep 0.1; done
if capture backoff | grep -q "BACK OFF"; then fail "'a' did not clear the back-off advice" backoff; fi
keys backoff q
wait_for backoff "Quit the session?" 3
keys backoff y
wait_for backoff "Session ended early" 5
keys backoff x
wait_for backoff "How is your back now" 5
keys backoff Enter
check_restored backoff 0

# 4. A session finished while another program holds the journal's lock is not lost: the coach
# says it was not saved and why, and offers to try again; once the lock is let go, it is kept.
sessions() { "$rollcoach" --kb "$kb" --db "$work/journal.db" history --json | python3 -c 'import json,sys; print(sum(e["kind"] == "session" for e in json.load(sys.stdin)))'; }
before=$(sessions)
tmux -S "$sock" new-session -d -s locked -x 80 -y 24 \
  "env NO_COLOR=1 TERM=xterm-256color ROLLCOACH_JOURNAL_WAIT=1 '$rollcoach' --kb '$kb' --db '$work/journal.db' session --no-voice --speed 20; echo \"EXIT=\$?\" > '$work/locked.exit'; stty -a > '$work/locked.stty'; sleep 60"
wait_for locked "how is your back right now" 15
keys locked Enter
wait_for locked "Step 1 of 3" 15
keys locked q
wait_for locked "Quit the session?" 3
keys locked y
wait_for locked "Session ended early" 5
keys locked x
wait_for locked "How is your back now" 5
python3 -c '
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(60)' "$work/journal.db" > "$work/lock.out" &
locker=$!
for ((i = 0; i < 100; i++)); do grep -q locked "$work/lock.out" && break; sleep 0.05; done
keys locked Enter
wait_for locked "try saving it again" 10
capture locked | grep -q "the session was not saved" || fail "no word that the session was not saved" locked
kill "$locker"; wait "$locker" 2>/dev/null || true
keys locked Enter
check_restored locked 0
[[ "$(sessions)" == "$((before + 1))" ]] || { echo "FAIL: the session kept after the lock was let go is not in the journal (once)"; exit 1; }

# 5. Ctrl-C restores the terminal and exits with 130.
start interrupt --speed 1
wait_for interrupt "how is your back right now" 15
keys interrupt Enter
wait_for interrupt "Step 1 of 3" 15
keys interrupt C-c
check_restored interrupt 130
echo "PASS: terminal coach asked the pain before and after, held a spot pressed during set-up, ran a whole session, stopped on numbness, kept back-off advice until cleared, kept a session a locked journal first refused, and restored the terminal on Ctrl-C"
