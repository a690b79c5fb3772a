#!/usr/bin/env python3
"""Two `rollcoach serve --clinic` processes behind one PostgreSQL (docs/clinic.md "Scale"), on a
private PostgreSQL server this test starts itself (tests/support/private_postgres.py).

Both servers start at once on an empty database (the clinic's migrations run once, under their
lock). Patients accept their invitations on either server and use the login on both; each patient
screens on one server and runs one live session on EACH server at the same time (two WebSocket
sessions of one patient in two processes). Then: every acknowledged record (the screenings'
200s, the sessions' "saved" ids with their pain before and after) is in the patient's journal
exactly once, with nothing else; the therapist's list and a patient's detail read the same on both
servers; a logout on one server ends the login on the other.

    two_servers_test.py ROLLCOACH
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "..", "support"))
from private_postgres import PrivatePostgres  # noqa: E402
from rc_client import Closed, WebSocket, clinic_login, free_port, http, request, seed_clinic  # noqa: E402

PATIENTS = 4
THERAPIST = ("alex@clinic.example", "two-servers-therapist")


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def start_server(rollcoach, uri, log):
    port = free_port()
    process = subprocess.Popen([rollcoach, "--db", uri, "serve", "--clinic", "--port", str(port), "--no-voice", "--speed", "60"],
                               stdout=log, stderr=log, stdin=subprocess.DEVNULL)
    return process, port


def wait_ready(process, port):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        check(process.poll() is None, f"a server exited with status {process.returncode} while starting")
        try:
            if http(port, "GET", "/api/health", timeout=2)[0] == 200:
                return
        except (OSError, Closed):
            pass
        time.sleep(0.1)
    raise AssertionError("a server did not answer /api/health within 60 s")


def all_clear(port, login):
    status, body = http(port, "GET", "/api/screening", headers=login.headers())
    check(status == 200, f"GET /api/screening: {status}")
    answers = {}
    for q in json.loads(body)["questions"]:
        answers[q["id"]] = 40 if q["type"] == "number" else "no" if q["type"] == "yes_no" else q["choices"][0]["id"]
    return json.dumps({"answers": answers})


def run_session(port, login, pain_before, acked, errors, label):
    """A short live session (quit after a few cues), finished with a pain rating; its "saved" id
    goes to `acked`."""
    try:
        ws = WebSocket(port, "/ws/session", headers=login.headers())
        try:
            ws.send(json.dumps({"type": "start", "pain_before": pain_before}))
            started = ws.receive()
            check(started.get("type") == "started", f"{label}: start answered {json.dumps(started)[:200]}")
            end = time.monotonic() + 1.5
            ended = False
            while time.monotonic() < end and not ended:
                ended = ws.receive().get("type") == "ended"
            if not ended:
                ws.send(json.dumps({"type": "event", "event": {"type": "quit"}}))
                while ws.receive().get("type") != "ended":
                    pass
            ws.send(json.dumps({"type": "finish", "pain_after": pain_before - 1}))
            while True:
                message = ws.receive()
                if message.get("type") == "saved":
                    acked.append((label, int(message["session_id"]), pain_before))
                    return
                check(message.get("type") != "error", f"{label}: finish answered {json.dumps(message)[:200]}")
        finally:
            ws.close()
    except Exception as e:  # reported by the main thread
        errors.append(f"{label}: {e}")


def patient_list(port, login):
    status, body = http(port, "GET", "/api/clinic/patients", headers=login.headers())
    check(status == 200, f"patient list on port {port}: {status} {body[:200]!r}")
    return json.loads(body)["patients"]


def main():
    rollcoach = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp(prefix="rc-two-servers-")
    os.chmod(work, 0o755)   # the postgres user must reach the server's folder inside it
    pg = PrivatePostgres(os.path.join(work, "pg"))
    servers = []
    log_path = os.path.join(work, "servers.log")
    log = open(log_path, "w")
    try:
        pg.start()
        uri = pg.create_database("clinic")
        tokens = seed_clinic(rollcoach, uri, THERAPIST, PATIENTS)

        # Both at once on a database whose journal schemas do not exist yet.
        servers = [start_server(rollcoach, uri, log) for _ in range(2)]
        for process, port in servers:
            wait_ready(process, port)
        ports = [port for _, port in servers]

        patients = []
        for i, token in enumerate(tokens):
            login = clinic_login(ports[i % 2], None, f"password-of-patient-{i}", path=f"/api/invite/{token}")
            patients.append(login)
        screenings = []
        for i, login in enumerate(patients):
            port = ports[(i + 1) % 2]   # the other server than the one the invitation was accepted on
            status, body = http(port, "POST", "/api/screening", all_clear(port, login), headers=login.headers())
            check(status == 200, f"screening of patient {i} on the other server: {status} {body[:200]!r}")
            screenings.append(i)

        acked, errors = [], []
        threads = []
        for i, login in enumerate(patients):
            for s, port in enumerate(ports):
                label = f"patient {i} on server {s}"
                threads.append(threading.Thread(target=run_session, args=(port, login, 3 + s, acked, errors, label)))
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        check(not errors, "sessions failed: " + "; ".join(errors))
        check(len(acked) == 2 * PATIENTS, f"{len(acked)} of {2 * PATIENTS} sessions acknowledged")

        # Every acknowledged record is stored exactly once, and nothing else is.
        for i in range(PATIENTS):
            schema = pg.psql("clinic", f"SELECT journal_schema FROM clinic.accounts WHERE email = 'patient{i}@example.org'")[0][0]
            mine = sorted(sid for label, sid, _ in acked if label.startswith(f"patient {i} "))
            stored = sorted(int(r[0]) for r in pg.psql("clinic", f"SELECT id FROM {schema}.sessions"))
            check(stored == mine, f"patient {i}: sessions stored {stored}, acknowledged {mine}")
            for label, sid, before in acked:
                if not label.startswith(f"patient {i} "):
                    continue
                pains = pg.psql("clinic", f"SELECT moment, value FROM {schema}.pain_ratings WHERE session_id = {sid} ORDER BY moment")
                check(pains == [["after", str(before - 1)], ["before", str(before)]], f"{label}: pain of session {sid}: {pains}")
            count = int(pg.psql("clinic", f"SELECT count(*) FROM {schema}.screenings")[0][0])
            check(count == 1, f"patient {i}: {count} screenings stored, 1 acknowledged")

        # The therapist sees the same clinic through either server.
        therapist = clinic_login(ports[0], *THERAPIST)
        lists = [patient_list(port, therapist) for port in ports]
        check(lists[0] == lists[1], f"the two servers list different patients:\n{lists[0]}\n{lists[1]}")
        check(len(lists[0]) == PATIENTS and all(p["last_session"] for p in lists[0]), f"list: {lists[0]}")
        first = lists[0][0]["id"]
        details = []
        for port in ports:
            status, body = http(port, "GET", f"/api/clinic/patients/{first}", headers=therapist.headers())
            check(status == 200, f"detail on port {port}: {status}")
            details.append(json.loads(body))
        check(len(details[0]["sessions"]) == 2 and details[0]["sessions"] == details[1]["sessions"], "details differ between the servers")

        # A logout on one server ends the login on the other.
        status, _, _ = request(ports[1], "POST", "/api/logout", headers=therapist.headers())
        check(status == 204, f"logout: {status}")
        check(http(ports[0], "GET", "/api/clinic/patients", headers=therapist.headers())[0] == 401, "the login outlived its logout")
        print(f"two servers: ok ({len(acked)} sessions, {len(screenings)} screenings, every one stored once)")
        return 0
    except (AssertionError, Closed, OSError, RuntimeError, subprocess.CalledProcessError) as e:
        print(f"FAIL: {e}", file=sys.stderr)
        log.flush()
        with open(log_path) as f:
            sys.stderr.write(f.read()[-4000:])
        return 1
    finally:
        for process, _ in servers:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
        log.close()
        pg.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
