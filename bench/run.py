"""Benchmark Roundtable on PostgreSQL with years of data, against a bare Flask hello-world, in one run.

Called by bench/run.sh (which creates the database). Writes docs/benchmarks.md. Never run in CI.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from roundtable.services.curation import SEARCHED_ROWS  # noqa: E402
from tests.deployment.live import (  # noqa: E402
    GUNICORN, PYTHON, Browser, csrf_of, free_port, production_env,
)
from yardstick import YARDSTICK, yardstick_us  # noqa: E402  (bench/, the script's own folder)

TARGETS = {
    "participant_ratio": 0.35,   # participant writing page ≥ 35 % of hello-world's requests/s
    "staff_p95_ms": 50.0,        # staff lists p95 < 50 ms
    "csv_seconds": 2.0,          # CSV export of 10,000 quotes < 2 s
    "docx_seconds": 5.0,         # DOCX of 1,000 quotes < 5 s
    "worker_mb": 200.0,          # peak worker memory < 200 MB
}


TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


def _stat(pid: int | str) -> tuple[str, list[str]]:
    """The command name and the fields after it in /proc/PID/stat (field 3, the state, comes first)."""
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.index("(") + 1:text.rindex(")")], text[text.rindex(")") + 1:].split()


def cpu_seconds(pid: int | str, *, own: bool = True, reaped_children: bool = False) -> float:
    """CPU time (user + system) a process used itself and/or the children it has waited for."""
    fields = _stat(pid)[1]
    ticks = (int(fields[11]) + int(fields[12]) if own else 0) + (
        int(fields[13]) + int(fields[14]) if reaped_children else 0)
    return ticks / TICKS_PER_SECOND


def postgres_cpu_seconds() -> float:
    """Every PostgreSQL process on this machine, with the backends that have already ended."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if _stat(entry.name)[0] == "postgres":
                    total += cpu_seconds(entry.name, reaped_children=True)
            except (OSError, ValueError):
                continue  # the process ended while we looked
    return total


class Gunicorn:
    def __init__(self, env: dict, app: str, log: Path, pythonpath: str | None = None) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        command = [GUNICORN, "-c", str(ROOT / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{self.port}"]
        if pythonpath:
            command += ["--pythonpath", pythonpath]
        self.log = open(log, "ab")
        self.process = subprocess.Popen(command + [app], env=env, cwd=ROOT, stdout=self.log, stderr=self.log,
                                        start_new_session=True)
        self.peak_kb = 0
        self._stop = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)

    def wait(self, path: str = "/healthz") -> None:
        for _ in range(300):
            try:
                with urllib.request.urlopen(self.base + path, timeout=2) as response:
                    if response.status == 200:
                        self._sampler.start()
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start; see the log")

    def workers(self) -> list[int]:
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.process.pid)], capture_output=True, text=True)
        return [int(p) for p in out.stdout.split()]

    def cpu_seconds(self) -> float:
        """CPU time of all workers so far, recycled ones included (the master has waited for those)."""
        total = cpu_seconds(self.process.pid, own=False, reaped_children=True)
        for pid in self.workers():
            try:
                total += cpu_seconds(pid)
            except OSError:
                continue  # recycled while we looked
        return total

    def _sample(self) -> None:
        """Peak resident memory of any worker (VmHWM survives between samples; workers may be recycled)."""
        while not self._stop.wait(0.2):
            for pid in self.workers():
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                match = re.search(r"VmHWM:\s+(\d+) kB", status)
                if match:
                    self.peak_kb = max(self.peak_kb, int(match.group(1)))

    def stop(self) -> None:
        self._stop.set()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=60)
        self.log.close()


WORKERS = 2
STAFF_LISTS = ("facilitator moderation list", "editor quote list", "editor reflections list")
HELLO_DB = "bare Flask hello-world after one SELECT 1 (Roundtable's engine settings)"
FLOORS = (HELLO_DB, "/healthz (the whole middleware, one database ping)",
          "participant help page (signed in, no query of its own)")
UNQUEUED = f" ({WORKERS} connections)"

ANALYSIS_MARKER = "<!-- analysis (hand-written, kept by bench/run.py) -->"

WRK_P95 = """
done = function(summary, latency, requests)
  io.write(string.format("P95_US %d\\n", latency:percentile(95)))
end
"""


def psql(database_url: str, sql: str) -> str:
    """One statement through psql; its output without alignment or headers."""
    return subprocess.run(["psql", "-tA", "-c", sql, database_url.replace("+psycopg", "")], capture_output=True,
                          text=True, check=True).stdout.strip()


def wrk_with_p95(url: str, cookie: str | None, seconds: int, connections: int, script: Path) -> dict:
    """wrk --latency prints 50/75/90/99 %; a tiny Lua ``done`` hook adds the 95th percentile."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script),
               "-H", "X-Forwarded-Proto: https"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    return wrk_parse(out)


def median_of(runs: list[dict]) -> dict:
    """One figure per metric from repeated runs: the median, so one disturbed run does not decide."""
    merged = {key: round(statistics.median(run[key] for run in runs), 2) for key in ("rps", "p50", "p95", "p99")}
    merged.update(non_2xx=sum(run["non_2xx"] for run in runs), requests=sum(run["requests"] for run in runs),
                  runs=len(runs))
    return merged


def cpu_times() -> list[int]:
    """user, nice, system, idle, iowait, irq, softirq, steal (in clock ticks, all cores) from /proc/stat."""
    return [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]


def wrk_parse(out: str) -> dict:
    unit = {"us": 0.001, "ms": 1.0, "s": 1000.0}

    def latency(percent: str) -> float:
        value, suffix = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return round(float(value) * unit[suffix], 2)

    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": latency("50"), "p95": round(int(re.search(r"P95_US (\d+)", out).group(1)) / 1000, 2),
        "p99": latency("99"),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "non_2xx": int(bad.group(1)) if bad else 0, "socket_errors": errors.group(1) if errors else "",
    }


def session_cookie(browser: Browser) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in browser.cookies)


def staff_browser(base: str, username: str, password: str, totp_secret: str) -> Browser:
    """Signed in as a real staff member is: the password, then (editors, administrators) a code of the next step."""
    import pyotp

    browser = Browser()
    _, _, page = browser.get(base, "/login")
    status, headers, body = browser.post(base, "/login", {"username": username, "password": password,
                                                          "csrf_token": csrf_of(page)})
    assert status == 302, body[:500]
    if headers.get("Location", "").endswith("/login/code"):
        _, _, page = browser.get(base, "/login/code")
        status, headers, body = browser.post(base, "/login/code", {
            "code": pyotp.TOTP(totp_secret).at(time.time() + 30), "csrf_token": csrf_of(page)})
        assert status == 302 and not headers.get("Location", "").endswith("/login/code"), body[:500]
    return browser


def _timings(times: list[float], sizes: list[int]) -> dict:
    """A single request timed ``len(times)`` times: median and slowest, and the last answer's size."""
    return {"median_s": round(statistics.median(times), 2), "max_s": round(max(times), 2), "runs": len(times),
            "bytes": sizes[-1]}


def timed_export(browser: Browser, base: str, fields: dict, runs: int) -> dict:
    times, sizes = [], []
    for _ in range(runs):
        _, _, page = browser.get(base, "/editor/export")
        data = {"roundtable": "0", "theme": "0", "language": "", **fields, "csrf_token": csrf_of(page)}
        started = time.perf_counter()
        status, headers, body = browser.request(base, "/editor/export", data, timeout=120)
        times.append(time.perf_counter() - started)
        assert status == 200, (status, body[:300])
        sizes.append(len(body.encode("utf-8", "surrogateescape")))
    return _timings(times, sizes)


def timed_search(browser: Browser, base: str, path: str, words: str, runs: int) -> dict:
    """An editor's list with words to look for: every row the list holds (up to ``curation.SEARCHED_ROWS``) is
    decrypted and looked through."""
    import urllib.parse

    times, sizes = [], []
    for _ in range(runs):
        started = time.perf_counter()
        status, _, body = browser.get(base, path + "?" + urllib.parse.urlencode({"words": words}))
        times.append(time.perf_counter() - started)
        assert status == 200, (status, body[:300])
        sizes.append(len(body.encode("utf-8")))
    return _timings(times, sizes)


def timed_binary_export(browser: Browser, base: str, fields: dict, runs: int) -> dict:
    import urllib.parse

    times, sizes = [], []
    for _ in range(runs):
        _, _, page = browser.get(base, "/editor/export")
        data = {"roundtable": "0", "theme": "0", "language": "", **fields, "csrf_token": csrf_of(page)}
        request = urllib.request.Request(base + "/editor/export", data=urllib.parse.urlencode(data).encode(),
                                         headers={"X-Forwarded-Proto": "https"})
        started = time.perf_counter()
        with browser.opener.open(request, timeout=120) as response:
            body = response.read()
        times.append(time.perf_counter() - started)
        assert body[:2] == b"PK", body[:100]
        sizes.append(len(body))
    return _timings(times, sizes)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--faults-json", type=Path)
    parser.add_argument("--export-runs", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=3, help="wrk runs per page; the median is reported")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args()

    env = production_env(args.database_url, "memory://", args.workdir / "instance")
    env["GUNICORN_WORKERS"] = str(WORKERS)
    env["GUNICORN_ACCESS_LOG"] = str(args.workdir / "access.log")
    # Exports of 10,000 quotes currently take longer than the production timeout of 60 s (see benchmarks.md);
    # a longer timeout here lets the bench measure them instead of recording a killed worker.
    env["GUNICORN_TIMEOUT"] = "300"
    script = args.workdir / "p95.lua"
    script.write_text(WRK_P95)

    print("== migrate and seed (100,000 reflections, 10,000 quotes)", flush=True)
    subprocess.run([PYTHON, "-m", "flask", "--app", "roundtable", "migrate"], env=env, cwd=ROOT, check=True)
    seeded = json.loads(subprocess.run([PYTHON, str(ROOT / "bench" / "seed.py")], env=env, cwd=ROOT, check=True,
                                       stdout=subprocess.PIPE, text=True).stdout.strip().splitlines()[-1])
    print(json.dumps(seeded), flush=True)
    psql(args.database_url, "VACUUM ANALYZE")

    results: dict = {"seeded": seeded, "yardstick_us": yardstick_us()}
    cpu_before = cpu_times()

    def measure(server: Gunicorn, path: str, cookie: str | None, connections: int) -> dict:
        """wrk's figures, and the CPU time each request cost the workers and PostgreSQL. CPU time is what
        a page costs whatever else the machine does; requests/s and latency move with the machine's hour."""
        url = server.base + path
        wrk_with_p95(url, cookie, 3, connections, script)  # warm up
        workers, postgres = server.cpu_seconds(), postgres_cpu_seconds()
        result = median_of([wrk_with_p95(url, cookie, args.seconds, connections, script) for _ in range(args.repeats)])
        done = result["requests"] or float("nan")  # none finished in a short run on a busy machine: no figure
        result["worker_cpu_ms"] = round(1000 * (server.cpu_seconds() - workers) / done, 3)
        result["postgres_cpu_ms"] = round(1000 * (postgres_cpu_seconds() - postgres) / done, 3)
        return result

    print("== hello-world", flush=True)
    hello = Gunicorn(env, "hello:app", args.workdir / "hello.log", pythonpath=str(ROOT / "bench"))
    try:
        hello.wait("/")
        results["hello"] = measure(hello, "/", None, args.connections)
        results[HELLO_DB] = measure(hello, "/db", None, args.connections)
        results["hello"]["peak_worker_mb"] = round(hello.peak_kb / 1024, 1)
    finally:
        hello.stop()

    print("== roundtable", flush=True)
    app = Gunicorn(env, "wsgi:app", args.workdir / "roundtable.log")
    try:
        app.wait()
        writer = Browser()
        _, _, page = writer.get(app.base, "/return")
        status, _, _ = writer.post(app.base, "/return", {"passphrase": seeded["writer"]["passphrase"],
                                                         "csrf_token": csrf_of(page)})
        assert status == 302
        facilitator = staff_browser(app.base, seeded["facilitator"], seeded["password"], seeded["totp_secret"])
        editor = staff_browser(app.base, seeded["editor"], seeded["password"], seeded["totp_secret"])
        pages = {
            "participant writing page": (f"/write/{seeded['writer']['prompt_id']}", writer),
            "facilitator moderation list": ("/facilitator/moderation", facilitator),
            "editor quote list": ("/editor/quotes", editor),
            "editor reflections list": ("/editor/", editor),
        }
        floors = {
            "/healthz (the whole middleware, one database ping)": ("/healthz", Browser()),
            "participant help page (signed in, no query of its own)": ("/support", writer),
        }
        for name, (path, browser) in {**pages, **floors}.items():
            print(f"   {name}", flush=True)
            status, _, body = browser.get(app.base, path)
            assert status == 200, (name, status, body[:300])
            results[name] = measure(app, path, session_cookie(browser), args.connections)
        # Latency as one staff member sees it when the server is busy but not queueing: one connection per
        # worker. With 8 connections on 2 workers every request also waits for about 3 others.
        for name in STAFF_LISTS:
            path, browser = pages[name]
            results[name + UNQUEUED] = measure(app, path, session_cookie(browser), WORKERS)
        print("   exports", flush=True)
        for name, call in (
            ("csv export (10,000 quotes)", lambda: timed_export(editor, app.base, {"format": "csv"}, args.export_runs)),
            ("docx export (1,000 quotes)", lambda: timed_binary_export(
                editor, app.base, {"format": "docx", "theme": str(seeded["docx_theme_id"])}, args.export_runs)),
            ("quote search", lambda: timed_search(editor, app.base, "/editor/quotes", "court", 5)),
            ("reflection search", lambda: timed_search(editor, app.base, "/editor/", "court", 5)),
        ):
            try:
                results[name] = call()
            except Exception as problem:  # record it; the rest of the run still counts
                results[name] = {"median_s": float("nan"), "max_s": float("inf"), "runs": 0, "bytes": 0,
                                 "error": f"{type(problem).__name__}: {problem}"[:200]}
            print(f"   {name}: {results[name]}", flush=True)
        print("   every page, once", flush=True)
        admin = staff_browser(app.base, seeded["admin"], seeded["password"], seeded["totp_secret"])
        results["census"] = census(app.base, env, args.database_url, {
            "participant": writer, "facilitator": facilitator, "editor": editor, "admin": admin})
        time.sleep(0.5)
        results["peak_worker_mb"] = round(app.peak_kb / 1024, 1)
        spent = [after - before for after, before in zip(cpu_times(), cpu_before)]
        results["steal_percent"] = round(100 * spent[7] / max(1, sum(spent)), 1)
    finally:
        app.stop()
    results["purge"] = timed_purge(env, args.database_url)
    print(f"   purge: {results['purge']}", flush=True)

    faults = json.loads(args.faults_json.read_text()) if args.faults_json and args.faults_json.exists() else None
    kept = ""  # a hand-written analysis after the marker survives re-runs
    if args.out.exists() and ANALYSIS_MARKER in args.out.read_text():
        kept = args.out.read_text().split(ANALYSIS_MARKER, 1)[1]
    args.out.write_text(render(results, faults, args) + ANALYSIS_MARKER + kept)
    print(f"wrote {args.out}")
    return 0


ROUTES = """
import json
from roundtable import create_app
from roundtable.access import audience_of
app = create_app()
with app.app_context():
    print(json.dumps([[rule.rule, list(audience_of(rule.endpoint))] for rule in app.url_map.iter_rules()
                      if "GET" in rule.methods and rule.endpoint != "static"]))
"""
# One real row for each argument of a URL: the signed-in participant's own roundtable, question and reflection
# (released and quoted, so every role may open it), the first quote and the first staff account.
SAMPLE_IDS = {
    "roundtable_id": "SELECT roundtable_id FROM participants ORDER BY id LIMIT 1",
    "prompt_id": "SELECT min(prompt_id) FROM reflections WHERE participant_id = (SELECT min(id) FROM participants)",
    "reflection_id": "SELECT min(reflection_id) FROM quotes JOIN reflections ON reflections.id = quotes.reflection_id "
                     "WHERE participant_id = (SELECT min(id) FROM participants)",
    "quote_id": "SELECT min(id) FROM quotes",
    "user_id": "SELECT min(id) FROM users",
    "export_id": "SELECT min(id) FROM exports",
}
CENSUS_SHOWN = 12


def census(base: str, env: dict, database_url: str, browsers: dict[str, Browser]) -> list[dict]:
    """Every page a GET reaches, as each of its audiences sees it on years of data: the best of three single
    requests, after two that warm the workers up. Public pages are asked by a new anonymous browser each time
    (``/exit`` ends the session it is given)."""
    routes = json.loads(subprocess.run([PYTHON, "-c", ROUTES], env=env, cwd=ROOT, check=True, capture_output=True,
                                       text=True).stdout.strip().splitlines()[-1])
    ids = {name: psql(database_url, sql) for name, sql in SAMPLE_IDS.items()}
    ids["code"] = "en"
    pages = []
    for rule, audience in routes:
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda match: ids[match.group(1)], rule)
        for who in [who for who in browsers if who in audience] or ["anonymous"]:
            best, status = float("inf"), 0
            for attempt in range(5):  # the first two warm both workers up (templates, prepared statements)
                browser = browsers.get(who) or Browser()
                started = time.perf_counter()
                status, _, _ = browser.get(base, path)
                if attempt >= 2:
                    best = min(best, time.perf_counter() - started)
            pages.append({"who": who, "path": path, "status": status, "ms": round(best * 1000, 1)})
    return sorted(pages, key=lambda page: -page["ms"])


def timed_purge(env: dict, database_url: str) -> dict:
    """The daily purge after a long outage of its timer: half the roundtables past their date at once. Last, as
    it erases data the pages above read. Timed as cron runs it, the command's start-up included."""
    roundtables = int(psql(database_url, "WITH past AS (UPDATE roundtables SET retention_until = current_date - 1 "
                           "WHERE id IN (SELECT id FROM roundtables ORDER BY id LIMIT 20) RETURNING id) "
                           "SELECT count(*) FROM past"))
    started = time.perf_counter()
    subprocess.run([PYTHON, "-m", "flask", "--app", "roundtable", "purge-expired"], env=env, cwd=ROOT, check=True,
                   capture_output=True)
    seconds = round(time.perf_counter() - started, 2)
    return {"roundtables": roundtables, "seconds": seconds,
            "reflections": int(psql(database_url, "SELECT count(*) FROM reflections WHERE status = 'purged'"))}


def _size(count: int) -> str:
    return f"{count / 1e6:.1f} MB" if count >= 1e6 else f"{count / 1e3:.0f} kB"


def _mark(ok: bool) -> str:
    return "met" if ok else "**not met**"


def render(r: dict, faults: dict | None, args) -> str:
    hello = r["hello"]
    unusual = ", ".join(sorted({f"`{page['path']}` {page['status']}" for page in r["census"] if page["status"] != 200}))
    cpu = ""
    try:
        cpu = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text()).group(1)
    except (OSError, AttributeError):
        pass
    pg = psql(args.database_url, "SHOW server_version")
    lines = [
        "# Benchmarks",
        "",
        "Measured by `bench/run.sh` (not run in CI) on "
        f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC: {os.cpu_count()} CPU cores ({cpu}), "
        f"PostgreSQL {pg}, Python {platform.python_version()}. gunicorn with `gunicorn.conf.py` and 2 sync workers, "
        f"`wrk -t2 -c{args.connections} -d{args.seconds}s --latency` on the same machine (wrk, PostgreSQL and gunicorn "
        f"share the cores). Each page was warmed up for 3 s, then measured {args.repeats} times; every figure below is "
        "the median of those runs, except CPU time per request: the gunicorn workers' (and all PostgreSQL "
        "processes') user + system time over all runs, from /proc, divided by the requests served. "
        "Logged-in pages send the session cookie of a real sign-in. "
        f"CPU time stolen by the host during the run: {r['steal_percent']} % (on a shared virtual machine the "
        "same code can measure 20–30 % apart from one run to the next). "
        f"Plain Python on this machine, before the run: `{YARDSTICK}` took {r['yardstick_us']} µs "
        "(compare runs on different machines by this).",
        "",
        f"Data: {r['seeded']['reflections']:,} reflections, {r['seeded']['quotes']:,} approved quotes, "
        f"{r['seeded']['participants']:,} participants in 40 roundtables, {r['seeded']['audit_events']:,} audit events "
        f"and {r['seeded']['exports']:,} past exports of 2,000 quotes each; every text is a real Fernet token "
        f"(seeded in {r['seeded']['seed_seconds']} s).",
        "",
        "| page | requests/s | × hello-world | p50 ms | p95 ms | p99 ms | non-2xx | worker CPU ms/request "
        "| PostgreSQL CPU ms/request |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    def row(name: str, label: str) -> str:
        m = r[name]
        return (f"| {label} | {m['rps']:.0f} | {m['rps'] / hello['rps']:.0%} | {m['p50']} | {m['p95']} | "
                f"{m['p99']} | {m['non_2xx']} | {m['worker_cpu_ms']:.2f} | {m['postgres_cpu_ms']:.2f} |")

    lines.append(row("hello", "bare Flask hello-world"))
    lines += [row(name, name) for name in ("participant writing page", *STAFF_LISTS)]
    lines += [
        "",
        f"The same staff lists with one connection per worker (`-c{WORKERS}`): busy, but no request waits for another.",
        "",
        "| page | requests/s | p50 ms | p95 ms | p99 ms | non-2xx |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name in STAFF_LISTS:
        m = r[name + UNQUEUED]
        lines.append(f"| {name} | {m['rps']:.0f} | {m['p50']} | {m['p95']} | {m['p99']} | {m['non_2xx']} |")
    lines += [
        "",
        "Floors: what any page of this application costs before its own work, measured the same way.",
        "",
        "| page | requests/s | × hello-world | p50 ms | p95 ms | p99 ms | non-2xx | worker CPU ms/request "
        "| PostgreSQL CPU ms/request |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [row(name, name) for name in FLOORS]
    csv_, docx = r["csv export (10,000 quotes)"], r["docx export (1,000 quotes)"]
    search, reflection_search = r["quote search"], r["reflection search"]
    lines += [
        "",
        f"| single requests (exports: {args.export_runs} run(s) each) | median s | slowest s | size |",
        "|---|---:|---:|---:|",
        f"| CSV of {r['seeded']['quotes']:,} quotes | {csv_['median_s']} | {csv_['max_s']} | {_size(csv_['bytes'])} |",
        f"| DOCX of 1,000 quotes | {docx['median_s']} | {docx['max_s']} | {_size(docx['bytes'])} |",
        f"| quote list holding “court”, looked for in {r['seeded']['quotes']:,} quotes ({search['runs']} runs) | "
        f"{search['median_s']} | {search['max_s']} | {_size(search['bytes'])} |",
        f"| reflection list holding “court”, looked for in the newest {SEARCHED_ROWS:,} of "
        f"{r['seeded']['reflections']:,} reflections ({reflection_search['runs']} runs) | "
        f"{reflection_search['median_s']} | {reflection_search['max_s']} | {_size(reflection_search['bytes'])} |",
    ]
    for name, m in (("CSV export", csv_), ("DOCX export", docx), ("Quote search", search),
                    ("Reflection search", reflection_search)):
        if m.get("error"):
            lines.append(f"\n{name} failed: `{m['error']}`")
    lines += [
        "",
        f"Peak worker memory (VmHWM, sampled every 0.2 s over the whole Roundtable run): {r['peak_worker_mb']} MB "
        f"(hello-world worker: {hello['peak_worker_mb']} MB).",
        "",
        f"Every page a GET reaches ({len(r['census'])} pages and audiences), one request at a time on the data above, "
        f"best of three; the {CENSUS_SHOWN} slowest (status other than 200: "
        f"{unusual or 'none'}):",
        "",
        "| page | as | ms | status |",
        "|---|---|---:|---:|",
        *[f"| `{p['path']}` | {p['who']} | {p['ms']} | {p['status']} |" for p in r["census"][:CENSUS_SHOWN]],
        "",
        f"Retention purge (`flask --app roundtable purge-expired`, as cron runs it, start-up included) with "
        f"{r['purge']['roundtables']} roundtables past their date at once: {r['purge']['reflections']:,} reflections "
        f"erased in {r['purge']['seconds']} s.",
        "",
        "## Targets",
        "",
        "| target | measured | |",
        "|---|---|---|",
    ]
    ratio = r["participant writing page"]["rps"] / hello["rps"]
    ratio_db = r["participant writing page"]["rps"] / r[HELLO_DB]["rps"]
    staff = max(r[n]["p95"] for n in STAFF_LISTS)
    unqueued = max(r[n + UNQUEUED]["p95"] for n in STAFF_LISTS)
    lines += [
        f"| participant writing page ≥ 35 % of hello-world | {ratio:.0%} | {_mark(ratio >= TARGETS['participant_ratio'])} |",
        f"| (for comparison, not a target: the same page against the hello-world after one `SELECT 1`) | "
        f"{ratio_db:.0%} | |",
        f"| staff lists p95 < 50 ms, {args.connections} connections | worst p95 {staff} ms | "
        f"{_mark(staff < TARGETS['staff_p95_ms'])} |",
        f"| staff lists p95 < 50 ms, {WORKERS} connections (one per worker) | worst p95 {unqueued} ms | "
        f"{_mark(unqueued < TARGETS['staff_p95_ms'])} |",
        f"| CSV export of 10,000 quotes < 2 s | {csv_['max_s']} s (slowest) | {_mark(csv_['max_s'] < TARGETS['csv_seconds'])} |",
        f"| DOCX export of 1,000 quotes < 5 s | {docx['max_s']} s (slowest) | {_mark(docx['max_s'] < TARGETS['docx_seconds'])} |",
        f"| peak worker memory < 200 MB | {r['peak_worker_mb']} MB | {_mark(r['peak_worker_mb'] < TARGETS['worker_mb'])} |",
    ]
    if faults:
        k, d = faults["kill_workers"], faults["database_restart"]
        down = d["responses_by_phase"].get("down", {})
        lines += [
            "",
            "## Fault drills (`scripts/faults.sh`, also run by CI)",
            "",
            "gunicorn with 3 workers on PostgreSQL (database `faults_roundtable`), all on loopback.",
            "",
            *([f"- **double clicks**: {c['participants']} participants each sent a writing form twice at the same "
               f"moment, {c['forms_sent_twice']} forms in all. Answers other than the thank-you page: "
               f"**{c['answers_other_than_thank_you']}**; stored: {c['stored']}; stored twice: **{c['duplicates']}**."]
              if (c := faults.get("double_clicks")) else []),
            f"- **kill -9 of workers during submissions**: {k['participants']} participants submitted {k['submissions']} "
            f"reflections from 16 concurrent clients in {k['seconds']} s while {k['workers_killed']} workers were killed "
            f"with SIGKILL; {k['resubmitted_same_form']} forms were submitted a second time with the same idempotency key "
            f"and {k['retried_after_error']} were retried after a broken connection. Acknowledged: {k['acknowledged']}; "
            f"stored: {k['stored']}; acknowledged but missing: **{k['missing']}**; stored twice: **{k['duplicates']}**.",
            f"- **PostgreSQL stopped for {d['down_seconds']} s during load** (6 readers of *My words*, 10 writers "
            f"submitting and retrying): while it was down every answer was the calm 503 page in Filipino "
            f"({down.get('503 in Filipino', 0)} pages; other answers: "
            f"{ {k2: v for k2, v in down.items() if k2 != '503 in Filipino'} or 'none'}); `/healthz` answered "
            f"{d['healthz_while_down']}. After `pg_ctlcluster … start` returned, `/healthz` was 200 again after "
            f"{d['recovered_after_seconds']} s, with the same gunicorn master (restarted: {d['gunicorn_restarted']}). "
            f"Writers' acknowledged submissions: {d['acknowledged']}; stored: {d['stored']}; missing: **{d['missing']}**; "
            f"stored twice: **{d['duplicates']}**.",
        ]
    lines += [
        "",
        "## How to run",
        "",
        "```sh",
        "apt-get install -y wrk      # once",
        "bench/run.sh                # creates and drops the database bench_roundtable; writes this file",
        "scripts/faults.sh /tmp/faults.json && bench/run.sh /tmp/faults.json   # include fault drill figures",
        "```",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
