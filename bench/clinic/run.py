#!/usr/bin/env python3
"""Clinic at scale (make bench-clinic; results in docs/benchmarks.md "Clinic at scale").

A private PostgreSQL in --dir (kept between runs, seeded once by clinic_seed: 1,000 patients x a
year of daily use, 15 therapists), then a real `rollcoach serve --clinic` over HTTP and WebSocket
on loopback:

  list      GET /api/clinic/patients as the busiest therapist (the largest caseload), sequential
  detail    GET /api/clinic/patients/<id>: first once for each of that therapist's patients (the first
            view opens the patient's journal), then at random over them, sequential
  report    GET /api/clinic/patients/<id>/report.pdf, sequential (a year of data each)
  screening POST /api/screening from CLIENTS patients at once (each its own login), REQUESTS each;
            also against the single-user SQLite server (`rollcoach serve`, one journal) for comparison
  live      LIVE patients in live sessions at once (real time, speed 1), started over the first
            10 s, measured for LIVE_SECONDS, then quit and finished (each must be "saved").

Cue lateness, two clocks, in ms after the cue was due:
  server: the server's own figure (late_ms in each timed message): when its timer for the cue
          fired and it built the message, minus the time the session's schedule said the cue was
          due (monotonic clock of the server);
  client: when the message arrived at the client, minus its due time on the client's clock: the
          arrival of the session's "started" message plus the cue's at_ms (so the "started"
          message's own delay is not counted; everything after it is).

Every figure is per run; the table gives each run's p50/p99/max and the median of the runs. The
machine's load average is printed with each phase (the machine is shared).

  python3 bench/clinic/run.py --rollcoach build/ci/apps/rollcoach/rollcoach --seed build/ci/bench/clinic/clinic_seed
"""
import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "..", "tests", "support"))
from private_postgres import PrivatePostgres  # noqa: E402
from rc_client import Closed, WebSocket, clinic_login, free_port, http  # noqa: E402

PATIENT_PASSWORD = "bench-patient-password"
THERAPIST_PASSWORD = "bench-therapist-password"


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def summary(values):
    return {"n": len(values), "p50": pct(values, 0.50), "p99": pct(values, 0.99), "max": max(values)}


def load():
    return "load %.2f %.2f %.2f" % os.getloadavg()


class Server:
    def __init__(self, command, log):
        self.port = free_port()
        self.process = subprocess.Popen(command + ["--port", str(self.port), "--no-voice"], stdout=log, stderr=log,
                                        stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with status {self.process.returncode}")
            try:
                if http(self.port, "GET", "/api/health", timeout=2)[0] == 200:
                    return
            except (OSError, Closed):
                pass
            time.sleep(0.1)
        raise RuntimeError("the server did not start within 120 s")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


def timed_get(port, target, headers, expect=200):
    begin = time.perf_counter()
    status, body = http(port, "GET", target, headers=headers)
    elapsed = (time.perf_counter() - begin) * 1000
    if status != expect:
        raise RuntimeError(f"GET {target}: {status} {body[:200]!r}")
    return elapsed, body


def all_clear(port, headers):
    status, body = http(port, "GET", "/api/screening", headers=headers)
    if status != 200:
        raise RuntimeError(f"GET /api/screening: {status}")
    answers = {}
    for q in json.loads(body)["questions"]:
        answers[q["id"]] = 40 if q["type"] == "number" else "no" if q["type"] == "yes_no" else q["choices"][0]["id"]
    return json.dumps({"answers": answers})


def screening_load(port, headers_of, clients, requests):
    """`clients` threads, each POSTing /api/screening `requests` times back to back; all start together."""
    body = all_clear(port, headers_of(0))
    samples, errors = [], []
    barrier = threading.Barrier(clients)
    lock = threading.Lock()

    def client(index):
        headers = headers_of(index)
        barrier.wait()
        for _ in range(requests):
            begin = time.perf_counter()
            try:
                status, answer = http(port, "POST", "/api/screening", body, headers=headers)
            except (OSError, Closed) as e:
                errors.append(str(e))
                continue
            elapsed = (time.perf_counter() - begin) * 1000
            with lock:
                if status == 200:
                    samples.append(elapsed)
                else:
                    errors.append(f"{status} {answer[:100]!r}")

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    begin = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - begin
    if errors:
        raise RuntimeError(f"{len(errors)} screenings failed, e.g. {errors[0]}")
    return summary(samples), len(samples) / seconds


def live_session(port, login, source, start_delay, seconds, out, errors):
    try:
        time.sleep(start_delay)
        ws = WebSocket(port, "/ws/session", headers=login.headers(), source=source)
        try:
            ws.send(json.dumps({"type": "start", "pain_before": 3}))
            started = ws.receive()
            base = time.monotonic()
            if started.get("type") != "started":
                raise RuntimeError(f"start answered {json.dumps(started)[:200]}")
            client, server = [], []
            end = base + seconds
            ended = False
            ws.sock.settimeout(1.0)
            while time.monotonic() < end and not ended:
                try:
                    message = ws.receive()
                except TimeoutError:
                    continue
                arrived = time.monotonic()
                ended = message.get("type") == "ended"
                if message.get("cues") and "late_ms" in message:
                    due = base + message["cues"][0]["at_ms"] / 1000.0
                    client.append((due, (arrived - due) * 1000))
                    server.append((due, message["late_ms"]))
            ws.sock.settimeout(60.0)
            if not ended:
                ws.send(json.dumps({"type": "event", "event": {"type": "quit"}}))
                while ws.receive().get("type") != "ended":
                    pass
            ws.send(json.dumps({"type": "finish", "pain_after": 2}))
            while True:
                message = ws.receive()
                if message.get("type") == "saved":
                    break
                if message.get("type") == "error" and not message.get("message", "").startswith("the session is over"):
                    raise RuntimeError(f"finish answered {json.dumps(message)[:200]}")
            out.append((base, client, server))
        finally:
            ws.close()
    except Exception as e:  # counted by the caller
        errors.append(str(e))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rollcoach", required=True)
    parser.add_argument("--seed", required=True, help="the clinic_seed binary")
    parser.add_argument("--dir", default=os.path.join(tempfile.gettempdir(), "rc-clinic-bench"))
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument("--therapists", type=int, default=15)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--list-requests", type=int, default=200)
    parser.add_argument("--detail-requests", type=int, default=300)
    parser.add_argument("--reports", type=int, default=10)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=20, help="screenings per client per run")
    parser.add_argument("--live", type=int, default=200)
    parser.add_argument("--live-seconds", type=int, default=60)
    parser.add_argument("--live-runs", type=int, default=1)
    parser.add_argument("--reseed", action="store_true", help="drop the seeded clinic and seed it again")
    parser.add_argument("--only", default="list,detail,report,screening,sqlite,live")
    parser.add_argument("--report", default="build/bench-clinic.md")
    args = parser.parse_args()
    phases = set(args.only.split(","))
    rollcoach = os.path.abspath(args.rollcoach)
    os.makedirs(args.dir, exist_ok=True)
    os.chmod(args.dir, 0o755)
    pg = PrivatePostgres(os.path.join(args.dir, "pg"), settings={"max_connections": 400, "shared_buffers": "'256MB'"})
    pg.start()
    try:
        return measure(args, pg, rollcoach, phases)
    finally:
        pg.stop()   # the seeded data stays in --dir for the next run


def measure(args, pg, rollcoach, phases):
    lines = []

    def say(text=""):
        print(text, flush=True)
        lines.append(text)

    if args.reseed:
        pg.psql("postgres", "DROP DATABASE IF EXISTS clinic")
    uri = pg.create_database("clinic")
    began = time.monotonic()
    subprocess.run([os.path.abspath(args.seed), uri, "--patients", str(args.patients), "--therapists", str(args.therapists),
                    "--days", str(args.days)], check=True)
    say(f"# Clinic at scale, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    say(f"seed ready in {time.monotonic() - began:.0f} s; database {pg.psql('clinic', 'SELECT pg_size_pretty(pg_database_size(current_database()))')[0][0]}; "
        f"{pg.psql('clinic', 'SELECT count(*) FROM clinic.accounts WHERE role = $$patient$$')[0][0]} patients; {load()}")
    caseloads = pg.psql("clinic", "SELECT t.email, count(p.id) FROM clinic.accounts t JOIN clinic.accounts p ON p.therapist_id = t.id "
                                  "GROUP BY t.email ORDER BY count(p.id) DESC")
    busiest, caseload = caseloads[0][0], int(caseloads[0][1])
    say(f"caseloads: {', '.join(c for _, c in caseloads)} patients; measured as {busiest} ({caseload} patients)")

    log = open(os.path.join(args.dir, "server.log"), "a")
    server = Server([rollcoach, "--db", uri, "serve", "--clinic"], log)
    rows = []   # (what, [per-run summaries])
    try:
        therapist = clinic_login(server.port, busiest, THERAPIST_PASSWORD)
        t_headers = therapist.headers()
        # The first list since the server started reads every patient's journal (the first after
        # an upgrade also migrates each journal to count its changes); later ones only the changed.
        first_list, body = timed_get(server.port, "/api/clinic/patients", t_headers)
        mine = json.loads(body)["patients"]
        say(f"first list since the server started: {first_list:.0f} ms; {load()}")
        ids = [p["id"] for p in mine]
        rng = random.Random(7)

        if "list" in phases:
            runs = []
            for run in range(args.runs):
                samples = [timed_get(server.port, "/api/clinic/patients", t_headers)[0] for _ in range(args.list_requests)]
                runs.append(summary(samples))
                say(f"list run {run + 1}: {runs[-1]}; {load()}")
            rows.append((f"GET /api/clinic/patients ({caseload} patients), target p99 <= 50", runs))
        if "detail" in phases:
            # The first view of each patient since the server started opens their journal (one
            # PostgreSQL connection, kept while the patient is in use): timed on its own, once per
            # patient, before the runs (which would otherwise time a mix of first and later views).
            first = [timed_get(server.port, f"/api/clinic/patients/{i}", t_headers)[0] for i in ids]
            say(f"detail, first view of each of the {len(ids)} patients: {summary(first)}; {load()}")
            rows.append((f"GET /api/clinic/patients/{{id}}, first view of each patient (opens its journal), one pass", [summary(first)]))
            runs = []
            for run in range(args.runs):
                samples = [timed_get(server.port, f"/api/clinic/patients/{rng.choice(ids)}", t_headers)[0] for _ in range(args.detail_requests)]
                runs.append(summary(samples))
                say(f"detail run {run + 1}: {runs[-1]}; {load()}")
            rows.append(("GET /api/clinic/patients/{id}, target p99 <= 20", runs))
        if "report" in phases:
            runs = []
            for run in range(args.runs):
                samples = []
                for _ in range(args.reports):
                    elapsed, body = timed_get(server.port, f"/api/clinic/patients/{rng.choice(ids)}/report.pdf", t_headers)
                    if not body.startswith(b"%PDF"):
                        raise RuntimeError("the report is not a PDF")
                    samples.append(elapsed)
                runs.append(summary(samples))
                say(f"report run {run + 1}: {runs[-1]}; {load()}")
            rows.append(("GET /api/clinic/patients/{id}/report.pdf, target <= 1000", runs))

        # Patients without a flag on record (a red flag or a check-in warning refuses a session).
        calm = [i for i in range(args.patients) if i % 20 != 0 and i % 25 != 3]
        if "screening" in phases:
            chosen = calm[:args.clients]
            say(f"logging in {len(chosen)} patients (Argon2id each)...")
            logins = [clinic_login(server.port, f"patient{i + 1}@bench.example", PATIENT_PASSWORD) for i in chosen]
            runs = []
            for run in range(args.runs):
                result, rate = screening_load(server.port, lambda k: logins[k].headers(), args.clients, args.requests)
                runs.append(result)
                say(f"screening run {run + 1} (PostgreSQL): {result}, {rate:.0f}/s; {load()}")
            rows.append((f"POST /api/screening, {args.clients} clients at once, PostgreSQL, target p99 <= 50", runs))
        if "live" in phases:
            chosen = calm[-args.live:]
            say(f"logging in {len(chosen)} patients (Argon2id each)...")
            logins = [clinic_login(server.port, f"patient{i + 1}@bench.example", PATIENT_PASSWORD) for i in chosen]
            client_runs, server_runs = {}, {}
            for run in range(args.live_runs):
                out, errors = [], []
                threads = []
                for k, login in enumerate(logins):
                    # 50 sessions per loopback address: the server allows 64 live sessions per client address.
                    source = f"127.0.0.{2 + k // 50}"
                    threads.append(threading.Thread(target=live_session, args=(server.port, login, source, rng.uniform(0, 10), args.live_seconds,
                                                                                out, errors)))
                for t in threads:
                    t.start()
                mid_load = None
                time.sleep(10 + args.live_seconds / 2)
                mid_load = load()
                for t in threads:
                    t.join()
                if errors:
                    raise RuntimeError(f"{len(errors)} live sessions failed, e.g. {errors[0]}")
                # Steady: cues due once every session has started and before the first one
                # quits (the starts and finishes read and write the database; see the docs).
                first_end = min(b for b, _, _ in out) + args.live_seconds
                all_started = max(b for b, _, _ in out) + 1
                for label, pick in (("all", lambda due: True), ("steady", lambda due: all_started <= due <= first_end)):
                    client = [v for _, c, _ in out for due, v in c if pick(due)]
                    server_side = [v for _, _, sv in out for due, v in sv if pick(due)]
                    if not client:
                        continue
                    client_runs.setdefault(label, []).append(summary(client))
                    server_runs.setdefault(label, []).append(summary(server_side))
                    say(f"live run {run + 1} ({label} cues): {len(out)} sessions saved; client {client_runs[label][-1]}; "
                        f"server {server_runs[label][-1]}; {mid_load} (mid-run)")
            for label in server_runs:
                rows.append((f"cue lateness, {args.live} live sessions, {label} cues, server timer, target p99 <= 5", server_runs[label]))
                rows.append((f"cue lateness, {args.live} live sessions, {label} cues, arrival at the client, target p99 <= 5", client_runs[label]))
    finally:
        server.stop()

    if "sqlite" in phases:
        journal = os.path.join(args.dir, "single-user.db")
        if os.path.exists(journal):
            os.remove(journal)
        single = Server([rollcoach, "--db", journal, "serve"], log)
        try:
            runs = []
            for run in range(args.runs):
                result, rate = screening_load(single.port, lambda k: {}, args.clients, args.requests)
                runs.append(result)
                say(f"screening run {run + 1} (SQLite, one journal): {result}, {rate:.0f}/s; {load()}")
            rows.append((f"POST /api/screening, {args.clients} clients at once, single-user SQLite (for comparison)", runs))
        finally:
            single.stop()
    log.close()

    say()
    say("| measured (ms) | runs: p50 / p99 / max | median p99 |")
    say("|---|---|---|")
    for what, runs in rows:
        each = "; ".join(f"{r['p50']:.1f} / {r['p99']:.1f} / {r['max']:.1f}" for r in runs)
        say(f"| {what} | {each} | {statistics.median(r['p99'] for r in runs):.1f} |")
    os.makedirs(os.path.dirname(os.path.abspath(args.report)), exist_ok=True)
    with open(args.report, "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"(report: {args.report}; the seeded clinic stays in {args.dir} for the next run: delete it to seed again)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
