"""Load scenario: caseworkers and managers working at once (run by tests/benchmark/run.py).

Staff are signed in before the clock starts: run.py signs in one session per simulated
user and passes the cookies in BENCH_SESSIONS (a JSON file), because a sign-in costs an
Argon2 hash (about 0.3 s of both cores) and 50 of them in the first seconds would measure
the password hashing, not the work. Without BENCH_SESSIONS each user signs in itself.
FastHttpUser (geventhttpclient) because the load generator shares the server's 2 cores:
it spends a fraction of the CPU per request that requests-based HttpUser does.
"""

import json
import os
import re

from locust import FastHttpUser, between, events, task
from requests.cookies import create_cookie

PASSWORD = os.environ.get("BENCH_PASSWORD", "bench-password-2026")
SIGN_IN = {"sign-in page", "sign in"}
# Every request's time, to report the p95 with and without the sign-ins: each simulated
# user signs in once at the start (Argon2, deliberately slow), then works.
TIMES = {"all": [], "working": [], "errors": 0}


@events.request.add_listener
def _record(name, response_time, exception, **kwargs):
    TIMES["all"].append(response_time)
    if name not in SIGN_IN:
        TIMES["working"].append(response_time)
    if exception is not None:
        TIMES["errors"] += 1


def _p95(values):
    values = sorted(values)
    return values[max(0, round(0.95 * len(values)) - 1)] if values else None


@events.quitting.add_listener
def _write_summary(environment, **kwargs):
    out = os.environ.get("BENCH_LOCUST_SUMMARY")
    if out:
        summary = {
            "requests": len(TIMES["all"]),
            "errors": TIMES["errors"],
            "p95_all_ms": _p95(TIMES["all"]),
            "working_requests": len(TIMES["working"]),
            "p95_working_ms": _p95(TIMES["working"]),
        }
        with open(out, "w") as f:
            json.dump(summary, f)


SESSIONS = None


def _signed_in_session(username: str) -> dict | None:
    """The next unused signed-in session's cookies for this username, if run.py made some."""
    global SESSIONS
    if SESSIONS is None:
        path = os.environ.get("BENCH_SESSIONS")
        SESSIONS = json.load(open(path)) if path else {}  # noqa: SIM115
    pool = SESSIONS.get(username) or []
    return pool.pop() if pool else None


class StaffUser(FastHttpUser):
    abstract = True
    wait_time = between(0.5, 2)
    username = ""

    def on_start(self):
        cookies = _signed_in_session(self.username)
        if cookies:
            for name, value in cookies.items():
                self.client.cookiejar.set_cookie(create_cookie(name, value))
        else:
            self.sign_in()
        self.case_urls = re.findall(r'href="(/cases/\d+/)"', self.page("/", "home"))

    def page(self, url: str, name: str) -> str:
        """GET a page; a failure unless it is the page itself (not the sign-in form)."""
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif 'name="password"' in response.text:
                response.failure("sent to the sign-in page")
            else:
                response.success()
            return response.text or ""

    def sign_in(self):
        page = self.client.get("/account/sign-in/", name="sign-in page").text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        self.client.post(
            "/account/sign-in/",
            data={"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": self.host + "/account/sign-in/"},
            name="sign in",
        )


class Caseworker(StaffUser):
    weight = 3
    username = "caseworker"

    @task(3)
    def home(self):
        self.page("/", "home")

    @task(3)
    def open_case(self):
        if self.case_urls:
            url = self.case_urls[hash(self) % len(self.case_urls)]
            self.page(url, "case page")

    @task(1)
    def search(self):
        self.page("/cases/mine/?q=Smith", "my cases search")


class Manager(StaffUser):
    weight = 1
    username = "manager"

    @task(2)
    def all_cases(self):
        self.page("/cases/all/?risk=high", "all cases filtered")

    @task(1)
    def waiting_list(self):
        self.page("/cases/waiting/", "waiting list")

    @task(1)
    def dashboard(self):
        self.page("/reporting/dashboard/", "dashboard")
