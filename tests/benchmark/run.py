"""`make bench`: seed PostgreSQL with 1,000 and 20,000 cases, serve the app with gunicorn
(2 workers, one per core) and measure, over HTTP, p50 / p95 latency and SQL queries per
request for the pages people use most, each compared with /healthz in the same run; time
a new version of the last quarter's return (and its peak memory); run the locust load test
(50 users, 60 s, gunicorn with 4 workers) on the largest database. Writes the measured block
of docs/benchmark.md (between its bench:start and bench:end markers; notes outside stay).

    python tests/benchmark/run.py [--sizes 1000 20000] [--requests 60] [--reuse]
        [--skip-load] [--load-workers 4] [--load-threads 1]

Databases are stk_bench_<size> on BENCH_PG (default postgres://postgres@127.0.0.1:5432);
the cache is BENCH_REDIS_URL (default redis://127.0.0.1:6379/9).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import requests

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
PASSWORD = "bench-password-2026"  # noqa: S105 - synthetic benchmark accounts
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")


def env_for(db: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "stalkingservice.settings.bench",
        "DATABASE_URL": f"{PG}/{db}",
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"),
        "MEDIA_ROOT": str(ROOT / "var" / f"{db}-media"),
    }


def manage(db: str, *args: str, check=True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PY, "manage.py", *args],
        cwd=ROOT,
        env=env_for(db),
        check=check,
        capture_output=True,
        text=True,
    )


def recreate_database(db: str):
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{db}"')


def prepare(db: str, cases: int, reuse: bool) -> dict:
    facts = {}
    if reuse:
        try:
            with psycopg.connect(f"{PG}/{db}") as conn:
                have = conn.execute("SELECT count(*) FROM cases_case").fetchone()[0]
            if have >= cases:
                print(f"[{db}] reusing {have} cases")
                manage(db, "migrate", "--noinput")
                manage(db, "shell", "-c", LONG_TIMELINE_SNIPPET)
                analyze(db)
                return {"seed_seconds": None}
        except psycopg.Error:
            pass
    recreate_database(db)
    manage(db, "migrate", "--noinput")
    started = time.monotonic()
    out = manage(db, "seed_demo", "--cases", str(cases), "--password", PASSWORD)
    facts["seed_seconds"] = time.monotonic() - started
    print(f"[{db}] seeded {cases} cases in {facts['seed_seconds']:.0f}s")
    print(out.stdout[-400:])
    manage(db, "shell", "-c", LONG_TIMELINE_SNIPPET)
    analyze(db)
    return facts


def analyze(db: str):
    """Planner statistics for the freshly bulk-loaded tables. In service, autovacuum keeps
    them; without them PostgreSQL guesses one row per table and picks nested loops that
    take seconds (the caseworker home took 1 s before ANALYZE, 0.1 s after)."""
    with psycopg.connect(f"{PG}/{db}", autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


# A case with 200 timeline entries, for the case page measurement.
LONG_TIMELINE_SNIPPET = """
from cases.models.lifecycle import Case, CaseEvent
from stalkingservice.models import User
from django.utils import timezone
from datetime import timedelta
cw = User.objects.get(username='caseworker')
case = Case.objects.filter(allocated_to=cw).order_by('pk').first()
missing = 200 - case.events.count()
now = timezone.now()
CaseEvent.objects.bulk_create([
    CaseEvent(case=case, kind='note_added', by=cw, summary=f'Bench note {i}',
              at=now - timedelta(hours=i)) for i in range(max(0, missing))])
open('var/bench-case-id', 'w').write(str(case.pk))
"""


def start_server(db: str, workers: int, threads: int = 1) -> subprocess.Popen:
    manage(db, "collectstatic", "--noinput")
    log = open(ROOT / "var" / f"gunicorn-{db}.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [
            PY,
            "-m",
            "gunicorn",
            "stalkingservice.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=env_for(db),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    for _ in range(60):
        try:
            if requests.get(f"{BASE}/healthz", timeout=2).status_code in (200, 503):
                return proc
        except requests.RequestException:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not start; see var/gunicorn-*.log")


def stop_server(proc: subprocess.Popen):
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=30)


def sign_in(username: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{BASE}/account/sign-in/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{BASE}/account/sign-in/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{BASE}/account/sign-in/"},
    )
    if "/account/sign-in/" in response.url:
        raise SystemExit(f"Could not sign in as {username}")
    return session


def measure(session: requests.Session, path: str, n: int) -> dict:
    timings, queries, statuses = [], [], set()
    warm = session.get(BASE + path)  # warm-up
    if warm.history and warm.url.startswith(BASE):
        # A search link is moved out of the address into the session (names never sit
        # in URLs or access logs): time the list page it lands on, as a user sees it.
        path = warm.url[len(BASE) :]
    for _ in range(n):
        started = time.perf_counter()
        response = session.get(BASE + path)
        timings.append((time.perf_counter() - started) * 1000)
        statuses.add(response.status_code)
        queries.append(int(response.headers.get("X-Query-Count", "-1")))
    timings.sort()
    return {
        "path": path,
        "p50": statistics.median(timings),
        "p95": timings[max(0, int(round(0.95 * len(timings))) - 1)],
        "queries": max(queries),
        "status": ",".join(str(s) for s in sorted(statuses)),
    }


def pages(case_id: str, search_name: str) -> list[tuple[str, str, str]]:
    return [
        ("Health check", "anon", "/healthz"),
        ("Caseworker home", "caseworker", "/"),
        ("All cases, filtered (manager)", "manager", "/cases/all/?risk=high&status=active"),
        ("Case search (manager)", "manager", f"/cases/all/?q={search_name}"),
        ("Case page, 200 timeline entries", "caseworker", f"/cases/{case_id}/"),
        ("Manager dashboard", "manager", "/reporting/dashboard/"),
    ]


# Produce a new version of the last complete quarter's return (the demo data finalised
# it, and a finalised version is never recomputed), timed inside the child process, with
# the child's own peak memory (RUSAGE_CHILDREN would report the seeding process's peak).
RETURN_SNIPPET = """
import resource, sys, time
import django
django.setup()
from django.utils import timezone
from reporting import services
from reporting.periods import Quarter
quarter = Quarter.containing(timezone.localdate()).previous().label
ret = services.return_request(quarter=quarter, by=None, reason="Benchmark run")
started = time.monotonic()
ret = services.return_generate(quarter=quarter, version=ret.version, by=None)
seconds = time.monotonic() - started
pdf = ret.file_for("pdf").size
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"RETURN {quarter} {ret.version} {seconds:.2f} {peak:.0f} {pdf}")
"""


def time_return(db: str) -> dict:
    result = subprocess.run(
        [PY, "-c", RETURN_SNIPPET],
        cwd=ROOT,
        env=env_for(db),
        check=False,
        capture_output=True,
        text=True,
    )
    found = re.search(r"RETURN (\S+) (\d+) ([\d.]+) (\d+) (\d+)", result.stdout)
    if result.returncode != 0 or not found:
        return {"ok": False, "error": (result.stderr or result.stdout)[-500:]}
    quarter, version, seconds, peak, pdf = found.groups()
    return {
        "ok": True,
        "quarter": quarter,
        "version": int(version),
        "seconds": float(seconds),
        "peak_mb": int(peak),
        "pdf_kb": int(pdf) / 1024,
    }


def sign_in_sessions(users: int) -> tuple[dict, list[float]]:
    """One signed-in session per simulated user (3 caseworkers to 1 manager, as the
    locustfile's weights), made one after another before the load starts; returns their
    cookies by username and how long each sign-in took (ms)."""
    sessions, times = {"caseworker": [], "manager": []}, []
    for i in range(users + 8):  # a few spare: locust rounds the weights per class
        username = "manager" if i % 4 == 3 else "caseworker"
        started = time.perf_counter()
        session = sign_in(username)
        times.append((time.perf_counter() - started) * 1000)
        sessions[username].append(session.cookies.get_dict())
    return sessions, times


def run_load(db: str, seconds: int, users: int) -> dict:
    csv_prefix = ROOT / "var" / "locust"
    summary_path = ROOT / "var" / "locust-summary.json"
    summary_path.unlink(missing_ok=True)
    sessions, sign_in_ms = sign_in_sessions(users)
    sessions_path = ROOT / "var" / "locust-sessions.json"
    sessions_path.write_text(json.dumps(sessions))
    env = {
        **env_for(db),
        "BENCH_PASSWORD": PASSWORD,
        "BENCH_LOCUST_SUMMARY": str(summary_path),
        "BENCH_SESSIONS": str(sessions_path),
    }
    load_before = os.getloadavg()[0]
    subprocess.run(
        [
            PY,
            "-m",
            "locust",
            "-f",
            str(ROOT / "tests" / "benchmark" / "locustfile.py"),
            "--headless",
            "-u",
            str(users),
            "-r",
            "10",
            "-t",
            f"{seconds}s",
            "--host",
            BASE,
            "--csv",
            str(csv_prefix),
            "--only-summary",
        ],
        cwd=ROOT,
        env=env,
        check=False,
        capture_output=True,
        text=True,
    )
    with open(csv_prefix.parent / "locust_stats.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    failures = (csv_prefix.parent / "locust_failures.csv").read_text().strip().splitlines()[1:]
    return {
        "rows": rows,
        "summary": json.loads(summary_path.read_text()),
        "sign_in_ms": sorted(sign_in_ms),
        "failures": failures,
        "users": users,
        "seconds": seconds,
        "loadavg": (load_before, os.getloadavg()[0]),
    }


P95_TARGET_MS = 150
LOAD_P95_TARGET_MS = 500
RETURN_TARGET_S = 30
START = "<!-- bench:start: written by tests/benchmark/run.py (make bench); edit outside -->"
END = "<!-- bench:end -->"


def _pct(values: list[float], pct: int) -> float:
    values = sorted(values)
    return values[max(0, round(pct / 100 * len(values)) - 1)]


def page_table(rows: list[dict]) -> list[str]:
    health = rows[0]
    out = [
        "| page | p50 ms | p95 ms | queries | p50 / healthz p50 | p95 / healthz p95 | status |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        out.append(
            f"| {row['label']} (`{row['path']}`) | {row['p50']:.1f} | {row['p95']:.1f}"
            f" | {row['queries']} | {row['p50'] / (health['p50'] or 1):.1f}"
            f" | {row['p95'] / (health['p95'] or 1):.1f} | {row['status']} |"
        )
    return out


def load_table(load: dict) -> list[str]:
    out = [
        "| request | requests | failures | p50 ms | p95 ms | max ms | requests/s |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in load["rows"]:
        out.append(
            f"| {row['Name'] or row['Type']} | {row['Request Count']} | {row['Failure Count']}"
            f" | {row['50%']} | {row['95%']} | {float(row['Max Response Time']):.0f}"
            f" | {float(row['Requests/s']):.1f} |"
        )
    return out


def report(args, commit: str, by_size: dict) -> str:
    largest = max(by_size)
    lines = [
        START,
        "",
        f"Measured on commit `{commit}` on {time.strftime('%Y-%m-%d %H:%M', time.gmtime())}"
        f" UTC, on a machine with {os.cpu_count()} cores shared with other work (1-minute load"
        " average given with each run). gunicorn (sync workers), PostgreSQL and Redis on the"
        " same machine; settings `stalkingservice.settings.bench` (production behaviour:"
        " DEBUG off, Argon2, Redis cache). Each page: one warm-up request, then"
        f" {args.requests} sequential requests with `requests`, timed by the client;"
        " `queries` is the most SQL statements any of them ran (`X-Query-Count`).",
    ]
    targets = []
    for size, result in by_size.items():
        rows = result["rows"]
        lines += ["", f"### {size:,} cases", ""]
        facts = [f"gunicorn {args.workers} workers"]
        if result["facts"].get("seed_seconds"):
            facts.append(f"`seed_demo --cases {size}` took {result['facts']['seed_seconds']:.0f} s")
        before, after = result["loadavg"]
        facts.append(f"load average {before:.2f} before the page runs, {after:.2f} after")
        lines += ["; ".join(facts) + ".", "", *page_table(rows)]
        if size == largest:
            for row in rows[1:]:
                targets.append(
                    (
                        f"{row['label']} p95 < {P95_TARGET_MS} ms",
                        row["p95"] < P95_TARGET_MS,
                        f"{row['p95']:.0f} ms",
                    )
                )
    if len(by_size) > 1:
        sizes = sorted(by_size)
        small, big = by_size[sizes[0]]["rows"], by_size[sizes[-1]]["rows"]
        differ = [
            f"{a['label']} ({a['queries']} / {b['queries']})"
            for a, b in zip(small, big, strict=True)
            if a["queries"] != b["queries"]
        ]
        lines += [
            "",
            f"Queries per page the same at {sizes[0]:,} and {sizes[-1]:,} cases: "
            + ("yes, every page." if not differ else "NO: " + ", ".join(differ) + "."),
        ]
        targets.append(
            (
                f"queries per page the same at {sizes[0]:,} and {sizes[-1]:,} cases",
                not differ,
                "same" if not differ else "differ",
            )
        )
    ret = by_size[largest]["ret"]
    if ret:
        lines += ["", f"### Quarterly return ({largest:,} cases)", ""]
        if ret["ok"]:
            lines.append(
                f"A new version of the {ret['quarter']} return (figures, PDF, CSV and JSON)"
                f" took **{ret['seconds']:.1f} s**; peak memory (RSS) of the process"
                f" {ret['peak_mb']} MB; PDF {ret['pdf_kb']:.0f} KB."
            )
            targets.append(
                (
                    f"return < {RETURN_TARGET_S} s",
                    ret["seconds"] < RETURN_TARGET_S,
                    f"{ret['seconds']:.1f} s",
                )
            )
        else:
            lines.append("FAILED:\n\n```\n" + ret["error"] + "\n```")
            targets.append((f"return < {RETURN_TARGET_S} s", False, "failed"))
    load = by_size[largest]["load"]
    if load:
        summary = load["summary"]
        signs = load["sign_in_ms"]
        errors = summary["errors"]
        p95 = summary["p95_all_ms"]
        before, after = load["loadavg"]
        lines += [
            "",
            f"### Load: {load['users']} concurrent users for {load['seconds']} s ({largest:,}"
            " cases)",
            "",
            f"locust (headless, on the same machine), 3 caseworkers to 1 manager, 0.5-2 s"
            f" between requests, 10 users started per second; gunicorn {args.load_workers}"
            f" sync workers x {args.load_threads} thread(s). Load average {before:.2f} before,"
            f" {after:.2f} after. Staff are signed in before the clock starts (one session"
            f" each; {len(signs)} sign-ins one after another took p50 {signs[len(signs) // 2]:.0f}"
            f" ms, p95 {_pct(signs, 95):.0f} ms: Argon2). **{errors} errors; p95 {p95:.0f} ms"
            f" over all {summary['requests']} requests.**",
            "",
            *load_table(load),
        ]
        if load["failures"]:
            lines += ["", "Failures:", "", "```", *load["failures"], "```"]
        targets.append(("load: no error", errors == 0, f"{errors} errors"))
        targets.append(
            (
                f"load p95 < {LOAD_P95_TARGET_MS} ms",
                p95 < LOAD_P95_TARGET_MS,
                f"{p95:.0f} ms",
            )
        )

    lines += ["", "### Targets", "", "| target | result | met |", "|---|---|---|"]
    lines += [f"| {name} | {value} | {'yes' if ok else '**no**'} |" for name, ok, value in targets]
    lines += ["", END]
    return "\n".join(lines)


def write_report(text: str):
    """Replace the measured block of docs/benchmark.md, keeping the notes around it."""
    path = ROOT / "docs" / "benchmark.md"
    old = path.read_text() if path.exists() else ""
    if START in old and END in old:
        new = old[: old.index(START)] + text + old[old.index(END) + len(END) :]
    else:
        new = "# Benchmark\n\nRun it with `make bench`.\n\n" + text + "\n"
    path.write_text(new)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", nargs="+", type=int, default=[1000, 20000])
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--reuse", action="store_true", help="keep seeded databases")
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers for pages")
    parser.add_argument("--load-workers", type=int, default=4)
    parser.add_argument("--load-threads", type=int, default=1)
    parser.add_argument("--load-users", type=int, default=50)
    parser.add_argument("--load-seconds", type=int, default=60)
    args = parser.parse_args()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if dirty:
        commit += " (with uncommitted changes)"
    by_size = {}
    for size in args.sizes:
        db = f"stk_bench_{size}"
        facts = prepare(db, size, args.reuse)
        case_id = (ROOT / "var" / "bench-case-id").read_text().strip()
        server = start_server(db, workers=args.workers)
        load = None
        try:
            sessions = {
                "anon": requests.Session(),
                "caseworker": sign_in("caseworker"),
                "manager": sign_in("manager"),
            }
            rows = []
            before = os.getloadavg()[0]
            for label, who, path in pages(case_id, "Smith"):
                row = measure(sessions[who], path, args.requests)
                row["label"] = label
                rows.append(row)
                print(
                    f"[{size}] {label:35s} p50 {row['p50']:7.1f} ms  p95 {row['p95']:7.1f} ms"
                    f"  queries {row['queries']:3d}  status {row['status']}"
                )
            loadavg = (before, os.getloadavg()[0])
            if size == max(args.sizes) and not args.skip_load:
                stop_server(server)
                server = start_server(db, workers=args.load_workers, threads=args.load_threads)
                load = run_load(db, seconds=args.load_seconds, users=args.load_users)
                print(f"[{size}] load: {load['summary']}")
        finally:
            stop_server(server)
        ret = time_return(db) if size == max(args.sizes) else None
        if ret:
            print(f"[{size}] return: {ret}")
        by_size[size] = {
            "rows": rows,
            "facts": facts,
            "ret": ret,
            "load": load,
            "loadavg": loadavg,
        }
    write_report(report(args, commit, by_size))
    print("Wrote docs/benchmark.md")


if __name__ == "__main__":
    main()
