#!/usr/bin/env bash
# `rollcoach report` end to end through the binary: an empty journal, then a journal made by the
# real commands (a screening, scripted sessions on three days, one stopped by numbness, a
# warning-sign check-in and its clearance). The PDF is read back with pdftotext (sections and
# numbers) and turned into PNG pages with pdftoppm (the pages exist and are not blank).
# Usage: report_cli_test.sh path/to/rollcoach SOURCE_DIR
set -euo pipefail
rollcoach=$1
src=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
rc() { "$rollcoach" --kb "$src/data/knowledge" --no-color "$@"; }
text_of() { pdftotext -enc UTF-8 "$1" - | tr -s ' \n\f' ' '; }
command -v pdftotext >/dev/null || fail "pdftotext is missing: scripts/install-deps.sh installs poppler-utils"

# A journal that does not exist yet: a valid PDF that says so, and nothing created.
rc --db "$dir/none.db" report --out "$dir/empty.pdf" 2>/dev/null || fail "report of an empty journal"
[ ! -e "$dir/none.db" ] || fail "report created a journal"
pdfinfo "$dir/empty.pdf" | grep -q "^Pages: *1" || fail "the empty report is not a one-page PDF"
text_of "$dir/empty.pdf" | grep -q "No sessions yet" || fail "the empty report does not say 'No sessions yet'"
rc --db "$dir/none.db" report --out "$dir/empty.pdf" 2>/dev/null && fail "report overwrote a file"

db="$dir/journal.db"
rc --db "$db" screen --answers "$src/tests/scenarios/triage/all_clear_adult/answers.json" >/dev/null || true
cat > "$dir/script.json" <<'JSON'
[{"at_ms": 0, "type": "pain", "rating": 6}, {"at_ms": 0, "type": "start"}, {"at_ms": 40000, "type": "tender_spot"},
 {"at_ms": 60000, "type": "quit"}, {"at_ms": 60000, "type": "pain", "rating": 3}]
JSON
echo '[{"at_ms": 0, "type": "start"}, {"at_ms": 30000, "type": "safety", "event": "numbness_one_leg"}]' > "$dir/numbness.json"
for day in 05 06 08; do
  rc --db "$db" session --script "$dir/script.json" --save --started-at "2026-01-${day}T08:00:00Z" --no-voice >/dev/null
done
rc --db "$db" session --script "$dir/numbness.json" --save \
  --started-at 2026-01-09T08:00:00Z --no-voice >/dev/null
rc --db "$db" checkin --answers "$src/tests/scenarios/triage/checkin_nerve_symptoms_in_the_neck/answers.json" >/dev/null || true
rc --db "$db" clearance add --by "Dr Okafor" --on "$(date -u +%F)" --covers checkin_nerve_symptoms >/dev/null

rc --db "$db" report --out "$dir/report.pdf" 2>"$dir/err.txt" || { cat "$dir/err.txt"; fail "report"; }
grep -q "Wrote .*report.pdf (4 sessions" "$dir/err.txt" || fail "report summary line: $(cat "$dir/err.txt")"
text=$(text_of "$dir/report.pdf")
for expected in "rollcoach report" "4 sessions" "Pain over time" "Sessions per week" "Minutes per zone" \
    "Next-day check-ins" "1 check-in, 1 with a warning sign" "Latest screening on" "proceed." "cleared by Dr Okafor on" \
    "Today's plan" "Warning signs and their sources" "1 of them stopped by a warning sign" "Sources:"; do
  grep -qF "$expected" <<<"$text" || fail "the report lacks '$expected': $text"
done

# Every page turns into a PNG that is not blank (more than one colour on it).
pdftoppm -r 40 -png "$dir/report.pdf" "$dir/page"
pages=$(ls "$dir"/page-*.png | wc -l)
[ "$pages" -ge 1 ] || fail "pdftoppm made no page"
python3 - "$dir"/page-*.png <<'PY'
import sys, zlib, struct
for name in sys.argv[1:]:
    data = open(name, 'rb').read()
    assert data[:8] == b'\x89PNG\r\n\x1a\n', name
    # The decompressed pixels of a blank page are one repeated value; a drawn page is not.
    idat, pos = b'', 8
    while pos < len(data):
        length, kind = struct.unpack('>I', data[pos:pos + 4])[0], data[pos + 4:pos + 8]
        if kind == b'IDAT':
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    pixels = zlib.decompress(idat)
    assert len(set(pixels)) > 8, f"{name} looks blank"
PY
echo "report_cli: ok ($pages pages)"
