#!/usr/bin/env bash
# End to end through the rollcoach binary on PostgreSQL: a private server (initdb into a temporary
# folder, unix socket only, as the postgres user under root), then log, history, stats, export,
# import, backup with --db postgresql://... and ROLLCOACH_DB, the server stopped (a clear error,
# exit 4, nothing saved) and started again (it works again). Usage: cli_postgres_test.sh rollcoach
set -euo pipefail
rollcoach=$1
fail() { echo "FAIL: $*" >&2; exit 1; }

bin=${ROLLCOACH_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
[ -n "$bin" ] && [ -x "$bin/initdb" ] ||
  fail "no PostgreSQL server found under /usr/lib/postgresql/*/bin: apt-get install postgresql (scripts/install-deps.sh does)"

dir=$(mktemp -d)
as=()
if [ "$(id -u)" = 0 ]; then
  user=postgres
  id "$user" >/dev/null 2>&1 || user=nobody
  chown "$user" "$dir"
  as=(runuser -u "$user" --)
fi
pg_ctl() { "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 "$@" >/dev/null; }
cleanup() { pg_ctl -m immediate stop 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT

"${as[@]}" "$bin/initdb" -D "$dir/data" -U rollcoach --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
cat >> "$dir/data/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$dir'
fsync = off
EOF
pg_ctl start
psql_admin() { psql -X -q -h "$dir" -U rollcoach -d postgres -c "$1" >/dev/null; }
psql_admin "CREATE DATABASE journal"
db="postgresql:///journal?host=$dir&user=rollcoach"

# Reading an empty database creates nothing.
"$rollcoach" --db "$db" history | grep -q "Nothing logged yet" || fail "history on an empty database"
[ "$(psql -X -At -h "$dir" -U rollcoach -d journal -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" = 0 ] ||
  fail "history created tables"

"$rollcoach" --db "$db" log --pain 6 --when before >/dev/null
ROLLCOACH_DB="$db" "$rollcoach" log --pain 4 --note "after a walk" >/dev/null
"$rollcoach" --db "$db" log --note "stiff, long drive" >/dev/null
"$rollcoach" --db "$db" log --pain 11 2>/dev/null && fail "accepted pain 11"

ROLLCOACH_DB="$db" "$rollcoach" history --json | python3 -c '
import json, sys
entries = json.load(sys.stdin)
assert [e["kind"] for e in entries] == ["note", "pain", "pain"], entries
assert entries[1]["detail"]["note"] == "after a walk"'
"$rollcoach" --db "$db" stats --json | python3 -c '
import json, sys
s = json.load(sys.stdin)
assert s["pain"]["last_7_days_average"] == 5.0, s["pain"]'

# Export from PostgreSQL, restore into SQLite and back into another PostgreSQL database: the same document.
"$rollcoach" --db "$db" export --format json --out "$dir/export.json" 2>/dev/null
"$rollcoach" --db "$dir/restored.db" import "$dir/export.json" >/dev/null
psql_admin "CREATE DATABASE restored"
"$rollcoach" --db "postgresql:///restored?host=$dir&user=rollcoach" import "$dir/export.json" >/dev/null
"$rollcoach" --db "postgresql:///restored?host=$dir&user=rollcoach" export --format json > "$dir/again.json"
python3 - "$dir/export.json" "$dir/again.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
assert a == b, (a, b)
PY

# Backup of a PostgreSQL journal: an SQLite journal file with every record.
"$rollcoach" --db "$db" backup "$dir/copy.db" >/dev/null
"$rollcoach" --db "$dir/copy.db" history --json | python3 -c 'import json,sys; assert len(json.load(sys.stdin)) == 3'

# The server goes away: a clear message, exit 4 (storage), nothing saved; back: it works again.
pg_ctl -m fast stop
set +e
"$rollcoach" --db "$db" log --pain 2 2> "$dir/err.txt"
code=$?
set -e
[ "$code" = 4 ] || fail "exit code $code with the server down: $(cat "$dir/err.txt")"
grep -q "cannot be reached" "$dir/err.txt" || fail "message with the server down: $(cat "$dir/err.txt")"
pg_ctl start
"$rollcoach" --db "$db" log --pain 2 >/dev/null
"$rollcoach" --db "$db" history --json | python3 -c 'import json,sys; assert len(json.load(sys.stdin)) == 4'

# A database holding someone else's tables is refused and left alone.
psql_admin "CREATE DATABASE other"
psql -X -q -h "$dir" -U rollcoach -d other -c "CREATE TABLE invoices (id integer)"
set +e
"$rollcoach" --db "postgresql:///other?host=$dir&user=rollcoach" log --pain 3 2> "$dir/err.txt"
code=$?
set -e
[ "$code" = 4 ] || fail "exit code $code for a foreign database"
grep -q "not a rollcoach journal" "$dir/err.txt" || fail "message for a foreign database: $(cat "$dir/err.txt")"

echo "journal CLI on PostgreSQL: all checks passed"
