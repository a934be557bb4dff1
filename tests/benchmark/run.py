"""`make bench`: seed PostgreSQL with 1,000 and 20,000 cases, serve the app with gunicorn
(2 workers, one per core) and measure, over HTTP, p50 / p95 latency and SQL queries per
request for the pages people use most, each compared with /healthz in the same run; time
the quarterly return (and its peak memory); optionally run the locust load test. Writes
docs/benchmark.md.

    python tests/benchmark/run.py [--sizes 1000 20000] [--requests 60] [--skip-load]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
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
    return facts


# A case with 200 timeline entries, for the case page measurement.
LONG_TIMELINE_SNIPPET = """
from cases.models import Case, CaseEvent
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


def start_server(db: str, workers: int) -> subprocess.Popen:
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
    session.get(BASE + path)  # warm-up
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


def time_return(db: str) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.monotonic()
    result = manage(
        db,
        "quarterly_return",
        "--quarter",
        "2026-Q2",
        "--format",
        "pdf",
        "--output",
        str(ROOT / "var" / "bench-return.pdf"),
        check=False,
    )
    seconds = time.monotonic() - started
    peak_mb = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    return {
        "seconds": seconds,
        "peak_mb": peak_mb,
        "ok": result.returncode == 0,
        "error": result.stderr[-300:],
    }


def run_load(db: str, seconds: int = 60, users: int = 50) -> str:
    csv_prefix = ROOT / "var" / "locust"
    env = {**env_for(db), "BENCH_PASSWORD": PASSWORD}
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
    stats = (csv_prefix.parent / "locust_stats.csv").read_text()
    return stats


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", nargs="+", type=int, default=[1000, 20000])
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--reuse", action="store_true", help="keep seeded databases")
    parser.add_argument("--skip-load", action="store_true")
    args = parser.parse_args()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    report = [
        f"# Benchmark\n\nMeasured on commit `{commit}`, {time.strftime('%Y-%m-%d %H:%M')} UTC,"
        f" on {os.cpu_count()} cores; gunicorn with 2 workers, PostgreSQL and Redis"
        f" on the same machine; {args.requests} sequential requests per page.\n"
    ]
    by_size = {}
    for size in args.sizes:
        db = f"stk_bench_{size}"
        facts = prepare(db, size, args.reuse)
        case_id = (ROOT / "var" / "bench-case-id").read_text().strip()
        server = start_server(db, workers=2)
        try:
            sessions = {
                "anon": requests.Session(),
                "caseworker": sign_in("caseworker"),
                "manager": sign_in("manager"),
            }
            rows = []
            for label, who, path in pages(case_id, "Smith"):
                row = measure(sessions[who], path, args.requests)
                row["label"] = label
                rows.append(row)
                print(
                    f"[{size}] {label:35s} p50 {row['p50']:7.1f} ms  p95 {row['p95']:7.1f} ms"
                    f"  queries {row['queries']:3d}  status {row['status']}"
                )
            load = None
            if size == max(args.sizes) and not args.skip_load:
                stop_server(server)
                server = start_server(db, workers=4)
                sign_in("caseworker")
                load = run_load(db)
        finally:
            stop_server(server)
        ret = time_return(db) if size == max(args.sizes) else None
        by_size[size] = (rows, facts, ret, load)

    for size, (rows, facts, ret, load) in by_size.items():
        health = rows[0]["p50"] or 1
        report.append(f"\n## {size:,} cases\n")
        if facts.get("seed_seconds"):
            report.append(f"`seed_demo --cases {size}` took {facts['seed_seconds']:.0f} s.\n")
        report.append("| page | p50 ms | p95 ms | queries | x /healthz (p50) | status |")
        report.append("|---|---:|---:|---:|---:|---|")
        for row in rows:
            report.append(
                f"| {row['label']} (`{row['path']}`) | {row['p50']:.1f} | {row['p95']:.1f}"
                f" | {row['queries']} | {row['p50'] / health:.1f} | {row['status']} |"
            )
        if ret:
            report.append(
                f"\nQuarterly return (PDF, 2026-Q2): {ret['seconds']:.1f} s, peak memory"
                f" {ret['peak_mb']:.0f} MB, {'ok' if ret['ok'] else 'FAILED ' + ret['error']}.\n"
            )
        if load:
            report.append("\n### Load: 50 concurrent users for 60 s (locust, gunicorn 4 workers)\n")
            report.append("```\n" + load.strip() + "\n```\n")
    if len(by_size) > 1:
        sizes = sorted(by_size)
        same = all(
            a["queries"] == b["queries"]
            for a, b in zip(by_size[sizes[0]][0], by_size[sizes[-1]][0], strict=True)
        )
        report.append(
            f"\nQueries per page identical at {sizes[0]:,} and {sizes[-1]:,} cases: "
            f"{'yes' if same else 'NO'}.\n"
        )
    (ROOT / "docs" / "benchmark.md").write_text("\n".join(report) + "\n")
    print("Wrote docs/benchmark.md")


if __name__ == "__main__":
    main()
