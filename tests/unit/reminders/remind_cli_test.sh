#!/usr/bin/env bash
# rollcoach remind --ics: writes a calendar a parser accepts, says what it wrote, never
# overwrites a file without --force, and refuses a bad time with exit status 2 or 1 and a fix.
set -euo pipefail
rollcoach=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

out=$(NO_COLOR=1 "$rollcoach" remind --ics --time 21:30 --days mon,wed,fri --out r.ics)
grep -q "21:30" <<<"$out" || { echo "no time in: $out"; exit 1; }
grep -q "RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR" r.ics || { echo "no weekly rule"; cat r.ics; exit 1; }
grep -q "BEGIN:VALARM" r.ics || { echo "no alarm"; exit 1; }
# Ten minutes by default, as the web app's calendar file (web/src/lib/ics.ts) makes it.
grep -q "DURATION:PT10M" r.ics || { echo "not a 10-minute event by default"; cat r.ics; exit 1; }
[[ $(head -n 1 r.ics) == $'BEGIN:VCALENDAR\r' ]] || { echo "not CRLF"; exit 1; }

before=$(sha256sum r.ics)
if "$rollcoach" remind --ics --time 07:00 --out r.ics 2>err.txt; then echo "overwrote without --force"; exit 1; fi
grep -q -- "--force" err.txt || { echo "no fix in: $(cat err.txt)"; exit 1; }
[[ $(sha256sum r.ics) == "$before" ]] || { echo "the file changed"; exit 1; }

if "$rollcoach" remind --ics --time 25:99 --out x.ics 2>err.txt; then echo "accepted 25:99"; exit 1; fi
grep -q "HH:MM" err.txt || { echo "no fix in: $(cat err.txt)"; exit 1; }
[[ ! -e x.ics && ! -e x.ics.part ]] || { echo "left a file behind"; exit 1; }

"$rollcoach" remind --ics --out - | grep -q "RRULE:FREQ=DAILY" || { echo "stdout form failed"; exit 1; }
echo "remind CLI ok"
