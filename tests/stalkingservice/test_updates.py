"""record_update: only the named fields, a new version, a history reason and author, the
changed columns only, and an audit row on request."""

import pytest

from referrals.models import Referral
from stalkingservice.models import AuditEvent
from stalkingservice.updates import record_update
from tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def referral():
    return ReferralFactory(summary="First account", duration="", crime_reference="")


def test_sets_only_named_fields_present_in_the_data(referral, caseworker):
    data = {"summary": "Second account", "outcome": Referral.Outcome.ACCEPTED, "case": None}
    obj, changed = record_update(
        obj=referral,
        fields=("summary", "duration"),
        data=data,
        by=caseworker,
        reason="Details edited",
    )
    assert changed == ["summary"]
    stored = Referral.objects.get(pk=referral.pk)
    assert stored.summary == "Second account"
    assert stored.outcome == Referral.Outcome.PENDING  # not a named field: never set
    assert stored.version == 2


def test_history_has_the_reason_and_author(referral, caseworker):
    record_update(
        obj=referral,
        fields=("summary",),
        data={"summary": "Second account"},
        by=caseworker,
        reason="Details edited",
    )
    latest = referral.history.first()
    assert latest.history_change_reason == "Details edited"
    assert latest.history_user == caseworker
    assert latest.summary == "Second account"


def test_saves_only_the_changed_columns(referral, caseworker):
    # Someone else's change to another field, saved meanwhile, is not overwritten.
    Referral.objects.filter(pk=referral.pk).update(crime_reference="CR/1")
    record_update(
        obj=referral, fields=("summary",), data={"summary": "New"}, by=caseworker, reason="x"
    )
    stored = Referral.objects.get(pk=referral.pk)
    assert (stored.summary, stored.crime_reference) == ("New", "CR/1")


def test_nothing_changed_writes_nothing(referral, caseworker):
    before = referral.history.count()
    obj, changed = record_update(
        obj=referral,
        fields=("summary",),
        data={"summary": "First account"},
        by=caseworker,
        reason="x",
        audit_action=AuditEvent.Action.EXPORT,
    )
    assert changed == []
    assert Referral.objects.get(pk=referral.pk).version == 1
    assert referral.history.count() == before
    assert not AuditEvent.objects.exists()


def test_audit_row_names_the_fields_not_their_values(referral, caseworker):
    record_update(
        obj=referral,
        fields=("summary", "duration"),
        data={"summary": "Secret words", "duration": "Two years"},
        by=caseworker,
        reason="x",
        audit_action=AuditEvent.Action.EXPORT,
    )
    event = AuditEvent.objects.get()
    assert event.user == caseworker and event.case_id == referral.case_id
    assert "summary, duration" in event.detail
    assert "Secret words" not in event.detail
