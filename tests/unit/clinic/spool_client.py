#!/usr/bin/env python3
"""The patient's side of spool_restart_test.sh, over tests/support/rc_client.py (plain sockets).

  spool_client.py login BASE TOKEN       accept the invitation, answer the screening;
                                         prints {"cookie", "csrf"}
  spool_client.py finish BASE COOKIE COMMAND...
                                         a live session over /ws/session: start, run COMMAND
                                         (it stops PostgreSQL: a login is checked in the database,
                                         so the socket is opened before), then finish; prints the
                                         server's answer to "finish"
  spool_client.py history BASE COOKIE    prints the number of sessions in /api/history
"""
import json
import os
import subprocess
import sys
import time
from urllib.parse import urlparse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "support"))
from rc_client import WebSocket, clinic_login, http  # noqa: E402


def port_of(base):
    return urlparse(base).port


def get_json(base, target, headers):
    status, payload = http(port_of(base), "GET", target, headers=headers)
    if status != 200:
        raise SystemExit(f"GET {target} answered {status}")
    return json.loads(payload)


def login(base, token):
    patient = clinic_login(port_of(base), None, "trial-patient-password", path=f"/api/invite/{token}")
    questions = get_json(base, "/api/screening", patient.headers())["questions"]
    answers = {}
    for q in questions:
        answers[q["id"]] = 40 if q["type"] == "number" else "no" if q["type"] == "yes_no" else q["choices"][0]["id"]
    status, _ = http(port_of(base), "POST", "/api/screening", json.dumps({"answers": answers}), headers=patient.headers())
    if status != 200:
        raise SystemExit(f"POST /api/screening answered {status}")
    print(json.dumps({"cookie": patient.cookie, "csrf": patient.csrf}))


def finish(base, cookie, *command):
    ws = WebSocket(port_of(base), "/ws/session", timeout=20, headers={"Origin": base, "Cookie": cookie})
    ws.send(json.dumps({"type": "start", "pain_before": 4}))
    while ws.receive()["type"] != "started":
        pass
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    ws.send(json.dumps({"type": "event", "event": {"type": "pause"}}))
    if (message := ws.receive())["type"] != "update":
        raise SystemExit(f"the session did not go on without the database: {message}")
    sent = time.monotonic()
    ws.send(json.dumps({"type": "finish", "pain_after": 2}))
    while (message := ws.receive())["type"] not in ("pending", "saved", "error"):
        pass
    print(f"finish -> {message['type']}: {(time.monotonic() - sent) * 1000:.1f} ms", file=sys.stderr)
    print(json.dumps(message))
    # The connection is left open: the server is killed under it.
    sys.stdout.flush()
    os._exit(0)


def history(base, cookie):
    entries = get_json(base, "/api/history", {"Cookie": cookie})
    entries = entries.get("entries", entries) if isinstance(entries, dict) else entries
    print(sum(1 for e in entries if e.get("kind") == "session"))


if __name__ == "__main__":
    {"login": login, "finish": finish, "history": history}[sys.argv[1]](*sys.argv[2:])
