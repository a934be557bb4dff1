"""Facts cannot be dated where they cannot have happened: before the referral of the
episode was received, or in the future; exit ratings not on the entry day unless the case
is closing; first-contact timeliness counts from when the attempt was recorded."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models.contact import ContactAttempt
from cases.models.notes_tasks import CaseNote
from cases.models.outcomes import OutcomeAssessment
from cases.services.common import FUTURE_DATE, FUTURE_TIME
from cases.services.contact import contact_attempt_record
from cases.services.notes_tasks import note_add, note_edit
from cases.services.outcomes import EXIT_SAME_DAY_AS_ENTRY, outcomes_record
from cases.statuses import CaseStatus
from reporting.indicators.cases import first_contact_stats
from reporting.periods import Quarter
from reporting.registry import Period
from risk.models.groups import GroupAttendance
from risk.services.groups import group_attendance_record
from risk.services.sessions import session_record, session_update
from stalkingservice.domain import DomainError
from tests.conftest import signed_in
from tests.factories import CaseFactory
from tests.factories_advocacy import active_case
from tests.factories_plans import GroupMemberFactory, GroupSessionFactory
from tests.factories_reporting import attempt, referral

pytestmark = pytest.mark.django_db

REFERRED = timezone.make_aware(dt.datetime(2026, 9, 1, 10, 0))
BEFORE = "before the referral was received on 1 September 2026"
ENTRY = {"safer": "2", "health": "2", "coping": "2", "informed": "2", "justice": "2"}
EXIT = {**ENTRY, "satisfaction": "5"}


def _case(caseworker, **kwargs):
    kwargs.setdefault("status", CaseStatus.ACTIVE)
    kwargs.setdefault("referred_at", REFERRED)
    return CaseFactory(allocated_to=caseworker, **kwargs)


# ---- contact attempts ---------------------------------------------------------------------


def test_contact_attempt_before_the_referral_or_in_the_future_refused(caseworker):
    case = _case(caseworker)
    with pytest.raises(DomainError, match=BEFORE) as refused:
        contact_attempt_record(
            case=case, method="phone", outcome="no_answer", at=REFERRED - dt.timedelta(hours=1),
            by=caseworker,
        )  # fmt: skip
    assert refused.value.field == "at"
    with pytest.raises(DomainError, match=FUTURE_TIME):
        contact_attempt_record(
            case=case, method="phone", outcome="no_answer",
            at=timezone.now() + dt.timedelta(hours=1), by=caseworker,
        )  # fmt: skip
    assert not ContactAttempt.objects.filter(case=case).exists()
    # The minute the referral arrived is fine.
    contact_attempt_record(
        case=case, method="phone", outcome="no_answer", at=REFERRED, by=caseworker
    )


def test_back_dated_attempt_on_the_contact_page_is_refused_with_a_message(caseworker):
    case = _case(caseworker)
    page = signed_in(caseworker).post(
        reverse("cases:contact_attempt_add", args=[case.pk]),
        {"method": "phone", "outcome": "no_answer", "at": "2026-08-20T10:00"},
    )
    assert page.status_code == 200
    assert '<a href="#id_at">This cannot be dated before the referral' in page.text
    assert not ContactAttempt.objects.filter(case=case).exists()


# ---- notes ---------------------------------------------------------------------------------


def test_note_add_and_edit_cannot_be_dated_before_the_referral(caseworker):
    case = _case(caseworker)
    with pytest.raises(DomainError, match=BEFORE) as refused:
        note_add(
            case=case, note_type="call", summary="Called", by=caseworker,
            occurred_at=REFERRED - dt.timedelta(days=2),
        )  # fmt: skip
    assert refused.value.field == "occurred_at"
    note = note_add(case=case, note_type="call", summary="Called", by=caseworker)
    data = {f: getattr(note, f) for f in CaseNote.EDITABLE_FIELDS}
    for when, message in (
        (REFERRED - dt.timedelta(days=2), BEFORE),
        (timezone.now() + dt.timedelta(days=1), FUTURE_TIME),
    ):
        with pytest.raises(DomainError, match=message):
            note_edit(
                note=note, reason="Wrong day", data={**data, "occurred_at": when},
                version=note.version, by=caseworker,
            )  # fmt: skip
    note.refresh_from_db()
    assert note.occurred_at > REFERRED


# ---- sessions -------------------------------------------------------------------------------


def _session_data(on, status="delivered"):
    return {
        "session_type": "advocacy",
        "session_date": on,
        "duration_minutes": 30,
        "mode": "video",
        "status": status,
        "notes": "",
    }


def test_one_to_one_session_record_and_update_not_before_the_referral(caseworker):
    case = _case(caseworker)
    before = dt.date(2026, 8, 31)
    for status in ("delivered", "planned"):
        with pytest.raises(DomainError, match=BEFORE) as refused:
            session_record(case=case, data=_session_data(before, status), by=caseworker)
        assert refused.value.field == "session_date"
    session = session_record(case=case, data=_session_data(dt.date(2026, 9, 1)), by=caseworker)
    with pytest.raises(DomainError, match=BEFORE):
        session_update(session=session, data=_session_data(before), by=caseworker)
    # A planned session may be in the future; a delivered one may not.
    future = timezone.localdate() + dt.timedelta(days=7)
    session_update(session=session, data=_session_data(future, "planned"), by=caseworker)


def test_group_attendance_refused_for_a_client_referred_after_the_session(caseworker, manager):
    session = GroupSessionFactory(session_date=dt.date(2026, 8, 25))
    early = GroupMemberFactory(
        programme=session.programme, case=_case(caseworker, referred_at=REFERRED.replace(month=8))
    )
    late = GroupMemberFactory(programme=session.programme, case=_case(caseworker))
    with pytest.raises(DomainError, match=BEFORE) as refused:
        group_attendance_record(
            session=session,
            marks={early.case_id: "attended", late.case_id: "attended"},
            by=manager,
        )
    assert refused.value.field == f"case_{late.case_id}"
    assert not GroupAttendance.objects.exists()
    group_attendance_record(session=session, marks={early.case_id: "attended"}, by=manager)


# ---- outcome measures ------------------------------------------------------------------------


def test_outcomes_not_before_the_referral_nor_in_the_future(caseworker):
    case = _case(caseworker)
    for on, message in (
        (dt.date(2026, 8, 31), BEFORE),
        (timezone.localdate() + dt.timedelta(days=1), FUTURE_DATE),
    ):
        with pytest.raises(DomainError, match=message) as refused:
            outcomes_record(case=case, stage="entry", answers=ENTRY, recorded_on=on, by=caseworker)
        assert refused.value.field == "recorded_on"
    assert not OutcomeAssessment.objects.filter(case=case).exists()


def test_exit_ratings_not_on_the_entry_day_unless_the_case_is_closing(caseworker):
    case = active_case(allocated_to=caseworker)
    today = timezone.localdate()
    outcomes_record(case=case, stage="entry", answers=ENTRY, recorded_on=today, by=caseworker)
    with pytest.raises(DomainError, match=re.escape(EXIT_SAME_DAY_AS_ENTRY)) as refused:
        outcomes_record(case=case, stage="exit", answers=EXIT, recorded_on=today, by=caseworker)
    assert refused.value.field == "recorded_on"
    assert not case.outcome_assessments.filter(stage="exit").exists()
    # Closing (exit planning): a short episode may end the day it began.
    case.status = CaseStatus.EXIT_PLANNING
    case.save()
    outcomes_record(case=case, stage="exit", answers=EXIT, recorded_on=today, by=caseworker)
    assert case.outcome_assessments.filter(stage="exit", recorded_on=today).exists()


def test_entry_re_recorded_on_the_exit_day_is_refused_too(caseworker):
    case = active_case(allocated_to=caseworker)
    today = timezone.localdate()
    week_ago = today - dt.timedelta(days=7)
    outcomes_record(case=case, stage="entry", answers=ENTRY, recorded_on=week_ago, by=caseworker)
    outcomes_record(case=case, stage="exit", answers=EXIT, recorded_on=today, by=caseworker)
    with pytest.raises(DomainError, match=re.escape(EXIT_SAME_DAY_AS_ENTRY)):
        outcomes_record(case=case, stage="entry", answers=ENTRY, recorded_on=today, by=caseworker)


# ---- first-contact timeliness ------------------------------------------------------------------


def test_back_dating_an_attempt_does_not_improve_first_contact_timeliness(settings):
    settings.FIRST_CONTACT_DUE_WORKING_DAYS = 2
    received = timezone.make_aware(dt.datetime(2026, 10, 5, 9))  # a Monday
    r = referral(received=received)
    # Typed as made on Tuesday, but only recorded the next Monday (5 working days later).
    attempt(r.case, received + dt.timedelta(days=1), recorded=received + dt.timedelta(days=7))
    measured, median, within = first_contact_stats(
        Period.for_quarter(Quarter(2026, 3)), successful=False
    )
    assert (measured, median, within) == (1, 5.0, 0)


def test_the_service_stamps_recorded_at_itself(caseworker):
    case = _case(caseworker)
    typed = REFERRED + dt.timedelta(days=1)
    made = contact_attempt_record(
        case=case, method="phone", outcome="no_answer", at=typed, by=caseworker
    )
    assert made.at == typed
    assert made.recorded_at > timezone.now() - dt.timedelta(minutes=1)
