#!/usr/bin/env bash
# No finished session is lost when the server process dies while PostgreSQL is down (issue 16),
# the hard way: a real PostgreSQL (the trial script's private one), `rollcoach serve --clinic` as a
# child process, a patient's live session over /ws/session finished while PostgreSQL is stopped
# (the page is told "pending", the record is in the spool directory), the server SIGKILLed, then
# PostgreSQL and the server started again: the record is in the patient's journal exactly once,
# the spool is empty, and a second kill and restart changes nothing.
# Usage: spool_restart_test.sh rollcoach source_dir
set -euo pipefail
rollcoach=$1
source_dir=$2
client="python3 $source_dir/tests/unit/clinic/spool_client.py"
fail() { echo "FAIL: $*" >&2; [ -f "${log:-/dev/null}" ] && cat "$log" >&2; exit 1; }

work=$(mktemp -d)
chmod 755 "$work"   # the postgres user must reach the trial folder inside it
dir=$work/trial
spool=$work/spool
server_pid=
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as=(); [ "$(id -u)" = 0 ] && as=(runuser -u postgres --)
cleanup() {
  [ -n "$server_pid" ] && kill -9 "$server_pid" 2>/dev/null || true
  "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

ROLLCOACH="$rollcoach" PORT=8080 bash "$source_dir/scripts/clinic-trial.sh" "$dir" --setup-only > "$work/setup.txt"
token=$(grep -o '#/invite/[0-9a-f]*' "$work/setup.txt" | cut -d/ -f3)
[ ${#token} = 64 ] || fail "no invitation link in: $(cat "$work/setup.txt")"
db="postgresql:///clinic?host=$dir&user=rollcoach"

start_server() {
  log=$work/serve-$1.log
  "$rollcoach" --db "$db" serve --clinic --port 0 --no-voice --speed 50 --spool-dir "$spool" > "$log" 2>&1 &
  server_pid=$!
  for _ in $(seq 100); do grep -q "ready" "$log" && break; sleep 0.2; done
  port=$(grep -o '127.0.0.1:[0-9]*' "$log" | head -1 | cut -d: -f2)
  [ -n "$port" ] || fail "the server did not start"
  base="http://127.0.0.1:$port"
}
kill_server() { kill -9 "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=; }
spooled() { find "$spool" -maxdepth 1 -name '*.json' | wc -l; }
sessions_in_journal() {
  psql -X -At -h "$dir" -U rollcoach -d clinic -c \
    "SELECT table_schema FROM information_schema.tables WHERE table_name = 'sessions' AND table_schema LIKE 'patient_%'" > "$work/schemas"
  [ "$(wc -l < "$work/schemas")" = 1 ] || fail "expected one patient journal, found: $(cat "$work/schemas")"
  psql -X -At -h "$dir" -U rollcoach -d clinic -c "SELECT count(*) FROM $(cat "$work/schemas").sessions"
}

start_server 1
$client login "$base" "$token" > "$work/login.json" || fail "the patient could not log in and screen"
cookie=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["cookie"])' "$work/login.json")

# A live session; PostgreSQL goes away under it; it goes on and is finished: "pending", and the
# record is on disk.
$client finish "$base" "$cookie" "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop > "$work/finish.json" || fail "the live session failed"
python3 -c 'import json,sys; m = json.load(open(sys.argv[1])); assert m["type"] == "pending" and m["kept"] == "disk", m' "$work/finish.json" ||
  fail "finish with PostgreSQL down: $(cat "$work/finish.json")"
[ "$(spooled)" = 1 ] || fail "the spool holds $(spooled) records after 'pending', not 1"

# The server dies before PostgreSQL is back: nothing in memory survives it.
kill_server
"${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start >/dev/null
[ "$(sessions_in_journal)" = 0 ] || fail "a session reached the journal before the restart"

restarted=$(date +%s%N)
start_server 2
for _ in $(seq 100); do [ "$(spooled)" = 0 ] && break; sleep 0.1; done
echo "restart -> spool empty: $(( ($(date +%s%N) - restarted) / 1000000 )) ms (polled every 100 ms)"
[ "$(spooled)" = 0 ] || fail "the restarted server did not write the spooled record"
[ "$(sessions_in_journal)" = 1 ] || fail "the journal has $(sessions_in_journal) sessions, not 1"
[ "$($client history "$base" "$cookie")" = 1 ] || fail "the patient's history does not show the session once"
grep -q "wrote 1 session" "$log" || fail "the restarted server did not say it wrote the spooled record"

# Killed and started again: the spool is empty and the record is not written twice.
kill_server
start_server 3
sleep 4   # longer than one replay interval (3 s)
[ "$(sessions_in_journal)" = 1 ] || fail "a restart stored the session again"
[ -z "$(ls -A "$spool/corrupt" 2>/dev/null)" ] || fail "a record was moved aside: $(ls "$spool/corrupt")"
kill_server
echo "spool restart: ok (pending on disk, SIGKILL, restart: stored once)"
