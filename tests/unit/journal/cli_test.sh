#!/usr/bin/env bash
# End to end through the rollcoach binary: log, history, stats, export (json, csv, fhir), import
# (exact and refused), backup, clearance. Usage: cli_test.sh path/to/rollcoach
set -euo pipefail
rollcoach=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
db="$dir/journal.db"
fail() { echo "FAIL: $*" >&2; exit 1; }

# Reading a journal that does not exist creates nothing.
"$rollcoach" --db "$db" history | grep -q "Nothing logged yet" || fail "history on a missing journal"
[ ! -e "$db" ] || fail "history created a journal"

"$rollcoach" --db "$db" log --pain 6 --when before >/dev/null
"$rollcoach" --db "$db" log --pain 4 --note "after a walk" >/dev/null
"$rollcoach" --db "$db" log --note "stiff, long drive" >/dev/null
"$rollcoach" --db "$db" log --pain 11 2>/dev/null && fail "accepted pain 11"
"$rollcoach" --db "$db" log 2>/dev/null && fail "accepted an empty log"

"$rollcoach" --db "$db" history --json > "$dir/history.json"
python3 - "$dir/history.json" <<'PY'
import json, sys
entries = json.load(open(sys.argv[1]))
assert [e["kind"] for e in entries] == ["note", "pain", "pain"], entries
assert entries[1]["detail"]["note"] == "after a walk"
assert entries[2]["detail"]["moment"] == "before"
PY
"$rollcoach" --db "$db" history --limit 1 --json | python3 -c 'import json,sys; assert len(json.load(sys.stdin)) == 1'

"$rollcoach" --db "$db" stats --json | python3 -c '
import json, sys
s = json.load(sys.stdin)
assert s["total_sessions"] == 0 and s["weekly"]["goal"] == 5
assert s["pain"]["last_7_days_average"] == 5.0, s["pain"]
assert s["pain"]["since_first_week"]["size"] == "not_enough_data"
assert s["blocked_by_warning"] is None'
"$rollcoach" --db "$db" stats | grep -q "Streak" || fail "stats text"

"$rollcoach" --db "$db" export --format json --out "$dir/export.json" 2>/dev/null
"$rollcoach" --db "$db" export --format json --out "$dir/export.json" 2>/dev/null && fail "export overwrote a file"
"$rollcoach" --db "$dir/restored.db" import "$dir/export.json" >/dev/null
"$rollcoach" --db "$dir/restored.db" export --format json > "$dir/again.json"
cmp -s "$dir/export.json" "$dir/again.json" || fail "import did not restore the export exactly"
"$rollcoach" --db "$dir/restored.db" import "$dir/export.json" 2>/dev/null && fail "imported into a non-empty journal without --merge"
"$rollcoach" --db "$dir/restored.db" import --merge --json "$dir/export.json" | python3 -c '
import json, sys; s = json.load(sys.stdin); assert s == {"added": 0, "skipped": 3}, s'

"$rollcoach" --db "$db" export --format csv --out "$dir/csv" 2>/dev/null
head -1 "$dir/csv/pain_ratings.csv" | grep -q "id,recorded_at,value,moment,session_id,note" || fail "csv header"
"$rollcoach" --db "$db" export --format fhir | python3 -c '
import json, sys
b = json.load(sys.stdin)
assert b["resourceType"] == "Bundle" and b["type"] == "collection"
assert b["entry"][0]["resource"]["resourceType"] == "Patient"
codes = {e["resource"]["code"]["coding"][0]["code"] for e in b["entry"][1:] if "coding" in e["resource"]["code"]}
assert codes == {"72514-3"}, codes
assert sum(e["resource"].get("valueString") == "stiff, long drive" for e in b["entry"]) == 1'

"$rollcoach" --db "$db" backup "$dir/copy.db" >/dev/null
"$rollcoach" --db "$db" backup "$dir/copy.db" 2>/dev/null && fail "backup overwrote a file"
"$rollcoach" --db "$dir/copy.db" history --json | python3 -c 'import json,sys; assert len(json.load(sys.stdin)) == 3'

# A file that is not a journal is refused with exit code 4 and left alone.
echo "not a database, just text" > "$dir/text.db"
set +e
"$rollcoach" --db "$dir/text.db" log --pain 3 2> "$dir/err.txt"
code=$?
set -e
[ "$code" = 4 ] || fail "exit code $code for a damaged journal"
grep -q "damaged or is not a rollcoach journal" "$dir/err.txt" || fail "message for a damaged journal"
[ "$(cat "$dir/text.db")" = "not a database, just text" ] || fail "changed a file that is not a journal"

# A bare "cleared" is refused: a clearance says who, when, for which flags (rollcoach clearance add).
if "$rollcoach" --db "$db" log --cleared --note "GP checked" 2> "$dir/err.txt"; then fail "bare clearance accepted"; fi
grep -q "clearance add" "$dir/err.txt" || fail "bare clearance message"
# The read-only commands open the journal read-only: a read-only file can still be read. Root may
# write any file whatever its mode, so as root they run as the user nobody, in a folder nobody
# owns (it may hold SQLite's -shm index) with the journal file root's and read-only: a command that
# opened the journal for writing fails here as it would for anyone else.
as_reader() {
  if [ "$(id -u)" = 0 ]; then setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"; else "$@"; fi
}
chmod 755 "$dir"
mkdir "$dir/ro"
cp "$db" "$dir/ro/readonly.db"
chmod 444 "$dir/ro/readonly.db"
if [ "$(id -u)" = 0 ]; then chown nobody "$dir/ro"; fi
cp "$dir/ro/readonly.db" "$dir/readonly-before.db"
as_reader "$rollcoach" --db "$dir/ro/readonly.db" history >/dev/null || fail "history of a read-only journal"
as_reader "$rollcoach" --db "$dir/ro/readonly.db" stats >/dev/null || fail "stats of a read-only journal"
as_reader "$rollcoach" --db "$dir/ro/readonly.db" export --format json >/dev/null || fail "export of a read-only journal"
# The control: writing is refused with the read-only message, so the checks above can fail.
as_reader "$rollcoach" --db "$dir/ro/readonly.db" log --pain 2 2> "$dir/err.txt" && fail "wrote to a read-only journal"
grep -q "read-only" "$dir/err.txt" || fail "message for a read-only journal: $(cat "$dir/err.txt")"
cmp -s "$dir/ro/readonly.db" "$dir/readonly-before.db" || fail "a read-only journal was changed"

# A number too large to read is an invalid data file (exit 3) with a clear message.
echo '{"format": "rollcoach-journal", "format_version": 1e400}' > "$dir/huge.json"
set +e
"$rollcoach" --db "$dir/huge.db" import "$dir/huge.json" 2> "$dir/err.txt"
code=$?
set -e
[ "$code" = 3 ] || fail "exit code $code for an import with 1e400"
grep -q "too large" "$dir/err.txt" || fail "message for an import with 1e400: $(cat "$dir/err.txt")"
grep -q "unexpected" "$dir/err.txt" && fail "an import with 1e400 was an unexpected error"

# The check-in, typed in: "Nothing: I feel fine" (choice 1) is the last question: nothing about
# where or how much it hurts is asked, and the answer lets the user roll (exit status 0).
printf 'no\n1\n' | "$rollcoach" --db "$dir/checkin.db" checkin > "$dir/checkin.txt" 2>&1 || fail "check-in feeling fine: $(cat "$dir/checkin.txt")"
grep -q "What does it feel like" "$dir/checkin.txt" || fail "the check-in did not ask the feeling: $(cat "$dir/checkin.txt")"
if grep -Eq "\[3/|Where do you feel it|How strong|swollen|Compared with yesterday" "$dir/checkin.txt"; then
  fail "a check-in feeling fine asked about soreness: $(cat "$dir/checkin.txt")"
fi
# The counter never promises questions an answer may leave out: until the feeling is given it
# says "up to", and a count it states as sure ("[2/2]") is the number of questions put.
python3 - "$dir/checkin.txt" <<'PY' || fail "the check-in counter promised more questions than it asked: $(cat "$dir/checkin.txt")"
import re, sys
counters = re.findall(r"^\[(\d+)(?:/(\d+)| of up to (\d+))\]", open(sys.argv[1]).read(), re.M)
asked = len(counters)
assert asked == 2, counters
for index, sure, up_to in counters:
    assert not sure or int(sure) == asked, (index, sure)
    assert not up_to or int(up_to) >= asked, (index, up_to)
PY
# Any other feeling goes on to where it is felt, and from there the count is sure.
printf 'no\n2\n' | "$rollcoach" --db "$dir/checkin.db" checkin --no-save > "$dir/checkin.txt" 2>&1 || true
grep -q "Where do you feel it most" "$dir/checkin.txt" || fail "a dull ache was not asked where: $(cat "$dir/checkin.txt")"
grep -q "^\[3/6\] Where do you feel it most" "$dir/checkin.txt" || fail "after a dull ache the counter is not sure of the questions left: $(cat "$dir/checkin.txt")"

# A journal another program holds locked (here: a write transaction left open in another
# connection). The command says so within a few seconds instead of waiting in silence, waits up
# to ROLLCOACH_JOURNAL_WAIT seconds, then gives up with what to do, having changed nothing.
lock_pid=
hold_lock() {   # hold_lock SECONDS [FILE]: returns once the lock is held; it is let go after SECONDS
  rm -f "$dir/lock.out"
  python3 -c '
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
connection.execute("ROLLBACK")' "${2:-$db}" "$1" > "$dir/lock.out" &
  lock_pid=$!
  for _ in $(seq 200); do grep -q locked "$dir/lock.out" 2>/dev/null && return 0; sleep 0.05; done
  fail "could not lock the journal for the test"
}
let_go() { kill "$lock_pid" 2>/dev/null || true; wait "$lock_pid" 2>/dev/null || true; }
waiting=
server=
trap 'for pid in $lock_pid $waiting $server; do kill "$pid" 2>/dev/null || true; done; rm -rf "$dir"' EXIT
records() { "$rollcoach" --db "$db" history --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
before=$(records)

# 1. Told promptly: within 5 s of a 60 s wait, stderr says the journal is busy and for how long.
hold_lock 60
ROLLCOACH_JOURNAL_WAIT=60 "$rollcoach" --db "$db" log --pain 5 2> "$dir/wait.txt" &
waiting=$!
for _ in $(seq 50); do grep -q "is busy" "$dir/wait.txt" && break; sleep 0.1; done
grep -q "is busy" "$dir/wait.txt" || fail "no word within 5 s of waiting for a locked journal: $(cat "$dir/wait.txt")"
grep -q "Waiting up to 60 s" "$dir/wait.txt" || fail "the wait does not say how long: $(cat "$dir/wait.txt")"
kill "$waiting"; wait "$waiting" 2>/dev/null || true
let_go

# 2. Gives up at the limit with a fix, exit status 4, nothing written.
hold_lock 60
started=$(date +%s)
set +e
ROLLCOACH_JOURNAL_WAIT=2 "$rollcoach" --db "$db" log --pain 5 2> "$dir/err.txt"
code=$?
set -e
took=$(( $(date +%s) - started ))
let_go
[ "$code" = 4 ] || fail "exit code $code after giving up on a locked journal: $(cat "$dir/err.txt")"
[ "$took" -lt 15 ] || fail "waited ${took} s for a 2 s limit"
grep -q "gave up after 2 s" "$dir/err.txt" || fail "no give-up message: $(cat "$dir/err.txt")"
grep -q "nothing was written" "$dir/err.txt" || fail "the give-up message does not say nothing was written: $(cat "$dir/err.txt")"
grep -q "then try again" "$dir/err.txt" || fail "no fix in the give-up message: $(cat "$dir/err.txt")"
[ "$(records)" = "$before" ] || fail "a command that gave up wrote to the journal"

# 3. A lock let go during the wait: the command says it waits, then does its work.
hold_lock 3
ROLLCOACH_JOURNAL_WAIT=30 "$rollcoach" --db "$db" log --pain 5 >/dev/null 2> "$dir/err.txt" || fail "log after the lock was let go: $(cat "$dir/err.txt")"
let_go
grep -q "is busy" "$dir/err.txt" || fail "waited 3 s in silence"
[ "$(records)" = "$((before + 1))" ] || fail "the rating logged after the wait is missing"

# 4. A scripted session the journal refuses when it is kept (locked past the wait here) fails
# with exit status 4, says what was not saved, and keeps the record in the spool, from which the
# next `rollcoach serve` writes it into the journal.
scenarios=$(cd "$(dirname "$0")/../../scenarios" && pwd)
"$rollcoach" --db "$db" screen --answers "$scenarios/triage/all_clear_adult/answers.json" >/dev/null 2>&1 || true
echo '[{"at_ms": 0, "type": "start"}, {"at_ms": 30000, "type": "quit"}]' > "$dir/script.json"
sessions() { "$rollcoach" --db "$db" history --json | python3 -c 'import json,sys; print(sum(e["kind"] == "session" for e in json.load(sys.stdin)))'; }
sessions_before=$(sessions)
hold_lock 60
set +e
ROLLCOACH_JOURNAL_WAIT=1 "$rollcoach" --db "$db" session --script "$dir/script.json" --save --started-at 2026-01-05T08:00:00Z \
  --no-voice > "$dir/out.txt" 2> "$dir/err.txt"
code=$?
set -e
let_go
[ "$code" = 4 ] || fail "exit status $code for a scripted session the journal refused: $(cat "$dir/err.txt")"
grep -q "session (2026-01-05T08:00:00.000Z to .*) was not saved in the journal $db" "$dir/err.txt" || fail "no word of what was not saved: $(cat "$dir/err.txt")"
grep -q "kept in $db.spool/.*\.json until the journal takes it" "$dir/err.txt" || fail "no word of where the session is kept: $(cat "$dir/err.txt")"
grep -q "again with --started-at 2026-01-05T08:00:00.000Z" "$dir/err.txt" || fail "no way to save it again: $(cat "$dir/err.txt")"
grep -q "Ended: quit" "$dir/out.txt" || fail "the cue timeline was not printed: $(cat "$dir/out.txt")"
[ "$(ls "$db.spool"/*.json | wc -l)" = 1 ] || fail "the refused session is not in the spool: $(ls -la "$db.spool" 2>&1)"
[ "$(sessions)" = "$sessions_before" ] || fail "a refused session was written"

# 5. `rollcoach serve` keeps the same rule: it writes the spooled session in when it starts, and
# while it runs a write another program holds up is announced on its stderr and given up on.
ROLLCOACH_JOURNAL_WAIT=3 "$rollcoach" --db "$db" serve --port 0 --no-voice --web "$dir" > "$dir/serve.out" 2> "$dir/serve.err" &
server=$!
for _ in $(seq 200); do grep -q "wrote 1 session" "$dir/serve.err" && break; sleep 0.1; done
grep -q "wrote 1 session" "$dir/serve.err" || fail "serve did not write the spooled session: $(cat "$dir/serve.err")"
[ "$(sessions)" = "$((sessions_before + 1))" ] || fail "the spooled session is not in the journal (once)"
[ -z "$(ls "$db.spool"/*.json 2>/dev/null)" ] || fail "the written session is still in the spool"
url=$(grep -o 'http://[^ ]*' "$dir/serve.out" | head -1)
hold_lock 60
status=$(curl -s --max-time 30 -o "$dir/answer.json" -w '%{http_code}' -X POST -H 'Content-Type: application/json' --data '{}' "${url}api/profile")
let_go
grep -q "is busy.*Waiting up to 3 s" "$dir/serve.err" || fail "serve waited on a locked journal in silence: $(cat "$dir/serve.err")"
grep -q "gave up after 3 s" "$dir/serve.err" || fail "serve did not say it gave up: $(cat "$dir/serve.err")"
[ "$status" != 200 ] || fail "a profile was saved into a locked journal"
kill "$server"; wait "$server" 2>/dev/null || true
server=
# Run again as the message says, the session the spool already wrote is not stored twice.
"$rollcoach" --db "$db" session --script "$dir/script.json" --save --started-at 2026-01-05T08:00:00.000Z --no-voice >/dev/null \
  || fail "the script run again after the journal was free"
[ "$(sessions)" = "$((sessions_before + 1))" ] || fail "the session run again was stored twice"

# At start-up: a new journal another program holds (an import into it, say) is waited for as
# long as asked (SQLite refuses the switch to WAL at once, without its busy handler) and
# announced, then given up on with the fix and exit status 4; the server never says it is ready.
hold_lock 60 "$dir/new.db"
started=$(date +%s)
set +e
ROLLCOACH_JOURNAL_WAIT=4 timeout 60 "$rollcoach" --db "$dir/new.db" serve --port 0 --no-voice --web "$dir" > "$dir/serve.out" 2> "$dir/serve.err"
code=$?
set -e
took=$(( $(date +%s) - started ))
let_go
[ "$code" = 4 ] || fail "serve's exit status $code after giving up on a locked journal: $(cat "$dir/serve.err")"
[ "$took" -ge 3 ] && [ "$took" -lt 15 ] || fail "serve waited ${took} s for a 4 s limit"
grep -q "is busy.*Waiting up to 4 s" "$dir/serve.err" || fail "serve did not say the journal is busy: $(cat "$dir/serve.err")"
grep -q "gave up after 4 s.*then try again" "$dir/serve.err" || fail "serve gave up without the fix: $(cat "$dir/serve.err")"
if grep -q "is ready" "$dir/serve.out"; then fail "serve said it is ready without its journal"; fi

# Clearances in the terminal: the flag's tier in words and how to clear it; once cleared, the days
# as a sentence says them, not ISO dates (the rule id stays: it is what --covers takes).
cdb="$dir/clearance.db"
"$rollcoach" --db "$cdb" screen --answers "$scenarios/triage/rule_cancer_history/answers.json" >/dev/null 2>&1 || true
"$rollcoach" --db "$cdb" clearance list > "$dir/list.txt"
grep -q "No clinician's clearance on record" "$dir/list.txt" || fail "clearance list before any: $(cat "$dir/list.txt")"
grep -q "cancer_history \[get checked before rolling\]" "$dir/list.txt" || fail "the flag's tier in words: $(cat "$dir/list.txt")"
grep -q "not covered; once a clinician has seen you: rollcoach clearance add --by WHO --on YYYY-MM-DD --covers cancer_history" "$dir/list.txt" \
  || fail "how to clear the flag: $(cat "$dir/list.txt")"
"$rollcoach" --db "$cdb" clearance add --by "Dr Patel, GP" --on "$(date -u +%F)" --covers cancer_history --limit soft_roller \
  --note "gentle only" > "$dir/add.txt"
grep -q "Dr Patel, GP cleared you today for cancer_history; in force until" "$dir/add.txt" || fail "clearance add: $(cat "$dir/add.txt")"
if "$rollcoach" --db "$cdb" clearance add --by "Dr Lee" --on 2025-01-06 --covers cancer_history 2> "$dir/err.txt"; then
  fail "a clearance that ran out was recorded"; fi
grep -q "a clearance from 6 Jan 2025 ran out on 6 Apr 2025" "$dir/err.txt" || fail "the run-out refusal: $(cat "$dir/err.txt")"
"$rollcoach" --db "$cdb" clearance list > "$dir/list.txt"
grep -q "#1 Dr Patel, GP cleared you today for cancer_history; in force until" "$dir/list.txt" || fail "clearance in force: $(cat "$dir/list.txt")"
grep -q "soft roller only" "$dir/list.txt" && grep -q "note: gentle only" "$dir/list.txt" || fail "limits and note: $(cat "$dir/list.txt")"
grep -q "covered by clearance #1" "$dir/list.txt" || fail "flag covered: $(cat "$dir/list.txt")"
if grep -Eq "[0-9]{4}-[0-9]{2}-[0-9]{2}" "$dir/list.txt"; then fail "an ISO date in clearance list: $(cat "$dir/list.txt")"; fi
# Bytes that are not UTF-8 are refused with the coach's message (and exit 3), not an internal error.
set +e
"$rollcoach" --db "$cdb" clearance add --by X --on "$(date -u +%F)" --covers "$(printf 'stop_\xff\xfe')" 2> "$dir/err.txt"
code=$?
set -e
[ "$code" = 3 ] || fail "exit $code for a --covers that is not UTF-8: $(cat "$dir/err.txt")"
grep -q "is not a safety rule rollcoach knows" "$dir/err.txt" || fail "message for a --covers that is not UTF-8: $(cat "$dir/err.txt")"

echo "journal CLI: all checks passed"
