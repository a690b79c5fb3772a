#!/bin/bash
# `rollcoach serve --host 0.0.0.0` prints an address a phone can open: this computer's network
# address with the token (it once printed "http://<this-computer's-address>:PORT/?token=..."),
# and that address answers with the token. On a machine with no network address, the
# placeholder is all it can say.
# Usage: serve_lan_url_test.sh <rollcoach>
set -euo pipefail
rollcoach="$1"
dir="$(mktemp -d)"
pid=""
cleanup() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi; rm -rf "$dir"; }
trap cleanup EXIT
fail() { echo "FAIL: $1"; echo "--- output ---"; cat "$dir/out" 2>/dev/null || true; exit 1; }

"$rollcoach" --db "$dir/journal.db" serve --host 0.0.0.0 --port 0 --no-voice --web "$dir" > "$dir/out" 2>&1 &
pid=$!
for _ in $(seq 1 200); do grep -q "is ready: open" "$dir/out" && break; sleep 0.1; done
url="$(grep -o 'is ready: open [^ ]*' "$dir/out" | head -1 | cut -d' ' -f4)"
[ -n "$url" ] || fail "no address printed"
host="$(echo "$url" | sed -E 's#^http://([^:/]+):.*#\1#')"
addresses="$(python3 -c '
import socket, fcntl, struct, array
# The IPv4 addresses of the interfaces that are up, loopback left out (as getifaddrs gives them).
names = [n for _, n in socket.if_nameindex()]
out = []
for name in names:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        flags = struct.unpack("H", fcntl.ioctl(s.fileno(), 0x8913, struct.pack("256s", name.encode()[:15]))[16:18])[0]
        if not flags & 1 or flags & 8:
            continue
        out.append(socket.inet_ntoa(fcntl.ioctl(s.fileno(), 0x8915, struct.pack("256s", name.encode()[:15]))[20:24]))
    except OSError:
        pass
print(" ".join(out))
')"
if [ -z "$addresses" ]; then
  [ "$host" = "<this-computer's-address>" ] || fail "no network address here, yet the URL names $host"
  echo "serve LAN URL: no network address on this machine, the placeholder is printed"
  exit 0
fi
case " $addresses " in
  *" $host "*) ;;
  *) fail "the URL names '$host', not one of this computer's addresses ($addresses)" ;;
esac
token="${url##*token=}"
[ "${#token}" -ge 16 ] || fail "no token in $url"
# The printed address answers with the token, and refuses without it.
api="http://$host:$(echo "$url" | sed -E 's#^http://[^:]+:([0-9]+)/.*#\1#')/api/health"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$api")" = 200 ] || fail "the printed address does not answer with the token"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$api")" = 401 ] || fail "the printed address answers without the token"
echo "serve LAN URL: $url"
