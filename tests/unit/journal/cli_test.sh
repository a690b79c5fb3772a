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
# The read-only commands open the journal read-only: a read-only file can still be read.
cp "$db" "$dir/readonly.db"
chmod 444 "$dir/readonly.db"
"$rollcoach" --db "$dir/readonly.db" history >/dev/null || fail "history of a read-only journal"
"$rollcoach" --db "$dir/readonly.db" stats >/dev/null || fail "stats of a read-only journal"
"$rollcoach" --db "$dir/readonly.db" export --format json >/dev/null || fail "export of a read-only journal"

# A number too large to read is an invalid data file (exit 3) with a clear message.
echo '{"format": "rollcoach-journal", "format_version": 1e400}' > "$dir/huge.json"
set +e
"$rollcoach" --db "$dir/huge.db" import "$dir/huge.json" 2> "$dir/err.txt"
code=$?
set -e
[ "$code" = 3 ] || fail "exit code $code for an import with 1e400"
grep -q "too large" "$dir/err.txt" || fail "message for an import with 1e400: $(cat "$dir/err.txt")"
grep -q "unexpected" "$dir/err.txt" && fail "an import with 1e400 was an unexpected error"

echo "journal CLI: all checks passed"
