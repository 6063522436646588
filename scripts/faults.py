"""Fault drills against a real gunicorn + PostgreSQL on loopback (run by scripts/faults.sh, not by pytest).

1. double clicks: the same form sent twice at the same moment is stored once, and both answers thank the person.
2. kill -9 gunicorn workers while many participants submit reflections (some resubmit the same form):
   every submission that was answered with success is stored, and nothing is stored twice.
3. stop PostgreSQL during load: pages answer with the calm 503 page in the reader's language; once the
   database is back the same gunicorn recovers by itself.

Prints a summary and writes it as JSON (--report). Exit status 1 when a promise was broken.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What a request meets when its worker is killed: a refused or reset connection, or an answer cut off mid-body.
BROKEN = (OSError, http.client.HTTPException)
sys.path.insert(0, str(ROOT))

from tests.deployment.live import (  # noqa: E402
    PYTHON, Browser, Server, at_once, csrf_of, idempotency_key_of, migrate_and_seed, production_env,
)

FIL_503 = "Sandaling nagpapahinga ang Roundtable"
DOUBLE_CLICKERS, DOUBLE_CLICKS_EACH = 10, 3

SEED_PARTICIPANTS = """
import json, sys
from roundtable import create_app
from roundtable.db import db
from roundtable.models import Roundtable
from roundtable.services import participation
from sqlalchemy import select
app = create_app()
with app.app_context():
    roundtable = db.session.scalar(select(Roundtable))
    people = []
    for i in range(int(sys.argv[1])):
        participant, passphrase = participation.join(
            roundtable, language="fil", pseudonym=f"Alon {i}", adult_confirmed=True,
            granted={"take_part", "store_words", "quote_publicly"})
        db.session.commit()
        people.append({"id": participant.id, "passphrase": passphrase})
    print(json.dumps(people))
"""


class Writer:
    """One participant in one browser, signed in through /return."""

    def __init__(self, base: str, person: dict, prompt_id: int) -> None:
        self.base, self.person, self.prompt_id = base, person, prompt_id
        self.browser = Browser()

    def _retrying(self, call, attempts: int, pause: float):
        last = None
        for _ in range(attempts):
            try:
                status, headers, body = call()
            except BROKEN as error:  # connection reset by a killed worker, refused while restarting
                last = ("error", str(error))
            else:
                if status < 500:
                    return status, headers, body
                last = (status, body)
            time.sleep(pause)
        raise RuntimeError(f"gave up: {last!r:.200}")

    def double_click(self, text: str) -> dict:
        """Open the writing page and send its form twice at the same moment, from two threads."""
        url = f"/write/{self.prompt_id}"
        _, _, page = self.browser.get(self.base, url)
        form = {"text": text, "language": "fil", "idempotency_key": idempotency_key_of(page),
                "submit": "Isumite", "csrf_token": csrf_of(page)}
        answers = []
        for answer in at_once(*[lambda: self.browser.post(self.base, url, form)] * 2):
            status, headers, _ = answer or (None, {}, "")  # None: the request itself failed
            answers.append("thank you" if status == 302 and headers.get("Location", "").endswith("/my") else str(status))
        return {"participant": self.person["id"], "key": form["idempotency_key"], "text": text, "tries": 1,
                "ok": "thank you" in answers, "answers": answers}

    def sign_in(self, attempts=20, pause=0.3) -> None:
        self._retrying(lambda: self.browser.get(self.base, "/language/fil"), attempts, pause)
        _, _, page = self._retrying(lambda: self.browser.get(self.base, "/return"), attempts, pause)
        status, headers, _ = self._retrying(lambda: self.browser.post(
            self.base, "/return", {"passphrase": self.person["passphrase"], "csrf_token": csrf_of(page)}), attempts, pause)
        assert status == 302 and headers["Location"].endswith("/my"), status

    def submit(self, text: str, *, resubmit: bool, attempts=20, pause=0.3) -> dict:
        """Open the writing page, submit; on an error retry the same form (same idempotency key)."""
        url = f"/write/{self.prompt_id}"
        _, _, page = self._retrying(lambda: self.browser.get(self.base, url), attempts, pause)
        form = {"text": text, "language": "fil", "idempotency_key": idempotency_key_of(page),
                "submit": "Isumite", "csrf_token": csrf_of(page)}
        record = {"participant": self.person["id"], "key": form["idempotency_key"], "text": text,
                  "tries": 0, "ok": False}
        for _ in range(attempts):
            record["tries"] += 1
            try:
                status, headers, _ = self.browser.post(self.base, url, form)
            except BROKEN:
                status, headers = None, {}
            if status == 302 and headers.get("Location", "").endswith("/my"):
                record["ok"] = True
                break
            time.sleep(pause)
        if record["ok"] and resubmit:  # the person presses Submit again on the same page (double click, back button)
            status, headers, _ = self._retrying(lambda: self.browser.post(self.base, url, form), attempts, pause)
            record["resubmitted"] = status == 302
        return record


def _verify(env: dict, records: list[dict]) -> dict:
    """Read the database back through the app (it decrypts) and compare with what the clients were told."""
    os.environ.update(env)
    from sqlalchemy import func, select

    from roundtable import create_app
    from roundtable.db import db
    from roundtable.models import Reflection

    app = create_app()
    with app.app_context():
        mine = Reflection.participant_id.in_({r["participant"] for r in records})
        stored = {r.idempotency_key: r for r in db.session.scalars(select(Reflection).where(mine))}
        texts = db.session.execute(select(Reflection.text).where(mine)).scalars().all()
        acknowledged = [r for r in records if r["ok"]]
        missing = [r["key"] for r in acknowledged
                   if r["key"] not in stored or stored[r["key"]].text != r["text"] or stored[r["key"]].status != "submitted"]
        duplicates = len(texts) - len(set(texts))
        total = db.session.scalar(select(func.count()).select_from(Reflection).where(mine))
    db.session.remove()
    db.engine.dispose()
    return {"acknowledged": len(acknowledged), "stored": total, "missing": len(missing), "duplicates": duplicates,
            "unacknowledged": len(records) - len(acknowledged)}


def kill_workers_during_submissions(server: Server, people: list[dict], prompt_id: int) -> tuple[dict, list[dict]]:
    writers = [Writer(server.base, person, prompt_id) for person in people]
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda w: w.sign_in(), writers))
    killed: list[int] = []
    done = threading.Event()

    def killer():
        for delay in (0.4, 0.8, 0.8):
            if done.wait(delay):
                return
            pids = server.worker_pids()
            if pids:
                victim = random.choice(pids)
                os.kill(victim, signal.SIGKILL)
                killed.append(victim)

    def work(index: int) -> list[dict]:
        writer = writers[index]
        return [writer.submit(f"Pagninilay {index}-{n}: dapat makinig ang korte sa mga bata.", resubmit=(index + n) % 4 == 0)
                for n in range(3)]

    thread = threading.Thread(target=killer)
    started = time.monotonic()
    thread.start()
    with ThreadPoolExecutor(16) as pool:
        records = [r for batch in pool.map(work, range(len(writers))) for r in batch]
    done.set()
    thread.join()
    return {
        "participants": len(writers), "submissions": len(records), "workers_killed": len(killed),
        "resubmitted_same_form": sum(1 for r in records if r.get("resubmitted")),
        "retried_after_error": sum(1 for r in records if r["tries"] > 1),
        "seconds": round(time.monotonic() - started, 1),
    }, records


def double_clicks(server: Server, people: list[dict], prompt_id: int) -> tuple[dict, list[dict]]:
    writers = [Writer(server.base, person, prompt_id) for person in people]
    for writer in writers:
        writer.sign_in()
    with ThreadPoolExecutor(max_workers=len(writers)) as pool:
        records = [record for batch in pool.map(
            lambda pair: [pair[1].double_click(f"Pagninilay {pair[0]}-{n}: dapat makinig ang korte.")
                          for n in range(DOUBLE_CLICKS_EACH)], enumerate(writers)) for record in batch]
    answers = [answer for record in records for answer in record["answers"]]
    return {"participants": len(writers), "forms_sent_twice": len(records),
            "answers_other_than_thank_you": sum(answer != "thank you" for answer in answers)}, records


def _pg(action: str) -> None:
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action]
                   + (["-m", "fast"] if action == "stop" else []), check=True, timeout=60)


def database_restart_during_load(server: Server, people: list[dict], prompt_id: int, down_seconds: float) -> tuple[dict, list[dict]]:
    readers = [Writer(server.base, person, prompt_id) for person in people[:6]]
    writers = [Writer(server.base, person, prompt_id) for person in people[6:]]
    for w in readers + writers:
        w.sign_in()
    master = server.process.pid
    phase = {"name": "before"}
    seen: dict[str, dict[str, int]] = {}
    lock = threading.Lock()
    stop = threading.Event()

    def note(kind: str) -> None:
        with lock:
            bucket = seen.setdefault(phase["name"], {})
            bucket[kind] = bucket.get(kind, 0) + 1

    def read(reader: Writer) -> None:
        while not stop.is_set():
            try:
                status, _, body = reader.browser.get(server.base, "/my")
            except BROKEN:
                note("connection error")
                continue
            if status == 503:
                note("503 in Filipino" if FIL_503 in body and '<html lang="fil">' in body else "503 other")
            else:
                note(str(status))
            time.sleep(0.05)

    records: list[dict] = []

    def write(writer: Writer, index: int) -> None:
        n = 0
        while not stop.is_set():
            record = writer.submit(f"Pagninilay {index}-db-{n}: ang paghilom ay pakikinig.", resubmit=False,
                                   attempts=200, pause=0.25)
            with lock:
                records.append(record)
            n += 1

    threads = [threading.Thread(target=read, args=(r,)) for r in readers]
    threads += [threading.Thread(target=write, args=(w, i)) for i, w in enumerate(writers)]
    for t in threads:
        t.start()
    health_while_down = None
    try:
        time.sleep(2)
        phase["name"] = "stopping"
        _pg("stop")
        phase["name"] = "down"
        time.sleep(down_seconds / 2)
        try:
            health_while_down = Browser().get(server.base, "/healthz")[0]
        except BROKEN:
            health_while_down = "connection error"
        time.sleep(down_seconds / 2)
        phase["name"] = "starting"
    finally:
        _pg("start")
    started = time.monotonic()
    phase["name"] = "recovering"
    recovered = None
    while time.monotonic() - started < 60:
        try:
            if Browser().get(server.base, "/healthz")[0] == 200:
                recovered = round(time.monotonic() - started, 2)
                break
        except BROKEN:
            pass
        time.sleep(0.1)
    phase["name"] = "after"
    time.sleep(3)
    stop.set()
    for t in threads:
        t.join(timeout=90)
    return {
        "down_seconds": down_seconds, "healthz_while_down": health_while_down,
        "recovered_after_seconds": recovered, "gunicorn_restarted": server.process.pid != master or server.process.poll() is not None,
        "responses_by_phase": seen,
    }, records


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--participants", type=int, default=40)
    parser.add_argument("--down-seconds", type=float, default=6)
    parser.add_argument("--report", type=Path)
    parser.add_argument("--workdir", type=Path, required=True)
    args = parser.parse_args()

    env = production_env(args.database_url, "memory://", args.workdir / "instance")
    env["RATELIMIT_ENABLED"] = "false"  # every client comes from 127.0.0.1 here; limits are tested elsewhere
    seeded = migrate_and_seed(env)
    out = subprocess.run([PYTHON, "-c", SEED_PARTICIPANTS, str(args.participants + 16 + DOUBLE_CLICKERS)], env=env, cwd=ROOT,
                         check=True, capture_output=True, text=True, timeout=300)
    people = json.loads(out.stdout.strip().splitlines()[-1])

    server = Server(env, workers=3, log=args.workdir / "gunicorn.log")
    report: dict = {}
    try:
        server.wait_until_healthy()
        report["double_clicks"], records0 = double_clicks(server, people[-DOUBLE_CLICKERS:], seeded["prompt_id"])
        report["kill_workers"], records1 = kill_workers_during_submissions(server, people[:args.participants], seeded["prompt_id"])
        report["database_restart"], records2 = database_restart_during_load(
            server, people[args.participants:-DOUBLE_CLICKERS], seeded["prompt_id"], args.down_seconds)
    finally:
        server.stop()
    report["double_clicks"].update(_verify(env, records0))
    report["kill_workers"].update(_verify(env, records1))
    report["database_restart"].update(_verify(env, records2))

    problems = []
    if report["double_clicks"]["answers_other_than_thank_you"]:
        problems.append(f"double_clicks: {report['double_clicks']['answers_other_than_thank_you']} answer(s) "
                        "were not the thank-you page")
    for name in ("double_clicks", "kill_workers", "database_restart"):
        part = report[name]
        if part["missing"]:
            problems.append(f"{name}: {part['missing']} acknowledged submission(s) missing")
        if part["duplicates"]:
            problems.append(f"{name}: {part['duplicates']} submission(s) stored twice")
    if report["kill_workers"]["workers_killed"] == 0:
        problems.append("kill_workers: no worker was killed (load finished too fast)")
    db = report["database_restart"]
    if not db["responses_by_phase"].get("down", {}).get("503 in Filipino"):
        problems.append("database_restart: no friendly Filipino 503 page seen while the database was down")
    errors = {phase: counts["500"] for phase, counts in db["responses_by_phase"].items() if counts.get("500")}
    if errors:
        problems.append(f"database_restart: server errors (500) instead of the 503 page: {errors}")
    log = (args.workdir / "gunicorn.log").read_text(errors="replace")
    unexpected = log.count("unexpected error on ") + log.count("] ERROR in app: Exception on ")
    if unexpected:
        problems.append(f"{unexpected} request(s) ended in a server error (see the gunicorn log)")
    if db["healthz_while_down"] != 503:
        problems.append(f"database_restart: /healthz answered {db['healthz_while_down']} while the database was down")
    if db["recovered_after_seconds"] is None or db["recovered_after_seconds"] > 15:
        problems.append("database_restart: did not recover within 15 s of the database coming back")
    if db["gunicorn_restarted"]:
        problems.append("database_restart: gunicorn master was restarted or died")
    report["problems"] = problems
    text = json.dumps(report, indent=2)
    print(text)
    if args.report:
        args.report.write_text(text + "\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
