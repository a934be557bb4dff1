"""The demo data keeps the dating rules the services enforce (it is written in bulk, not
through them): no contact attempt, note, session or outcome before its case's referral or
in the future, and no exit ratings on the entry day of a case that was not closing."""

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from cases.models.contact import ContactAttempt
from cases.models.notes_tasks import CaseNote
from cases.models.outcomes import OutcomeAssessment
from cases.statuses import CaseStatus
from risk.models.sessions import OneToOneSession

pytestmark = pytest.mark.django_db


def test_demo_facts_are_dated_between_the_referral_and_now():
    call_command("seed_demo", "--cases=40", stdout=open("/dev/null", "w"))  # noqa: SIM115
    now = timezone.now()
    assert ContactAttempt.objects.exists() and CaseNote.objects.exists()
    for model, field in ((ContactAttempt, "at"), (CaseNote, "occurred_at")):
        early = model.objects.filter(**{f"{field}__lt": F("case__referred_at")})
        assert not early.exists(), f"{model.__name__} before the referral"
        assert not model.objects.filter(**{f"{field}__gt": now}).exists()
    assert not ContactAttempt.objects.filter(recorded_at__gt=now).exists()
    for session in OneToOneSession.objects.select_related("case"):
        assert session.session_date >= timezone.localdate(session.case.referred_at)
    for outcome in OutcomeAssessment.objects.select_related("case"):
        assert (
            timezone.localdate(outcome.case.referred_at)
            <= outcome.recorded_on
            <= timezone.localdate()
        )
    entries = dict(
        OutcomeAssessment.objects.filter(stage="entry").values_list("case_id", "recorded_on")
    )
    for exit_ in OutcomeAssessment.objects.filter(stage="exit").select_related("case"):
        if exit_.recorded_on == entries.get(exit_.case_id):
            assert exit_.case.status in {CaseStatus.EXIT_PLANNING, CaseStatus.CLOSED}
