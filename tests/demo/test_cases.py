import json

import pytest
from django.core.management import call_command

from cases.models.contact import ContactAttempt
from cases.models.lifecycle import Case, CaseEvent
from cases.models.notes_tasks import CaseNote, Task
from cases.statuses import CaseStatus
from referrals.models import Referral
from stalkingservice.models import District, User
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_seed_demo_cases_every_status_district_and_worker_idempotent(tmp_path):
    manifest = tmp_path / "manifest.json"
    call_command("seed_demo", "--cases=90", f"--manifest={manifest}", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Case.objects.count() == 90
    assert set(Case.objects.values_list("status", flat=True)) == set(CaseStatus.values)
    assert Case.objects.values("district").distinct().count() == District.objects.count() == 9
    workers = set(
        Case.objects.exclude(allocated_to=None).values_list("allocated_to__username", flat=True)
    )
    assert workers == {"caseworker", "caseworker2"}
    assert Case.objects.exclude(co_worker=None).exists()
    assert Referral.objects.count() == 90
    assert CaseNote.objects.exists() and ContactAttempt.objects.exists() and Task.objects.exists()
    assert CaseEvent.objects.filter(kind="status_changed").exists()
    assert Case.history.count() == 90  # history written in bulk
    for case in Case.objects.select_related("client__safe_contact")[:20]:
        assert case.client.safe_contact.safe_phone.startswith("07700 900")

    # Again: nothing duplicated.
    call_command("seed_demo", cases=90, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Case.objects.count() == 90 and Referral.objects.count() == 90

    data = json.loads(manifest.read_text())
    assert len(data["cases"]) == 90
    entry = next(c for c in data["cases"] if c["allocated_to"] == "caseworker")
    user = User.objects.get(username="caseworker")
    page = signed_in(user).get(entry["url"])
    assert page.status_code == 200
    assert f'data-testid="client-name">{entry["client_name"]}<' in page.text
