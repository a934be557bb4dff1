"""Retention: the rules, the weekly queue, the manager's decision and anonymisation that
reaches history tables and files while the statistics stay true."""

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connection, models
from django.utils import timezone

from cases.models.client import Client
from cases.models.contact import ContactAttempt
from cases.models.lifecycle import BreakGlassGrant, Case, CaseEvent
from cases.statuses import CaseStatus
from dataprotection.models import RetentionReview
from dataprotection.services import anonymise, retention
from dataprotection.tasks import retention_list_due
from stalkingservice.models import AuditEvent
from tests.factories import (
    CaseFactory,
    CaseNoteFactory,
    ClientFactory,
    SuspectFactory,
    TaskFactory,
)
from tests.factories_security import (
    RetentionReviewFactory,
    closed_case,
    reload_reference_data,
    temporary_case_model,
)

pytestmark = pytest.mark.django_db

# Distinctive values, so a scan of every table can prove they are gone.
SECRETS = {
    "first": "Philippa",
    "last": "Quillfeather",
    "suspect": "Barnabyx Snodgrass",
    "note": "Met at the Hartwell cafe",
    "referrer": "PC Ottoline Brackenbury",
    "address": "9 Larkspur Row",
    "phone": "07700 900777",
}


def aware(y, m, d):
    return timezone.make_aware(datetime(y, m, d, 12, 0))


# ---- the rules ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scenario", "rule", "due"),
    [
        ("declined", "never_taken_up", date(2026, 2, 21)),
        ("never_accepted", "never_taken_up", date(2026, 2, 21)),
        ("accepted_never_contacted", "never_contacted", date(2026, 7, 10)),
        ("supported", "supported", date(2031, 12, 20)),
        ("open", None, None),
    ],
)
def test_retention_rule_per_outcome(scenario, rule, due):
    closed = aware(2026, 1, 10)
    case = CaseFactory(status=CaseStatus.CLOSED, closed_at=closed, accepted_at=aware(2025, 6, 1))
    if scenario == "declined":
        from tests.factories import ReferralFactory

        ReferralFactory(case=case, outcome="declined")
    elif scenario == "never_accepted":
        case.accepted_at = None
    elif scenario == "supported":
        case.first_contact_at = aware(2025, 6, 3)
        case.last_contact_at = aware(2025, 12, 20)
    elif scenario == "open":
        case.status = CaseStatus.ACTIVE
        case.closed_at = None
    case.save()
    result = retention.case_retention(Case.objects.get(pk=case.pk))
    if rule is None:
        assert result is None
    else:
        assert (result.rule, result.due_on) == (rule, due)


def test_periods_are_settings(settings):
    settings.RETENTION_PERIODS = {
        "never_taken_up": {"weeks": 1},
        "never_contacted": {"months": 1},
        "supported": {"years": 10},
    }
    case = CaseFactory(status=CaseStatus.CLOSED, closed_at=aware(2026, 1, 10), accepted_at=None)
    assert retention.case_retention(case).due_on == date(2026, 1, 17)


# ---- the weekly queue -----------------------------------------------------------------


def test_weekly_job_lists_each_due_client_once():
    due_client = closed_case(days_ago=60, accepted=False, declined=True).client
    not_yet = closed_case(days_ago=20, accepted=False).client  # 6 weeks not reached
    supported = closed_case(days_ago=400).client  # 6 years not reached
    with_open_episode = closed_case(days_ago=60, accepted=False).client
    CaseFactory(client=with_open_episode, status=CaseStatus.ACTIVE)

    assert retention_list_due.delay().get() == 1
    assert retention_list_due.delay().get() == 0  # safe to run twice

    reviews = list(RetentionReview.objects.all())
    assert [(r.client_id, r.rule, r.status) for r in reviews] == [
        (due_client.pk, "never_taken_up", "pending")
    ]
    assert not RetentionReview.objects.filter(
        client__in=[not_yet, supported, with_open_episode]
    ).exists()


def test_latest_episode_decides_the_date():
    client = closed_case(days_ago=500, accepted=False).client
    closed_case(client=client, days_ago=30, accepted=False)  # second episode, recent
    retention.retention_list_due()
    assert not RetentionReview.objects.exists()


def test_held_review_is_not_listed_again(manager):
    review = RetentionReviewFactory()
    retention.retention_hold(review=review, reason="Court case pending", by=manager)
    retention.retention_list_due()
    assert RetentionReview.objects.count() == 1
    assert RetentionReview.objects.get().status == "held"


# ---- anonymisation --------------------------------------------------------------------


@pytest.fixture
def exhibit_model(db, settings, tmp_path):
    """A model with a file on a case, as an app merged later might add."""
    settings.MEDIA_ROOT = tmp_path
    with temporary_case_model(
        "RetentionTestExhibit",
        file=models.FileField(upload_to="exhibits"),
        description=models.TextField(blank=True),
    ) as model:
        yield model


def build_full_record(caseworker, exhibit_model=None):
    client = ClientFactory(
        first_name=SECRETS["first"],
        last_name=SECRETS["last"],
        address=SECRETS["address"],
        date_of_birth=date(1990, 5, 1),
    )
    case = closed_case(client=client, days_ago=60, accepted=False, declined=True)
    case.allocated_to = caseworker
    case.save()
    case.refresh_from_db()
    contact = client.safe_contact
    contact.safe_phone = SECRETS["phone"]
    contact.notes = f"Ask for {SECRETS['first']}"
    contact.others_who_may_answer = "Her brother Tobias"
    contact.save()
    referral = case.referral
    referral.referrer_name = SECRETS["referrer"]
    referral.summary = f"{SECRETS['suspect']} follows her home"
    referral.save()
    suspect = SuspectFactory(case=case, name=SECRETS["suspect"], notes="Drives a red van")
    suspect.aliases = "Barney"
    suspect.save()
    note = CaseNoteFactory(case=case, author=caseworker, summary=SECRETS["note"])
    note.summary = SECRETS["note"] + " again"
    note.save()
    TaskFactory(case=case, title=f"Call {SECRETS['first']} back")
    ContactAttempt.objects.create(
        case=case, method="phone", outcome="reached", notes=SECRETS["note"], by=caseworker
    )
    BreakGlassGrant.objects.create(
        case=case,
        user=caseworker,
        reason=f"Duty cover for {SECRETS['first']}",
        expires_at=timezone.now(),
    )
    CaseEvent.objects.create(case=case, kind="status_changed", summary=f"{SECRETS['last']} seen")
    stored = None
    if exhibit_model is not None:
        exhibit = exhibit_model(case=case, description="Photo of the van")
        exhibit.file.save("van.jpg", ContentFile(b"jpeg bytes"))
        stored = Path(exhibit.file.path)
    return client, case, stored


def rows_containing(text: str) -> dict[str, int]:
    """Every table in the database (live and history) scanned for the text."""
    found = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(
                f'SELECT count(*) FROM "{table}" t WHERE t::text ILIKE %s',  # noqa: S608
                [f"%{text}%"],
            )
            count = cursor.fetchone()[0]
            if count:
                found[table] = count
    return found


def test_approval_anonymises_every_table_history_and_file(
    as_user, manager, caseworker, exhibit_model, django_capture_on_commit_callbacks
):
    client, case, stored_file = build_full_record(caseworker, exhibit_model)
    for secret in SECRETS.values():
        if secret not in (SECRETS["address"], SECRETS["phone"]):  # those are encrypted
            assert rows_containing(secret), secret
    assert stored_file.exists()
    events_before = CaseEvent.objects.filter(case=case).count()
    facts_before = Case.objects.filter(pk=case.pk).values(
        "status", "closed_at", "referred_at", "district_id", "risk_level", "reference"
    )[0]
    retention.retention_list_due()
    review = RetentionReview.objects.get(client=client)

    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(manager).post(
            f"/data-protection/retention/{review.pk}/decide/", {"decision": "approve"}
        )
    assert response.status_code == 302

    for secret in SECRETS.values():
        assert rows_containing(secret) == {}, secret
    assert not stored_file.exists()
    assert exhibit_model.objects.get(case=case).file.name == ""

    fresh = Client.objects.get(pk=client.pk)
    assert fresh.display_name == anonymise.ANONYMISED_LABEL
    assert (fresh.address, fresh.date_of_birth, fresh.anonymised_at is not None) == (
        "",
        None,
        True,
    )
    assert {h.address for h in fresh.history.all()} == {""}
    assert {h.safe_phone for h in fresh.safe_contact.history.all()} == {""}
    assert all(
        h.history_change_reason in (None, "Anonymised under the retention rules")
        for h in fresh.history.all()
    )

    # The statistics stay: status, dates, district, risk, reference, the referral's
    # source and outcome, equality categories, and every event (plus one for this).
    assert Case.objects.filter(pk=case.pk).values(*facts_before)[0] == facts_before
    assert CaseEvent.objects.filter(case=case).count() == events_before + 1
    case.referral.refresh_from_db()
    assert (case.referral.outcome, case.referral.source.code) == ("declined", "police")
    assert fresh.ethnicity == client.ethnicity
    assert RetentionReview.objects.get(pk=review.pk).status == "anonymised"
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.RETENTION, case_id=case.pk, user=manager
    ).exists()

    page = as_user(manager).get(f"/cases/{case.pk}/")
    assert "Anonymised" in page.text
    assert SECRETS["last"] not in page.text
    listing = as_user(manager).get("/data-protection/retention/")
    assert "Anonymised" in listing.text and case.reference in listing.text


def test_anonymising_twice_is_refused(manager, caseworker):
    client, _, _ = build_full_record(caseworker)
    anonymise.client_anonymise(client=client, by=manager, reason="test")
    from stalkingservice.domain import DomainError

    with pytest.raises(DomainError, match=anonymise.ALREADY_ANONYMISED):
        anonymise.client_anonymise(client=client, by=manager, reason="test")


def test_approval_refused_when_a_new_episode_opened(as_user, manager):
    review = RetentionReviewFactory()
    CaseFactory(client=review.client, status=CaseStatus.ACTIVE)
    response = as_user(manager).post(
        f"/data-protection/retention/{review.pk}/decide/", {"decision": "approve"}
    )
    assert response.status_code == 400
    assert anonymise.CLIENT_HAS_OPEN_CASE in response.text
    assert Client.objects.get(pk=review.client_id).anonymised_at is None


def test_hold_needs_a_reason_and_keeps_everything(as_user, manager):
    review = RetentionReviewFactory()
    name = review.client.first_name
    http = as_user(manager)
    response = http.post(f"/data-protection/retention/{review.pk}/decide/", {"decision": "hold"})
    assert response.status_code == 400
    assert retention.HOLD_REASON_REQUIRED in response.text
    response = http.post(
        f"/data-protection/retention/{review.pk}/decide/",
        {"decision": "hold", "reason": "<script>alert(1)</script> complaint open"},
    )
    assert response.status_code == 302
    listing = http.get("/data-protection/retention/")
    assert "Held" in listing.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; complaint open" in listing.text
    assert Client.objects.get(pk=review.client_id).first_name == name


# ---- access and performance -----------------------------------------------------------

ROLE_MATRIX = [
    ("signed_out", 302),
    ("caseworker_allocated", 404),
    ("other_caseworker", 404),
    ("manager", 200),
    ("commissioner", 404),
    ("administrator", 404),
]


def _http(who, client, as_user, caseworker, caseworker2, manager, commissioner, administrator):
    users = {
        "caseworker_allocated": caseworker,
        "other_caseworker": caseworker2,
        "manager": manager,
        "commissioner": commissioner,
        "administrator": administrator,
    }
    return client if who == "signed_out" else as_user(users[who])


@pytest.mark.parametrize(("who", "expected"), ROLE_MATRIX)
@pytest.mark.parametrize("page", ["list", "decide"])
def test_role_matrix(
    who,
    expected,
    page,
    client,
    as_user,
    caseworker,
    caseworker2,
    manager,
    commissioner,
    administrator,
):
    review = RetentionReviewFactory()
    Case.objects.filter(client=review.client).update(allocated_to=caseworker)
    http = _http(
        who, client, as_user, caseworker, caseworker2, manager, commissioner, administrator
    )
    url = (
        "/data-protection/retention/"
        if page == "list"
        else f"/data-protection/retention/{review.pk}/decide/"
    )
    response = http.get(url)
    assert response.status_code == expected
    if expected == 302:
        assert response.url.startswith("/account/sign-in/")
    if page == "decide":  # a refused POST changes nothing
        http.post(url, {"decision": "hold", "reason": "x"})
        assert RetentionReview.objects.get(pk=review.pk).status == (
            "held" if who == "manager" else "pending"
        )


@pytest.mark.parametrize("count", [3, 30])
def test_list_queries_do_not_grow_with_rows(count, as_user, manager, django_assert_max_num_queries):
    for _ in range(count):
        RetentionReviewFactory()
    anonymised = RetentionReviewFactory(status="anonymised", decided_at=timezone.now())
    assert anonymised.pk
    http = as_user(manager)
    with django_assert_max_num_queries(12):
        response = http.get("/data-protection/retention/")
    assert response.status_code == 200


def test_navigation_shows_retention_to_managers_only(as_user, manager, caseworker):
    assert "/data-protection/retention/" in as_user(manager).get("/").text
    assert "/data-protection/retention/" not in as_user(caseworker).get("/").text


def test_due_date_listed_in_the_past_is_shown(as_user, manager):
    review = RetentionReviewFactory(due_on=timezone.localdate() - timedelta(days=3))
    text = as_user(manager).get("/data-protection/retention/").text
    assert review.due_on.strftime("%-d %B %Y") in text


def test_hold_reason_is_anonymised_too_and_audit_holds_no_free_text(manager):
    review = RetentionReviewFactory()
    retention.retention_hold(review=review, reason="Court case for Philippa", by=manager)
    retention.retention_approve(review=review, by=manager)
    review.refresh_from_db()
    assert (review.status, review.hold_reason) == ("anonymised", "")
    assert {h.hold_reason for h in review.history.all()} == {""}
    assert not AuditEvent.objects.filter(detail__icontains="Philippa").exists()


def test_weekly_job_is_scheduled():
    from stalkingservice.celery import app

    entries = [e for e in app.conf.beat_schedule.values() if e["task"] == retention_list_due.name]
    assert len(entries) == 1
    schedule = entries[0]["schedule"]
    assert schedule.day_of_week == {1}  # Monday, once a week


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_weekly_job_runs_on_a_real_worker(celery_worker_process):
    reload_reference_data()
    client = closed_case(days_ago=60, accepted=False, declined=True).client
    result = retention_list_due.apply_async(queue=celery_worker_process)
    assert result.get(timeout=60) == 1
    assert RetentionReview.objects.get().client_id == client.pk


@pytest.mark.parametrize("cases", [1, 10])
def test_decide_page_queries_do_not_grow_with_cases(
    cases, as_user, manager, django_assert_max_num_queries
):
    review = RetentionReviewFactory()
    for _ in range(cases - 1):
        closed_case(client=review.client, days_ago=100, accepted=False)
    http = as_user(manager)
    with django_assert_max_num_queries(10):
        response = http.get(f"/data-protection/retention/{review.pk}/decide/")
    assert response.status_code == 200
    assert response.text.count("STK-") >= cases


def test_a_completed_review_offers_no_second_decision(as_user, manager):
    review = RetentionReviewFactory()
    retention.retention_approve(review=review, by=manager)
    http = as_user(manager)
    page = http.get(f"/data-protection/retention/{review.pk}/decide/")
    assert "These records were anonymised on" in page.text
    assert "Record decision" not in page.text
    response = http.post(
        f"/data-protection/retention/{review.pk}/decide/", {"decision": "hold", "reason": "x"}
    )
    assert response.status_code == 400
    assert retention.ALREADY_DECIDED in response.text
