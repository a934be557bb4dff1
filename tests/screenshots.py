"""`make screenshots`: seed a demo database, serve it, and save PNGs of the key screens to
docs/screenshots/ with Debian's Chromium (Playwright). The README shows them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import requests
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
PORT = 8766
BASE = f"http://127.0.0.1:{PORT}"
DB = os.environ.get("SCREENS_DB", "stk_screens")
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PASSWORD = "screens-password-2026"  # noqa: S105 - synthetic demo accounts
ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "stalkingservice.settings.bench",
    "DATABASE_URL": f"{PG}/{DB}",
    "REDIS_URL": "",
    "MEDIA_ROOT": str(ROOT / "var" / "screens-media"),
}

# (file name, who, path or callable returning a path)
SCREENS = [
    ("01-sign-in.png", None, "/account/sign-in/"),
    ("02-caseworker-home.png", "caseworker", "/"),
    ("03-case-overview.png", "caseworker", "/cases/{pk}/"),
    ("04-case-contact-notes.png", "caseworker", "/cases/{pk}/contact/"),
    ("05-case-risk.png", "caseworker", "/risk/cases/{pk}/"),
    ("06-case-incidents.png", "caseworker", "/risk/cases/{pk}/incidents/"),
    ("07-case-safety-plan.png", "caseworker", "/risk/case/{pk}/safety-plan/"),
    ("08-case-police.png", "caseworker", "/cases/{pk}/police/"),
    ("09-manager-home.png", "manager", "/"),
    ("10-waiting-list.png", "manager", "/cases/waiting/"),
    ("11-high-risk-reviews.png", "manager", "/risk/high-risk-reviews/"),
    ("12-manager-dashboard.png", "manager", "/reporting/dashboard/"),
    ("13-commissioner-returns.png", "commissioner", "/reporting/returns/"),
    ("14-self-referral.png", None, "/referrals/self-referral/"),
]


def manage(*args):
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=ENV, check=True, capture_output=True
    )


_case_pk: list[int] = []


def case_pk(pg) -> int | None:
    """The caseworker's case with the most on it (the first of their list, most recently
    active), found once through their own home page."""
    if not _case_pk:
        pg.goto("/cases/mine/")
        found = re.findall(r'href="/cases/(\d+)/"', pg.content())
        if not found:
            return None
        _case_pk.append(int(found[0]))
    return _case_pk[0]


def main():
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB}"')
    manage("migrate", "--noinput")
    manage("seed_demo", "--cases", "80", "--password", PASSWORD)
    manage("collectstatic", "--noinput")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "stalkingservice.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "2",
        ],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(60):
            try:
                requests.get(f"{BASE}/healthz", timeout=2)
                break
            except requests.RequestException:
                time.sleep(0.5)
        OUT.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path="/usr/bin/chromium",
                headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            contexts = {}
            for name, who, path in SCREENS:
                if who not in contexts:
                    ctx = browser.new_context(
                        base_url=BASE, viewport={"width": 1280, "height": 900}
                    )
                    pg = ctx.new_page()
                    if who:
                        pg.goto("/account/sign-in/")
                        pg.get_by_label("Username").fill(who)
                        pg.get_by_label("Password").fill(PASSWORD)
                        with pg.expect_navigation():
                            pg.get_by_role("button", name="Sign in").click()
                    contexts[who] = pg
                pg = contexts[who]
                if "{pk}" in path:
                    pk = case_pk(pg)
                    if pk is None:
                        print(f"skipped {name}: the caseworker has no case")
                        continue
                    path = path.format(pk=pk)
                response = pg.goto(path)
                if response is None or response.status >= 400:
                    print(f"skipped {name}: {path} -> {response.status if response else '?'}")
                    continue
                pg.screenshot(path=str(OUT / name), full_page=False)
                print(f"saved docs/screenshots/{name}")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
