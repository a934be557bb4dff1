"""record_update: only the named fields, a new version, a history reason and author, the
changed columns only, and an audit row on request; a stale version refused, derived fields
stamped before the save, a reason made from the changed names, and a save when nothing
changed for the services that ask for one. set_fields and save_with_reason, its halves."""

import pytest

from referrals.models import Referral
from stalkingservice.domain import StaleEdit
from stalkingservice.models import AuditEvent
from stalkingservice.updates import record_update, save_with_reason, set_fields
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


def test_a_stale_version_is_refused_before_anything_is_set(referral, caseworker):
    Referral.objects.filter(pk=referral.pk).update(version=2)  # someone else saved
    with pytest.raises(StaleEdit):
        record_update(
            obj=referral,
            fields=("summary",),
            data={"summary": "Mine"},
            by=caseworker,
            reason="x",
            version=1,
        )
    assert referral.summary == "First account"
    assert Referral.objects.get(pk=referral.pk).summary == "First account"


def test_the_current_version_is_accepted(referral, caseworker):
    obj, changed = record_update(
        obj=referral,
        fields=("summary",),
        data={"summary": "Mine"},
        by=caseworker,
        reason="x",
        version=str(referral.version),  # as posted by a form
    )
    assert changed == ["summary"]
    assert Referral.objects.get(pk=referral.pk).version == 2


def test_before_save_stamps_are_saved(referral, caseworker):
    def stamp(obj):
        obj.crime_reference = "CR/" + obj.summary

    record_update(
        obj=referral,
        fields=("summary",),
        data={"summary": "9"},
        by=caseworker,
        reason="x",
        before_save=stamp,
    )
    stored = Referral.objects.get(pk=referral.pk)
    assert (stored.summary, stored.crime_reference) == ("9", "CR/9")


def test_no_stamp_and_no_save_when_nothing_changed(referral, caseworker):
    stamped = []
    obj, changed = record_update(
        obj=referral,
        fields=("summary",),
        data={"summary": "First account"},
        by=caseworker,
        reason="x",
        before_save=stamped.append,
    )
    assert (changed, stamped) == ([], [])
    assert Referral.objects.get(pk=referral.pk).version == 1


def test_a_reason_may_be_made_from_the_changed_names(referral, caseworker):
    record_update(
        obj=referral,
        fields=("summary", "duration"),
        data={"summary": "Second", "duration": ""},
        by=caseworker,
        reason=lambda changed: "Changed: " + ", ".join(changed),
    )
    assert referral.history.first().history_change_reason == "Changed: summary"


def test_a_long_reason_is_cut_to_what_history_holds(referral, caseworker):
    record_update(
        obj=referral, fields=("summary",), data={"summary": "New"}, by=caseworker, reason="r" * 150
    )
    assert referral.history.first().history_change_reason == "r" * 100


def test_save_unchanged_saves_and_moves_the_version_on(referral, caseworker):
    before = referral.history.count()
    referral.crime_reference = "CR/2"  # set by the service before the edit
    obj, changed = record_update(
        obj=referral,
        fields=("summary",),
        data={"summary": "First account"},
        by=caseworker,
        reason="Confirmed",
        save_unchanged=True,
    )
    assert changed == []
    stored = Referral.objects.get(pk=referral.pk)
    assert (stored.version, stored.crime_reference) == (2, "CR/2")
    assert referral.history.count() == before + 1
    assert referral.history.first().history_change_reason == "Confirmed"


def test_set_fields_copies_only_the_declared_fields(referral):
    changed = set_fields(
        referral,
        fields=("summary", "duration"),
        data={"summary": "New", "duration": "", "outcome": Referral.Outcome.ACCEPTED},
    )
    assert changed == ["summary"]
    assert referral.summary == "New" and referral.outcome == Referral.Outcome.PENDING


def test_save_with_reason_records_reason_and_author(referral, caseworker):
    referral.summary = "Edited"
    assert save_with_reason(referral, "Because", by=caseworker) is referral
    latest = referral.history.first()
    assert (latest.history_change_reason, latest.history_user) == ("Because", caseworker)
    assert Referral.objects.get(pk=referral.pk).summary == "Edited"
