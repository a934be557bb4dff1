"""Load scenario: caseworkers and managers working at once (run by tests/benchmark/run.py)."""

import os
import re

from locust import HttpUser, between, task

PASSWORD = os.environ.get("BENCH_PASSWORD", "bench-password-2026")


class StaffUser(HttpUser):
    abstract = True
    wait_time = between(0.5, 2)
    username = ""

    def on_start(self):
        page = self.client.get("/account/sign-in/", name="sign-in page")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        self.client.post(
            "/account/sign-in/",
            data={"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": self.host + "/account/sign-in/"},
            name="sign in",
        )
        self.case_urls = re.findall(r'href="(/cases/\d+/)"', self.client.get("/", name="home").text)


class Caseworker(StaffUser):
    weight = 3
    username = "caseworker"

    @task(3)
    def home(self):
        self.client.get("/", name="home")

    @task(3)
    def open_case(self):
        if self.case_urls:
            url = self.case_urls[hash(self) % len(self.case_urls)]
            self.client.get(url, name="case page")

    @task(1)
    def search(self):
        self.client.get("/cases/mine/?q=Smith", name="my cases search")


class Manager(StaffUser):
    weight = 1
    username = "manager"

    @task(2)
    def all_cases(self):
        self.client.get("/cases/all/?risk=high", name="all cases filtered")

    @task(1)
    def waiting_list(self):
        self.client.get("/cases/waiting/", name="waiting list")

    @task(1)
    def dashboard(self):
        self.client.get("/reporting/dashboard/", name="dashboard")
