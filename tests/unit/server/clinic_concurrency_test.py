#!/usr/bin/env python3
"""Clinic mode's worker pool under many clients at once (docs/clinic.md "Threads"), on a private
PostgreSQL server this test starts itself (tests/support/private_postgres.py).

One `rollcoach serve --clinic --workers 4`. PATIENTS patients, each with CLIENTS_PER_PATIENT
clients of their own login POSTing screenings back to back and one live session run to "saved",
while the therapist reads the patient list and details: every request of every patient in flight
at once on four workers and a pool of store connections. Each patient answers with a number of
their own, so a screening stored in another patient's journal would show.

Then, per patient: every acknowledged screening (a 200) is in their journal exactly once, and
nothing else; every screening there carries their own number; the session acknowledged "saved"
is the one session stored, with its pain ratings; the patient's own /api/history agrees; and the
audit log has a line for each of the therapist's reads.

    clinic_concurrency_test.py ROLLCOACH
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
from rc_client import Closed, WebSocket, clinic_login, free_port, http, seed_clinic  # noqa: E402

PATIENTS = 12
CLIENTS_PER_PATIENT = 4
SCREENINGS_PER_CLIENT = 5
THERAPIST = ("alex@clinic.example", "concurrency-therapist")


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def marker(i):
    return 21 + i   # each patient's own answer to the number questions


def answers_of(port, login, i):
    status, body = http(port, "GET", "/api/screening", headers=login.headers())
    check(status == 200, f"GET /api/screening: {status}")
    answers, numbers = {}, []
    for q in json.loads(body)["questions"]:
        if q["type"] == "number":
            answers[q["id"]] = marker(i)
            numbers.append(q["id"])
        else:
            answers[q["id"]] = "no" if q["type"] == "yes_no" else q["choices"][0]["id"]
    check(numbers, "the questionnaire has no number question to mark a patient's answers with")
    return json.dumps({"answers": answers}), numbers


def screen(port, login, body, count, acked, errors, label):
    for _ in range(count):
        try:
            status, answer = http(port, "POST", "/api/screening", body, headers=login.headers())
            if status == 200:
                acked.append(label)
            else:
                errors.append(f"{label}: {status} {answer[:200]!r}")
        except (OSError, Closed) as e:
            errors.append(f"{label}: {e}")


def live_session(port, login, pain_before, saved, errors, label):
    try:
        ws = WebSocket(port, "/ws/session", headers=login.headers())
        try:
            ws.send(json.dumps({"type": "start", "pain_before": pain_before}))
            started = ws.receive()
            check(started.get("type") == "started", f"start answered {json.dumps(started)[:200]}")
            ws.send(json.dumps({"type": "event", "event": {"type": "quit"}}))
            while ws.receive().get("type") != "ended":
                pass
            ws.send(json.dumps({"type": "finish", "pain_after": pain_before - 1}))
            while True:
                message = ws.receive()
                if message.get("type") == "saved":
                    saved.append((label, int(message["session_id"])))
                    return
                check(message.get("type") not in ("error", "pending"), f"finish answered {json.dumps(message)[:200]}")
        finally:
            ws.close()
    except Exception as e:  # reported by the main thread
        errors.append(f"{label} session: {e}")


def therapist_reads(port, login, ids, reads, errors):
    for key in ids * 2:
        for target in ("/api/clinic/patients", f"/api/clinic/patients/{key}"):
            try:
                status, _ = http(port, "GET", target, headers=login.headers())
                if status == 200:
                    reads.append(target)
                else:
                    errors.append(f"therapist {target}: {status}")
            except (OSError, Closed) as e:
                errors.append(f"therapist {target}: {e}")


def main():
    rollcoach = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp(prefix="rc-concurrency-")
    os.chmod(work, 0o755)   # the postgres user must reach the server's folder inside it
    pg = PrivatePostgres(os.path.join(work, "pg"), settings={"max_connections": 100})
    server = None
    log_path = os.path.join(work, "server.log")
    log = open(log_path, "w")
    try:
        pg.start()
        uri = pg.create_database("clinic")
        tokens = seed_clinic(rollcoach, uri, THERAPIST, PATIENTS)

        port = free_port()
        server = subprocess.Popen([rollcoach, "--db", uri, "serve", "--clinic", "--workers", "4", "--port", str(port), "--no-voice",
                                   "--speed", "60", "--spool-dir", os.path.join(work, "spool")],
                                  stdout=log, stderr=log, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while True:
            check(server.poll() is None, f"the server exited with status {server.returncode} while starting")
            try:
                if http(port, "GET", "/api/health", timeout=2)[0] == 200:
                    break
            except (OSError, Closed):
                pass
            check(time.monotonic() < deadline, "the server did not answer /api/health within 60 s")
            time.sleep(0.1)

        # The invitations accepted at once: journals' schemas made side by side.
        logins = [None] * PATIENTS
        accept_errors = []

        def accept(i):
            try:
                logins[i] = clinic_login(port, None, f"password-of-patient-{i}", path=f"/api/invite/{tokens[i]}")
            except (OSError, Closed) as e:
                accept_errors.append(f"patient {i}: {e}")
        threads = [threading.Thread(target=accept, args=(i,)) for i in range(PATIENTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        check(not accept_errors and all(logins), f"invitations: {accept_errors}")
        # Each client its own login, as a browser tab would have.
        clients = [[logins[i]] + [clinic_login(port, f"patient{i}@example.org", f"password-of-patient-{i}")
                                  for _ in range(CLIENTS_PER_PATIENT - 1)] for i in range(PATIENTS)]
        bodies = [answers_of(port, logins[i], i) for i in range(PATIENTS)]
        numbers = bodies[0][1]
        therapist = clinic_login(port, *THERAPIST)
        status, body = http(port, "GET", "/api/clinic/patients", headers=therapist.headers())
        check(status == 200, f"patient list: {status}")
        keys = [p["id"] for p in json.loads(body)["patients"]]

        acked, saved, reads, errors = [], [], [], []
        threads = []
        for i in range(PATIENTS):
            label = f"patient {i}"
            for login in clients[i]:
                threads.append(threading.Thread(target=screen, args=(port, login, bodies[i][0], SCREENINGS_PER_CLIENT, acked, errors, label)))
            threads.append(threading.Thread(target=live_session, args=(port, logins[i], 4 + i % 5, saved, errors, label)))
        threads.append(threading.Thread(target=therapist_reads, args=(port, therapist, keys, reads, errors)))
        began = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=300)
        elapsed = time.monotonic() - began
        check(not any(t.is_alive() for t in threads), "a client did not finish within 300 s")
        check(not errors, f"{len(errors)} requests failed, e.g. " + "; ".join(errors[:5]))
        check(len(acked) == PATIENTS * CLIENTS_PER_PATIENT * SCREENINGS_PER_CLIENT, f"{len(acked)} screenings acknowledged")
        check(len(saved) == PATIENTS, f"{len(saved)} of {PATIENTS} sessions saved")

        for i in range(PATIENTS):
            label = f"patient {i}"
            schema = pg.psql("clinic", f"SELECT journal_schema FROM clinic.accounts WHERE email = 'patient{i}@example.org'")[0][0]
            stored = pg.psql("clinic", f"SELECT answers FROM {schema}.screenings")
            mine = acked.count(label)
            check(len(stored) == mine, f"{label}: {len(stored)} screenings stored, {mine} acknowledged")
            for (document,) in stored:
                answers = json.loads(document)["answers"]
                check(all(answers.get(q) == marker(i) for q in numbers), f"{label}: a screening in their journal is not theirs: {answers}")
            sessions = sorted(int(r[0]) for r in pg.psql("clinic", f"SELECT id FROM {schema}.sessions"))
            check(sessions == [sid for who, sid in saved if who == label], f"{label}: sessions stored {sessions}, saved {saved}")
            status, body = http(port, "GET", "/api/history?limit=1000", headers=logins[i].headers())
            check(status == 200, f"{label}: history {status}")
            entries = json.loads(body)
            entries = entries["entries"] if isinstance(entries, dict) else entries
            shown = sum(1 for e in entries if e.get("kind") == "screening")
            check(shown == mine, f"{label}: their history shows {shown} screenings, {mine} acknowledged")

        audited = int(pg.psql("clinic", "SELECT count(*) FROM clinic.audit")[0][0])
        check(audited >= len(reads), f"{audited} audit lines for {len(reads)} therapist reads")

        # A clean stop: the workers drained, nothing left unsaved (and, in a sanitizer build,
        # nothing it would report on the way out).
        server.terminate()
        code = server.wait(timeout=60)
        check(code == 0, f"the server stopped with status {code}")
        log.flush()
        with open(log_path) as f:
            said = f.read()
        check("NOT SAVED" not in said and "AddressSanitizer" not in said and "ThreadSanitizer" not in said and "runtime error" not in said,
              f"the server's log on stopping: {said[-2000:]}")
        print(f"clinic concurrency: ok ({len(acked)} screenings from {PATIENTS * CLIENTS_PER_PATIENT} clients, {len(saved)} sessions, "
              f"{len(reads)} therapist reads in {elapsed:.1f} s; every one stored once, in its own journal)")
        return 0
    except (AssertionError, Closed, OSError, RuntimeError, subprocess.CalledProcessError) as e:
        print(f"FAIL: {e}", file=sys.stderr)
        log.flush()
        with open(log_path) as f:
            sys.stderr.write(f.read()[-4000:])
        return 1
    finally:
        if server and server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        log.close()
        try:
            pg.stop()
        finally:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
