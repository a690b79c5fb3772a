#!/usr/bin/env python3
"""The patient's side of spool_restart_test.sh, over plain sockets (no library to install).

  spool_client.py login BASE TOKEN       accept the invitation, answer the screening;
                                         prints {"cookie", "csrf"}
  spool_client.py finish BASE COOKIE COMMAND...
                                         a live session over /ws/session: start, run COMMAND
                                         (it stops PostgreSQL: a login is checked in the database,
                                         so the socket is opened before), then finish; prints the
                                         server's answer to "finish"
  spool_client.py history BASE COOKIE    prints the number of sessions in /api/history
"""
import base64
import json
import os
import socket
import struct
import subprocess
import sys
import time
import urllib.request
from http.cookiejar import CookieJar
from urllib.parse import urlparse


def request(opener, method, url, body=None, headers=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json", **(headers or {})})
    with opener.open(req, timeout=10) as response:
        return json.load(response)


def login(base, token):
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    accepted = request(opener, "POST", f"{base}/api/invite/{token}", {"password": "trial-patient-password"})
    csrf = accepted["csrf"]
    questions = request(opener, "GET", f"{base}/api/screening")["questions"]
    answers = {}
    for q in questions:
        answers[q["id"]] = 40 if q["type"] == "number" else "no" if q["type"] == "yes_no" else q["choices"][0]["id"]
    request(opener, "POST", f"{base}/api/screening", {"answers": answers}, {"X-CSRF-Token": csrf})
    cookie = next(c for c in jar if c.name == "rc_session")
    print(json.dumps({"cookie": f"rc_session={cookie.value}", "csrf": csrf}))


def ws_send(sock, text):
    payload = text.encode()
    mask = os.urandom(4)
    header = bytes([0x81])
    if len(payload) < 126:
        header += bytes([0x80 | len(payload)])
    elif len(payload) < 65536:
        header += bytes([0x80 | 126]) + struct.pack("!H", len(payload))
    else:
        header += bytes([0x80 | 127]) + struct.pack("!Q", len(payload))
    sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))


def read_exact(sock, n):
    out = b""
    while len(out) < n:
        chunk = sock.recv(n - len(out))
        if not chunk:
            raise ConnectionError("the server closed the connection")
        out += chunk
    return out


def ws_receive(sock):
    """The next text message, its fragments joined (control frames between them are skipped)."""
    message = b""
    while True:
        first, second = read_exact(sock, 2)
        length = second & 0x7F
        if length == 126:
            length = struct.unpack("!H", read_exact(sock, 2))[0]
        elif length == 127:
            length = struct.unpack("!Q", read_exact(sock, 8))[0]
        payload = read_exact(sock, length)
        opcode = first & 0x0F
        if opcode == 0x8:
            raise ConnectionError("the server closed the WebSocket")
        if opcode in (0x0, 0x1):
            message += payload
            if first & 0x80:
                return json.loads(message)


def finish(base, cookie, *command):
    url = urlparse(base)
    sock = socket.create_connection((url.hostname, url.port), timeout=20)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall((f"GET /ws/session HTTP/1.1\r\nHost: {url.netloc}\r\nOrigin: {base}\r\nCookie: {cookie}\r\n"
                  f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    head = b""
    while b"\r\n\r\n" not in head:
        head += read_exact(sock, 1)
    if b" 101 " not in head.split(b"\r\n")[0]:
        raise SystemExit(f"no WebSocket: {head.decode(errors='replace')}")
    ws_send(sock, json.dumps({"type": "start", "pain_before": 4}))
    while (message := ws_receive(sock))["type"] != "started":
        pass
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    ws_send(sock, json.dumps({"type": "event", "event": {"type": "pause"}}))
    if (message := ws_receive(sock))["type"] != "update":
        raise SystemExit(f"the session did not go on without the database: {message}")
    sent = time.monotonic()
    ws_send(sock, json.dumps({"type": "finish", "pain_after": 2}))
    while (message := ws_receive(sock))["type"] not in ("pending", "saved", "error"):
        pass
    print(f"finish -> {message['type']}: {(time.monotonic() - sent) * 1000:.1f} ms", file=sys.stderr)
    print(json.dumps(message))
    # The connection is left open: the server is killed under it.
    sys.stdout.flush()
    os._exit(0)


def history(base, cookie):
    opener = urllib.request.build_opener()
    opener.addheaders = [("Cookie", cookie)]
    entries = request(opener, "GET", f"{base}/api/history")
    entries = entries.get("entries", entries) if isinstance(entries, dict) else entries
    print(sum(1 for e in entries if e.get("kind") == "session"))


if __name__ == "__main__":
    {"login": login, "finish": finish, "history": history}[sys.argv[1]](*sys.argv[2:])
