#!/usr/bin/env python3
"""rollcoach's long-haul test: N simulated users against one `rollcoach serve`, with random
SIGKILLs and restarts of the server, for a fixed duration. Loopback only; every loop is bounded
by the deadline; the server is killed on exit whatever happens.

Each user, until the deadline, picks an action and pauses a few seconds between actions:
screening (POST /api/screening), check-in (POST /api/checkin), a live session over /ws/session
(start, events, quit or run to the end, finish with a pain rating, "saved" with its id),
a clearance (a screening with one clearable flag, then a clinician's clearance for it with a
unique note; session starts in that window are rightly refused), an export (GET /api/export?format=json, must parse), history
and status reads. A record counts as acknowledged only when the server said so (200/201, or
"saved"); requests cut by a kill are retried later as new actions and never counted.

At the end (server stopped): every acknowledged session id and clearance note is in the
journal, there are at least as many screenings and check-ins as acknowledged,
PRAGMA integrity_check says ok, and the server's RSS is flat (the median of the last third of
the samples is under 1.5 times that of the first third plus 16 MiB). Exit status 0 when all
hold; the report (text) goes to --report and stdout.

  python3 tests/soak/soak.py --rollcoach build/ci/apps/rollcoach/rollcoach --seconds 7200
  (make soak SOAK_SECONDS=7200 SOAK_USERS=50)
"""
import argparse
import collections
import json
import os
import random
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from rc_client import HOST, Closed, WebSocket, free_port, http  # noqa: E402  (shared with the clinic tests and bench)


class Server:
    """The rollcoach serve process, restarted after each kill on the same port and journal."""

    def __init__(self, binary, db, port, log):
        self.binary, self.db, self.port, self.log = binary, db, port, log
        self.process = None
        self.starts = 0
        self.lock = threading.Lock()

    def start(self):
        with self.lock:
            # The server inherits this script's niceness (make soak runs it as is; run the
            # script under nice to yield the CPU on a shared machine).
            self.process = subprocess.Popen(
                [self.binary, "--db", self.db, "serve", "--port", str(self.port), "--speed", "60", "--no-voice"],
                stdout=self.log, stderr=self.log, stdin=subprocess.DEVNULL)
            self.starts += 1
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                if http(self.port, "GET", "/api/health", timeout=2)[0] == 200:
                    return
            except (OSError, Closed):
                pass
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with status {self.process.returncode} while starting")
            time.sleep(0.1)
        raise RuntimeError("the server did not answer /api/health within 180 s")

    def kill(self):
        with self.lock:
            if self.process and self.process.poll() is None:
                self.process.send_signal(signal.SIGKILL)
                self.process.wait()

    def stop(self):
        with self.lock:
            if self.process and self.process.poll() is None:
                self.process.send_signal(signal.SIGTERM)
                try:
                    self.process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()

    def pid(self):
        with self.lock:
            return self.process.pid if self.process and self.process.poll() is None else None

    def exited_unexpectedly(self):
        with self.lock:
            return self.process is not None and self.process.poll() is not None


def rss_kib(pid):
    """The server's resident set size in KiB."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


class Ledger:
    def __init__(self):
        self.lock = threading.Lock()
        self.sessions = set()
        self.clearances = set()
        self.screenings = 0
        self.checkins = 0
        self.exports = 0
        self.export_bytes_max = 0
        self.failures = {}       # action -> count of attempts cut by a kill or refused
        self.errors = []         # protocol violations (the first 50): the soak fails on any
        self.error_count = 0
        self.late_event_replies = 0   # "the session is over" for an event that crossed the end
        self.actions = 0
        self.flag_windows = 0         # clearance users between a flagged screening and its clearance
        self.flag_window_closed = 0.0  # monotonic time the last one closed
        self.flag_state_unknown = False  # a flagged screening's fate is unknown (cut by a kill)
        self.refused_in_window = 0    # session starts rightly refused inside a flag window

    def flag_windows_seen_recently(self):
        """Called with the lock held: a refusal may be answered just after its window closed."""
        return self.flag_state_unknown or time.monotonic() - self.flag_window_closed < 5.0

    def fail(self, action):
        with self.lock:
            self.failures[action] = self.failures.get(action, 0) + 1

    def error(self, text):
        with self.lock:
            self.error_count += 1
            if len(self.errors) < 50:
                self.errors.append(text)


def late_event_reply(message):
    """The server's answer to an event that crossed the session's end on the wire."""
    return message.get("code") == "conflict" and message.get("message", "").startswith("the session is over")


def flagged_body(screening_body):
    """The all-clear answers with one clearable flag: a history of cancer."""
    body = json.loads(screening_body)
    body["answers"]["cancer_history"] = "yes"
    return json.dumps(body)


def answers_for(questions, checkin=False):
    answers = {}
    for q in questions["questions"]:
        if q["type"] == "number":
            lo, hi = q.get("min", 0), q.get("max", 100)
            answers[q["id"]] = 2 if checkin else max(lo, min(hi, 40))
        elif q["type"] == "yes_no":
            answers[q["id"]] = "no"
        else:
            # The calm answer where there is one: with no session recorded yet, "it started after
            # my last session" (the first choice) reads as soreness of unknown age, which the
            # check-in rightly treats as a warning sign that blocks everyone sharing the journal.
            ids = [c["id"] for c in q["choices"]]
            answers[q["id"]] = "usual" if "usual" in ids else ids[0]
    return json.dumps({"answers": answers})


def user(index, port, deadline, ledger, screening_body, checkin_body, seed, think):
    rng = random.Random(seed * 1000 + index)
    time.sleep(rng.uniform(0, 5))
    while time.monotonic() < deadline:
        action = rng.choices(["screening", "checkin", "session", "clearance", "export", "read"], [2, 3, 6, 1, 1, 3])[0]
        try:
            if action == "screening":
                status, body = http(port, "POST", "/api/screening", screening_body)
                if status == 200:
                    with ledger.lock:
                        ledger.screenings += 1
                        ledger.flag_state_unknown = False
                else:
                    ledger.error(f"screening answered {status}: {body[:200]!r}")
            elif action == "checkin":
                status, body = http(port, "POST", "/api/checkin", checkin_body)
                if status in (200, 201):
                    with ledger.lock:
                        ledger.checkins += 1
                else:
                    ledger.error(f"check-in answered {status}: {body[:200]!r}")
            elif action == "clearance":
                # A clinician's clearance (docs/safety.md): store a screening with one clearable
                # flag (a history of cancer, "see a clinician before rolling"), then clear it with a
                # unique note. Sessions started in between are rightly refused; the ledger knows the
                # window is open. A 422 means another user's all-clear screening came in between.
                note = f"soak-{seed}-{index}-{rng.getrandbits(48):x}"
                with ledger.lock:
                    ledger.flag_windows += 1
                try:
                    status, body = http(port, "POST", "/api/screening", flagged_body(screening_body))
                    if status != 200:
                        ledger.error(f"flagged screening answered {status}: {body[:200]!r}")
                    else:
                        with ledger.lock:
                            ledger.screenings += 1
                        status, body = http(port, "GET", "/api/clearance")
                        flags = [f["rule_id"] for f in json.loads(body)["flagged"] if f["clearable"]] if status == 200 else []
                        if status != 200:
                            ledger.error(f"clearance list answered {status}: {body[:200]!r}")
                        elif flags:
                            request = {"by": "soak test", "on": time.strftime("%Y-%m-%d", time.gmtime()), "covers": flags, "note": note}
                            status, body = http(port, "POST", "/api/clearance", json.dumps(request))
                            if status == 201:
                                with ledger.lock:
                                    ledger.clearances.add(note)
                            elif status != 422:
                                ledger.error(f"clearance answered {status}: {body[:200]!r}")
                except BaseException:
                    with ledger.lock:
                        ledger.flag_state_unknown = True
                    raise
                finally:
                    with ledger.lock:
                        ledger.flag_windows -= 1
                        ledger.flag_window_closed = time.monotonic()
            elif action == "export":
                status, body = http(port, "GET", "/api/export?format=json", timeout=120)
                if status != 200:
                    ledger.error(f"export answered {status}: {body[:200]!r}")
                else:
                    json.loads(body)
                    with ledger.lock:
                        ledger.exports += 1
                        ledger.export_bytes_max = max(ledger.export_bytes_max, len(body))
            elif action == "read":
                for target in ("/api/status", "/api/history?limit=20", "/api/stats"):
                    status, body = http(port, "GET", target)
                    if status != 200:
                        ledger.error(f"{target} answered {status}: {body[:200]!r}")
            else:
                run_session(port, rng, ledger)
            with ledger.lock:
                ledger.actions += 1
        except (OSError, Closed, ValueError) as e:
            # The server was killed under this request (or is restarting): not acknowledged.
            ledger.fail(action)
            time.sleep(rng.uniform(0.2, 1.0))
        time.sleep(rng.uniform(*think))


def run_session(port, rng, ledger):
    ws = WebSocket(port, "/ws/session")
    try:
        ws.send(json.dumps({"type": "start", "pain_before": rng.randint(0, 6)}))
        started = ws.receive()
        if started.get("type") != "started":
            # A plan is refused while a clearance user's flagged screening waits for its
            # clearance; at any other time a refusal is unexpected.
            with ledger.lock:
                if ledger.flag_windows > 0 or ledger.flag_windows_seen_recently():
                    ledger.refused_in_window += 1
                    return
            ledger.error(f"session start answered {json.dumps(started)[:200]}")
            return
        ended = False
        run_to_end = rng.random() < 0.3
        end_at = time.monotonic() + (60 if run_to_end else rng.uniform(1, 6))
        events = ["tender_spot", "pause", "resume", "skip"]
        while time.monotonic() < end_at and not ended:
            if rng.random() < 0.3:
                ws.send(json.dumps({"type": "event", "event": {"type": rng.choice(events)}}))
            ws.sock.settimeout(1.0)
            try:
                message = ws.receive()
                ended = message.get("type") == "ended"
                if message.get("type") == "error" and late_event_reply(message):
                    with ledger.lock:
                        ledger.late_event_replies += 1
                elif message.get("type") == "error":
                    ledger.error(f"session error {json.dumps(message)[:200]}")
            except socket.timeout:
                pass
            ws.sock.settimeout(30.0)
        if not ended:
            ws.send(json.dumps({"type": "event", "event": {"type": "quit"}}))
            for _ in range(1000):
                message = ws.receive()
                if message.get("type") == "ended":
                    break
        ws.send(json.dumps({"type": "finish", "pain_after": rng.randint(0, 6)}))
        for _ in range(1000):
            message = ws.receive()
            if message.get("type") == "saved":
                with ledger.lock:
                    ledger.sessions.add(int(message["session_id"]))
                return
            if message.get("type") == "error":
                if late_event_reply(message):
                    # The answer to an event sent just before this client read "ended" (the
                    # server had ended the session first): correct, and not the finish's answer.
                    with ledger.lock:
                        ledger.late_event_replies += 1
                    continue
                ledger.error(f"finish answered {json.dumps(message)[:200]}")
                return
    finally:
        ws.close()


def verify(db, ledger):
    problems = []
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
    if integrity != "ok":
        problems.append(f"integrity_check: {integrity}")
    stored_sessions = {row[0] for row in con.execute("SELECT id FROM sessions")}
    lost_sessions = ledger.sessions - stored_sessions
    stored_notes = {row[0] for row in con.execute("SELECT note FROM clearances")}
    lost_clearances = ledger.clearances - stored_notes
    screenings = con.execute("SELECT count(*) FROM screenings").fetchone()[0]
    checkins = con.execute("SELECT count(*) FROM checkins").fetchone()[0]
    con.close()
    if lost_sessions:
        problems.append(f"{len(lost_sessions)} acknowledged sessions missing: {sorted(lost_sessions)[:10]}")
    if lost_clearances:
        problems.append(f"{len(lost_clearances)} acknowledged clearances missing")
    if screenings < ledger.screenings:
        problems.append(f"{screenings} screenings stored, {ledger.screenings} acknowledged")
    if checkins < ledger.checkins:
        problems.append(f"{checkins} check-ins stored, {ledger.checkins} acknowledged")
    return integrity, problems, {"sessions": len(stored_sessions), "screenings": screenings, "checkins": checkins,
                                 "clearances": len(stored_notes)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rollcoach", required=True)
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("SOAK_SECONDS", 7200)))
    parser.add_argument("--users", type=int, default=int(os.environ.get("SOAK_USERS", 50)))
    parser.add_argument("--kill-every", type=float, default=float(os.environ.get("SOAK_KILL_EVERY", 120)),
                        help="mean seconds between SIGKILLs (uniform from half to one and a half times this)")
    parser.add_argument("--sample-every", type=float, default=10.0, help="seconds between RSS samples")
    parser.add_argument("--think", type=float, nargs=2, default=(10.0, 40.0), metavar=("MIN", "MAX"),
                        help="seconds a user waits between actions (uniform)")
    parser.add_argument("--seed", type=int, default=int(os.environ.get("SOAK_SEED", 1)))
    parser.add_argument("--report", default=os.environ.get("SOAK_REPORT", ""))
    parser.add_argument("--keep", action="store_true", help="keep the journal and server log")
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="rc-soak-")
    db = os.path.join(workdir, "journal.db")
    log = open(os.path.join(workdir, "server.log"), "ab")
    port = free_port()
    server = Server(os.path.abspath(args.rollcoach), db, port, log)
    lines = []

    def say(text):
        stamp = time.strftime("%H:%M:%S", time.gmtime())
        line = f"[{stamp}Z] {text}"
        lines.append(line)
        print(line, flush=True)
        if args.report:
            with open(args.report, "a") as f:
                f.write(line + "\n")

    def cleanup(*_):
        server.kill()
        sys.exit(2)

    signal.signal(signal.SIGTERM, cleanup)
    signal.signal(signal.SIGINT, cleanup)
    if args.report:
        open(args.report, "w").close()

    ok = False
    try:
        say(f"soak: {args.users} users, {args.seconds:.0f} s, {args.think[0]:.0f}-{args.think[1]:.0f} s between actions, "
            f"a SIGKILL every ~{args.kill_every:.0f} s, "
            f"port {port}, journal {db}, seed {args.seed}")
        server.start()
        _, questions = http(port, "GET", "/api/screening")
        screening_body = answers_for(json.loads(questions))
        _, questions = http(port, "GET", "/api/checkin")
        checkin_body = answers_for(json.loads(questions), checkin=True)

        ledger = Ledger()
        status, body = http(port, "POST", "/api/screening", screening_body)
        if status != 200:
            raise RuntimeError(f"the all-clear screening was refused: {status} {body[:200]!r}")
        ledger.screenings += 1
        start = time.monotonic()
        deadline = start + args.seconds
        threads = [threading.Thread(target=user, args=(i, port, deadline, ledger, screening_body, checkin_body, args.seed, args.think), daemon=True)
                   for i in range(args.users)]
        for t in threads:
            t.start()

        rng = random.Random(args.seed)
        next_kill = start + rng.uniform(0.5, 1.5) * args.kill_every
        next_sample = start
        samples = []      # (seconds since start, rss KiB, server start number)
        kills = 0
        unexpected_exits = 0
        last_report = start
        while time.monotonic() < deadline:
            now = time.monotonic()
            if server.exited_unexpectedly():
                unexpected_exits += 1
                say(f"the server exited by itself (status {server.process.returncode}); restarting")
                server.start()
            if now >= next_sample:
                pid = server.pid()
                rss = rss_kib(pid) if pid else None
                if rss:
                    samples.append((now - start, rss, server.starts))
                next_sample = now + args.sample_every
            if now >= next_kill and now + 5 < deadline:
                server.kill()
                kills += 1
                time.sleep(rng.uniform(0.2, 2.0))
                server.start()
                next_kill = time.monotonic() + rng.uniform(0.5, 1.5) * args.kill_every
            if now - last_report >= 600:
                last_report = now
                with ledger.lock:
                    say(f"t={now - start:.0f}s kills={kills} actions={ledger.actions} sessions={len(ledger.sessions)} "
                        f"screenings={ledger.screenings} checkins={ledger.checkins} exports={ledger.exports} "
                        f"rss={samples[-1][1] // 1024 if samples else '?'} MiB")
            time.sleep(0.2)

        for t in threads:
            t.join(timeout=180)
        alive = sum(t.is_alive() for t in threads)
        server.stop()

        integrity, problems, stored = verify(db, ledger)
        if ledger.errors:
            kinds = collections.Counter(e.split(" {")[0] + (" " + m.group(1) if (m := re.search(r'"code": "(\w+)"', e)) else "") for e in ledger.errors)
            problems.append(f"{ledger.error_count} protocol errors (kinds among the first 50: {dict(kinds)}), first: {ledger.errors[0]}")
        if alive:
            problems.append(f"{alive} users still running after the deadline")
        if unexpected_exits:
            problems.append(f"the server exited {unexpected_exits} times without being killed")

        rss_values = [s[1] for s in samples]
        flat = True
        if len(rss_values) >= 6:
            third = len(rss_values) // 3
            first, last = statistics.median(rss_values[:third]), statistics.median(rss_values[-third:])
            flat = last <= first * 1.5 + 16 * 1024
            say(f"RSS: {len(rss_values)} samples, median first third {first / 1024:.1f} MiB, last third {last / 1024:.1f} MiB, "
                f"max {max(rss_values) / 1024:.1f} MiB -> {'flat' if flat else 'GROWING'}")
            step = max(1, len(samples) // 24)
            say("RSS samples (s, MiB, server start #): " + ", ".join(f"{t:.0f}:{r / 1024:.1f}#{n}" for t, r, n in samples[::step]))
        else:
            say(f"RSS: only {len(rss_values)} samples (run longer for a flatness verdict)")
        if not flat:
            problems.append("RSS grew")

        say(f"acknowledged: {len(ledger.sessions)} sessions, {ledger.screenings} screenings, {ledger.checkins} check-ins, "
            f"{len(ledger.clearances)} clearances, {ledger.exports} exports (largest {ledger.export_bytes_max / 1e6:.1f} MB); "
            f"{ledger.refused_in_window} session starts refused inside a clearance window; "
            f"{ledger.late_event_replies} events answered 'the session is over' (sent as it ended); "
            f"actions {ledger.actions}; cut by kills: {dict(sorted(ledger.failures.items()))}")
        say(f"stored: {stored}; kills {kills}; server starts {server.starts}; integrity_check {integrity}")
        for problem in problems:
            say(f"PROBLEM: {problem}")
        ok = not problems
        say("soak: PASS" if ok else "soak: FAIL")
    except Exception as e:  # noqa: BLE001 - report, then fail
        say(f"soak: FAIL ({type(e).__name__}: {e})")
    finally:
        server.kill()
        log.close()
        if args.keep or not ok:
            say(f"kept {workdir} (journal and server.log)")
        else:
            subprocess.run(["rm", "-rf", workdir])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
