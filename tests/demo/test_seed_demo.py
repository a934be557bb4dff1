import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from demo.generators.people import DEFAULT_DEMO_PASSWORD, DEMO_USERS
from stalkingservice.models import User

pytestmark = pytest.mark.django_db

ROLES = {"caseworker", "manager", "commissioner", "administrator"}


def seed(*args):
    out = StringIO()
    call_command("seed_demo", "--cases", "3", *args, stdout=out)
    return out.getvalue()


def test_seed_demo_twice_gives_the_same_users_and_no_duplicates(tmp_path):
    seed()
    first = list(User.objects.order_by("username").values_list("pk", "username", "role"))
    output = seed()
    assert list(User.objects.order_by("username").values_list("pk", "username", "role")) == first
    assert {u for _, u, _ in first} == {
        "caseworker",
        "caseworker2",
        "manager",
        "commissioner",
        "admin",
    }
    assert "Sign in with any of: caseworker, caseworker2, manager, commissioner, admin" in output
    for username, role, *_ in DEMO_USERS:
        user = User.objects.get(username=username)
        assert user.role == role
        assert user.check_password(DEFAULT_DEMO_PASSWORD)


def test_password_option_sets_every_demo_password():
    seed("--password", "a different demo password")
    assert all(u.check_password("a different demo password") for u in User.objects.all())


def test_manifest_is_valid_json_of_the_documented_shape(tmp_path):
    path = tmp_path / "out" / "manifest.json"
    output = seed("--manifest", str(path))
    assert f"Manifest: {path}" in output
    data = json.loads(path.read_text())
    assert set(data) == {"users", "cases"}
    assert {u["username"] for u in data["users"]} == {
        "caseworker",
        "caseworker2",
        "manager",
        "commissioner",
        "admin",
    }
    assert {u["role"] for u in data["users"]} == ROLES
    assert all(set(u) == {"username", "role"} for u in data["users"])
    usernames = {u["username"] for u in data["users"]}
    for case in data["cases"]:
        assert {"url", "allocated_to", "co_workers", "client_name"} <= set(case)
        assert case["url"].startswith("/cases/")
        assert case["allocated_to"] is None or case["allocated_to"] in usernames
        assert isinstance(case["co_workers"], list)


def test_if_empty_leaves_an_existing_database_alone(caseworker):
    output = seed("--if-empty")
    assert "not seeding" in output
    assert not User.objects.filter(username="manager").exists()


def test_seed_demo_refuses_under_production_settings(settings):
    settings.ENVIRONMENT = "production"
    with pytest.raises(CommandError, match="refuses to run under production settings"):
        seed()
    assert not User.objects.exists()


STAGES = ["users", "cases", "risk", "plans", "advocacy", "reporting", "dataprotection"]


def test_each_stage_reports_its_count_rate_and_time_then_a_summary(monkeypatch):
    # Every item is worth a line here; the real interval (2 s) would hide them at 3 cases.
    monkeypatch.setattr("demo.progress.INTERVAL_SECONDS", 0)
    output = seed()
    assert re.search(r"^cases: 1/3 \(33%\) \d+/s$", output, re.M)
    assert re.search(r"^cases: 2/3 \(66%\) \d+/s$", output, re.M)
    assert re.search(r"^cases: 3/3 \(100%\) \d+/s in \d+\.\ds$", output, re.M)
    assert re.search(r"^reporting: producing the \d{4}-Q\d return$", output, re.M)
    finished = re.findall(r"^(\w+): .* in \d+\.\ds$", output, re.M)
    assert finished == STAGES  # one closing line per stage, in the order they run
    summary = re.search(r"^Stages: (.*)$", output, re.M).group(1)
    assert [part.split()[0] for part in summary.split(", ")] == STAGES
    assert output.index("Stages: ") < output.index("Demo ready in")


def test_verbosity_0_is_quiet():
    out = StringIO()
    call_command("seed_demo", "--cases", "3", verbosity=0, stdout=out)
    assert out.getvalue() == ""
    assert User.objects.filter(username="manager").exists()


def test_demo_gives_managers_data_protection_work(client):
    from dataprotection.models import RetentionReview, SubjectAccessRequest

    call_command("seed_demo", "--cases", "60", stdout=StringIO())
    reviews = RetentionReview.objects.count()
    requests = SubjectAccessRequest.objects.count()
    assert reviews > 0
    assert requests == 2
    call_command("seed_demo", "--cases", "60", stdout=StringIO())
    assert RetentionReview.objects.count() == reviews
    assert SubjectAccessRequest.objects.count() == requests

    client.force_login(User.objects.get(username="manager"))
    retention = client.get("/data-protection/retention/")
    assert retention.status_code == 200
    assert "Awaiting decision" in retention.text
    sar_list = client.get("/data-protection/subject-access/")
    assert sar_list.status_code == 200
    open_sar = SubjectAccessRequest.objects.get(status=SubjectAccessRequest.Status.OPEN)
    assert open_sar.client.cases.first().reference in sar_list.text
