#!/usr/bin/env bash
# A local trial of clinic mode in one command (docs/clinic.md): a private PostgreSQL server in a
# folder (unix socket only, nothing else on the machine changes), a therapist, an invited patient,
# and `rollcoach serve --clinic` on http://127.0.0.1:8080/.
#
#   scripts/clinic-trial.sh [FOLDER] [--setup-only]      (FOLDER defaults to ./clinic-trial)
#
# Run it again to serve the same clinic (it keeps the folder). Stop the server with Ctrl-C; stop
# PostgreSQL with: pg_ctl -D FOLDER/data stop (as the postgres user under root), or delete FOLDER.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
rollcoach=${ROLLCOACH:-$here/build/ci/apps/rollcoach/rollcoach}
dir=${1:-./clinic-trial}
setup_only=${2:-}
port=${PORT:-8080}
[ -x "$rollcoach" ] || { echo "Build rollcoach first (make), or set ROLLCOACH=/path/to/rollcoach" >&2; exit 1; }
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] && [ -x "$bin/initdb" ] || { echo "Install PostgreSQL first: sudo apt-get install postgresql" >&2; exit 1; }

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
as=()
if [ "$(id -u)" = 0 ]; then
  user=postgres
  id "$user" >/dev/null 2>&1 || user=nobody
  chown "$user" "$dir"
  as=(runuser -u "$user" --)
fi
db="postgresql:///clinic?host=$dir&user=rollcoach"

if [ ! -d "$dir/data" ]; then
  "${as[@]}" "$bin/initdb" -D "$dir/data" -U rollcoach --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  printf "listen_addresses = ''\nunix_socket_directories = '%s'\n" "$dir" >> "$dir/data/postgresql.conf"
fi
if ! "${as[@]}" "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
  "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start >/dev/null
fi
if ! psql -X -At -h "$dir" -U rollcoach -d postgres -c "SELECT 1 FROM pg_database WHERE datname = 'clinic'" | grep -q 1; then
  psql -X -q -h "$dir" -U rollcoach -d postgres -c "CREATE DATABASE clinic"
  echo "trial-therapist-password" | "$rollcoach" --db "$db" clinic add-therapist --email therapist@example.org --name "Trial Therapist"
  "$rollcoach" --db "$db" clinic invite-patient --therapist therapist@example.org --name "Trial Patient" \
    --email patient@example.org --base-url "http://127.0.0.1:$port" | tee "$dir/invite.txt"
  echo "Therapist login: therapist@example.org / trial-therapist-password"
fi
[ "$setup_only" = "--setup-only" ] && exit 0
exec "$rollcoach" --db "$db" serve --clinic --port "$port" --spool-dir "$dir/spool"
