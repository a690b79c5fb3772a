#!/usr/bin/env bash
# Clinic mode end to end through the real binary and a real HTTP server: the one-command trial's
# setup (scripts/clinic-trial.sh --setup-only: a private PostgreSQL, a therapist, an invitation),
# `serve --clinic` refused without a PostgreSQL address, then the patient accepts the invitation,
# screens and gets a plan over HTTP (curl, cookies, CSRF), the therapist sees them in the list,
# and PostgreSQL is stopped and started under the running server (it answers 503, then works).
# Usage: clinic_cli_test.sh rollcoach source_dir
set -euo pipefail
rollcoach=$1
source_dir=$2
fail() { echo "FAIL: $*" >&2; [ -f "${log:-/dev/null}" ] && cat "$log" >&2; exit 1; }

work=$(mktemp -d)
chmod 755 "$work"   # the postgres user must reach the trial folder inside it
dir=$work/trial
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  else "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# --clinic without PostgreSQL: refused, clearly, before anything starts.
set +e
"$rollcoach" --db "$work/journal.db" serve --clinic --port 0 > "$work/out.txt" 2>&1
code=$?
set -e
[ "$code" != 0 ] || fail "serve --clinic accepted an SQLite journal"
grep -q "needs the clinic's PostgreSQL database" "$work/out.txt" || fail "message: $(cat "$work/out.txt")"

ROLLCOACH="$rollcoach" PORT=8080 bash "$source_dir/scripts/clinic-trial.sh" "$dir" --setup-only > "$work/setup.txt"
grep -q "Added therapist Trial Therapist" "$work/setup.txt" || fail "setup: $(cat "$work/setup.txt")"
token=$(grep -o '#/invite/[0-9a-f]*' "$work/setup.txt" | cut -d/ -f3)
[ ${#token} = 64 ] || fail "no invitation link in: $(cat "$work/setup.txt")"
db="postgresql:///clinic?host=$dir&user=rollcoach"

# A second therapist with a short password: refused with the reason.
echo "short" | "$rollcoach" --db "$db" clinic add-therapist --email b@example.org --name B 2> "$work/err.txt" && fail "short password accepted"
grep -q "at least 10 characters" "$work/err.txt" || fail "short password message: $(cat "$work/err.txt")"

log=$work/serve.log
"$rollcoach" --db "$db" serve --clinic --port 0 --no-voice --spool-dir "$work/spool" > "$log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do grep -q "ready" "$log" && break; sleep 0.2; done
port=$(grep -o '127.0.0.1:[0-9]*' "$log" | head -1 | cut -d: -f2)
[ -n "$port" ] || fail "server did not start"
base="http://127.0.0.1:$port"
jar=$work/patient.jar
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

[ "$(curl -s -o /dev/null -w '%{http_code}' "$base/api/status")" = 401 ] || fail "status without login"
curl -s "$base/api/invite/$token" | json '["name"]' | grep -q "Trial Patient" || fail "invite preview"
csrf=$(curl -s -c "$jar" -H 'Content-Type: application/json' -d '{"password":"trial-patient-password"}' "$base/api/invite/$token" | json '["csrf"]')
[ ${#csrf} = 64 ] || fail "accepting the invitation gave no csrf"
grep -q "rc_session" "$jar" || fail "no session cookie"
grep -q "#HttpOnly_" "$jar" || fail "the session cookie is not HttpOnly"

answers=$(curl -s -b "$jar" "$base/api/screening" | python3 -c '
import json, sys
qs = json.load(sys.stdin)["questions"]
a = {}
for q in qs:
    a[q["id"]] = 40 if q["type"] == "number" else "no" if q["type"] == "yes_no" else q["choices"][0]["id"]
print(json.dumps({"answers": a}))')
[ "$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" -d "$answers" "$base/api/screening")" = 403 ] || fail "screening without CSRF"
[ "$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" -H "X-CSRF-Token: $csrf" -d "$answers" "$base/api/screening")" = 200 ] || fail "screening"
curl -s -b "$jar" "$base/api/plan" | json '["steps"][0]["exercise_id"]' > /dev/null || fail "plan"

tjar=$work/therapist.jar
curl -s -c "$tjar" -d '{"email":"therapist@example.org","password":"trial-therapist-password"}' "$base/api/login" | json '["role"]' | grep -q therapist ||
  fail "therapist login"
curl -s -b "$tjar" "$base/api/clinic/patients" | json '["patients"][0]["name"]' | grep -q "Trial Patient" || fail "patient list"

# PostgreSQL goes away under the running server: a clear 503, the server keeps running; back: it works.
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as=(); [ "$(id -u)" = 0 ] && as=(runuser -u postgres --)
"${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
code=$(curl -s -o "$work/down.json" -w '%{http_code}' -b "$jar" "$base/api/status")
[ "$code" = 503 ] || fail "with PostgreSQL down: $code $(cat "$work/down.json")"
"${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start >/dev/null
[ "$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" "$base/api/status")" = 200 ] || fail "after PostgreSQL came back"
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=
echo "clinic end to end: ok"
