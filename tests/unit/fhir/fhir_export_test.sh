#!/usr/bin/env bash
# `rollcoach export --format fhir` of a varied journal made with the real commands (a screening
# with caution answers, completed, quit and numbness-stopped sessions, standalone pain ratings
# with notes, check-ins with and without a warning sign, a clearance, notes), and of an empty
# journal, validated resource by resource with @medplum/core and the `fhir` package.
# Usage: fhir_export_test.sh path/to/rollcoach SOURCE_DIR
set -euo pipefail
rollcoach=$1
src=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
rc() { "$rollcoach" --kb "$src/data/knowledge" --no-color "$@"; }
command -v node >/dev/null || fail "node is missing: scripts/install-deps.sh installs it"

db="$dir/journal.db"
rc --db "$db" screen --answers "$src/tests/scenarios/triage/blood_thinners_and_reduced_sensation_merge_changes/answers.json" >/dev/null || true
cat > "$dir/script.json" <<'JSON'
[{"at_ms": 0, "type": "pain", "rating": 6}, {"at_ms": 0, "type": "start"}, {"at_ms": 40000, "type": "tender_spot"},
 {"at_ms": 45000, "type": "pain", "rating": 5}, {"at_ms": 60000, "type": "quit"}, {"at_ms": 60000, "type": "pain", "rating": 3}]
JSON
echo '[{"at_ms": 0, "type": "start"}, {"at_ms": 30000, "type": "safety", "event": "numbness_one_leg"}]' > "$dir/numbness.json"
rc --db "$db" session --script "$dir/script.json" --save --started-at 2026-01-05T08:00:00Z --no-voice >/dev/null
rc --db "$db" session --script "$src/tests/scenarios/session/default_routine_completes/events.json" --save \
  --started-at 2026-01-06T08:00:00Z --no-voice >/dev/null
rc --db "$db" session --script "$dir/numbness.json" --save \
  --started-at 2026-01-07T08:00:00Z --no-voice >/dev/null
rc --db "$db" log --pain 4 --note 'after "gardening", sore – día' >/dev/null
rc --db "$db" log --pain 0 --when before >/dev/null
rc --db "$db" log --note $'stiff\nlong drive' >/dev/null
rc --db "$db" checkin --answers "$src/tests/scenarios/triage/checkin_feeling_fine/answers.json" >/dev/null || true
rc --db "$db" checkin --answers "$src/tests/scenarios/triage/checkin_nerve_symptoms_in_the_neck/answers.json" >/dev/null || true
rc --db "$db" clearance add --by "Dr Lee, GP" --on "$(date -u +%F)" --covers checkin_nerve_symptoms >/dev/null

rc --db "$db" export --format fhir --out "$dir/bundle.json"
# An empty journal: the real one's export with every record taken out, imported.
rc --db "$db" export --format json | python3 -c '
import json, sys
d = json.load(sys.stdin)
d.update(profile=None, screenings=[], sessions=[], pain_ratings=[], checkins=[], notes=[], clearances=[])
json.dump(d, open(sys.argv[1], "w"))' "$dir/empty-export.json"
rc --db "$dir/empty.db" import "$dir/empty-export.json" >/dev/null
rc --db "$dir/empty.db" export --format fhir --out "$dir/empty.json"
python3 - "$dir/bundle.json" <<'PY'
import json, sys, collections
b = json.load(open(sys.argv[1]))
kinds = collections.Counter(e["resource"]["resourceType"] for e in b["entry"])
assert kinds["Patient"] == 1, kinds
assert kinds["Procedure"] == 3, kinds
assert kinds["QuestionnaireResponse"] == 3, kinds          # one screening, two check-ins
pain = [e["resource"] for e in b["entry"] if e["resource"].get("code", {}).get("coding", [{}])[0].get("code") == "72514-3"]
assert len(pain) >= 5 and all(isinstance(p["valueInteger"], int) and 0 <= p["valueInteger"] <= 10 for p in pain), pain
assert any(p.get("partOf") for p in pain) and any(not p.get("partOf") for p in pain)
procedures = [e["resource"] for e in b["entry"] if e["resource"]["resourceType"] == "Procedure"]
assert {p["status"] for p in procedures} == {"completed", "stopped"}, [p["status"] for p in procedures]
assert all(p.get("bodySite") for p in procedures if p["status"] == "completed")
PY
node "$src/tests/unit/fhir/validate_fhir.mjs" "$src/web" "$dir/bundle.json" "$dir/empty.json"
