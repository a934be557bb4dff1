from datetime import timedelta

import pytest
from django.utils import timezone

from cases.permissions import cases_visible_to, notes_visible_to
from cases.selectors.caseload import (
    attach_due,
    case_list_filtered,
    caseworkers_with_caseload,
    waiting_list,
)
from cases.selectors.lifecycle import case_break_glass_candidate
from cases.selectors.notes_tasks import FIRST_CONTACT_LABEL, RISK_REVIEW_LABEL
from cases.statuses import CaseStatus
from tests.factories_cases import (
    BreakGlassGrantFactory,
    CaseFactory,
    CaseNoteFactory,
    TaskFactory,
    WaitingCaseFactory,
)

pytestmark = pytest.mark.django_db


def test_scope_by_role(world):
    case, users = world
    other = CaseFactory()
    expected = {
        "allocated": {case.pk},
        "co_worker": {case.pk},
        "other_caseworker": set(),
        "break_glass": {case.pk},
        "manager": {case.pk, other.pk},
        "commissioner": set(),
        "administrator": set(),
    }
    for name, pks in expected.items():
        got = set(cases_visible_to(users[name]).values_list("pk", flat=True))
        assert got == pks, name


def test_expired_break_glass_and_restricted_cases_are_not_visible(caseworker2):
    expired = CaseFactory()
    BreakGlassGrantFactory(
        case=expired, user=caseworker2, expires_at=timezone.now() - timedelta(minutes=1)
    )
    restricted = CaseFactory(restricted=True)
    BreakGlassGrantFactory(case=restricted, user=caseworker2)
    assert not cases_visible_to(caseworker2).exists()


def test_candidate_for_break_glass(caseworker2, caseworker):
    open_case = CaseFactory()
    restricted = CaseFactory(restricted=True)
    mine = CaseFactory(allocated_to=caseworker2)
    assert case_break_glass_candidate(user=caseworker2, pk=open_case.pk) == open_case
    assert case_break_glass_candidate(user=caseworker2, pk=restricted.pk) is None
    assert case_break_glass_candidate(user=caseworker2, pk=mine.pk) is None
    assert case_break_glass_candidate(user=caseworker2, pk=999999) is None


def test_sensitive_notes_only_for_allocated_workers_and_managers(world):
    case, users = world
    CaseNoteFactory(case=case, summary="ordinary")
    CaseNoteFactory(case=case, summary="secret", sensitive=True)
    for name in ("allocated", "co_worker", "manager"):
        assert notes_visible_to(users[name], case).count() == 2, name
    assert [n.summary for n in notes_visible_to(users["break_glass"], case)] == ["ordinary"]


def test_waiting_list_orders_by_risk_then_waiting_time(manager):
    now = timezone.now()
    old_standard = WaitingCaseFactory(
        risk_level_at_intake="standard", accepted_at=now - timedelta(days=9)
    )
    new_high = WaitingCaseFactory(risk_level_at_intake="high", accepted_at=now - timedelta(days=1))
    old_high = WaitingCaseFactory(risk_level_at_intake="high", accepted_at=now - timedelta(days=5))
    assessed_medium = WaitingCaseFactory(risk_level="medium", risk_level_at_intake="standard")
    none = WaitingCaseFactory(accepted_at=now - timedelta(days=30))
    CaseFactory(status=CaseStatus.ACTIVE, risk_level="high")  # not waiting
    got = list(waiting_list(user=manager))
    assert got == [old_high, new_high, assessed_medium, old_standard, none]


def test_caseload_counts_worker_and_co_worker_and_high_risk(caseworker, caseworker2):
    CaseFactory(allocated_to=caseworker, risk_level="high")
    CaseFactory(allocated_to=caseworker, status=CaseStatus.ACTIVE)
    CaseFactory(allocated_to=caseworker2, co_worker=caseworker, risk_level="high")
    CaseFactory(allocated_to=caseworker, status=CaseStatus.CLOSED, risk_level="high")
    rows = {u.pk: u for u in caseworkers_with_caseload()}
    assert (rows[caseworker.pk].caseload, rows[caseworker.pk].high_risk) == (3, 2)
    assert (rows[caseworker2.pk].caseload, rows[caseworker2.pk].high_risk) == (1, 1)


def test_overdue_filter_and_next_due(caseworker):
    today = timezone.localdate()
    overdue_first = CaseFactory(
        allocated_to=caseworker, first_contact_due=today - timedelta(days=1)
    )
    attempted = CaseFactory(
        allocated_to=caseworker,
        first_contact_due=today - timedelta(days=1),
        first_attempt_at=timezone.now(),
    )
    review = CaseFactory(
        allocated_to=caseworker,
        status=CaseStatus.ACTIVE,
        first_attempt_at=timezone.now(),
        next_review_due=today - timedelta(days=2),
    )
    task_case = CaseFactory(allocated_to=caseworker, first_attempt_at=timezone.now())
    TaskFactory(case=task_case, due_on=today - timedelta(days=3), title="Chase police")
    fine = CaseFactory(allocated_to=caseworker, first_attempt_at=timezone.now())
    TaskFactory(case=fine, due_on=today + timedelta(days=3), title="Later")
    got = set(case_list_filtered(user=caseworker, filters={"overdue": True}, mine=True))
    assert got == {overdue_first, review, task_case}
    rows = {c.pk: c for c in attach_due(case_list_filtered(user=caseworker, filters={}, mine=True))}
    assert rows[overdue_first.pk].next_due.label == FIRST_CONTACT_LABEL
    assert rows[review.pk].next_due.label == RISK_REVIEW_LABEL
    assert rows[task_case.pk].next_due.label == "Chase police"
    assert rows[fine.pk].overdue is False and rows[fine.pk].next_due.label == "Later"
    assert rows[attempted.pk].next_due is None


def test_search_by_name_and_reference(caseworker):
    a = CaseFactory(allocated_to=caseworker, client__first_name="Priya", client__last_name="Shah")
    b = CaseFactory(
        allocated_to=caseworker, client__preferred_name="Bex", client__last_name="Jones"
    )

    def search(q):
        return set(case_list_filtered(user=caseworker, filters={"q": q}, mine=True))

    assert search("priya shah") == {a}
    assert search("bex") == {b}
    assert search(b.reference.lower()) == {b}
    assert search("nobody") == set()


def test_search_finds_partial_matches_in_names_and_reference(caseworker, caseworker2):
    priya = CaseFactory(
        allocated_to=caseworker, client__first_name="Priya", client__last_name="Shah-Morgan"
    )
    bex = CaseFactory(
        allocated_to=caseworker,
        client__first_name="Rebecca",
        client__preferred_name="Bex",
        client__last_name="Jones",
    )
    # Someone else's client with a matching name stays out of "my cases".
    CaseFactory(allocated_to=caseworker2, client__first_name="Priyanka")

    def search(q):
        return set(case_list_filtered(user=caseworker, filters={"q": q}, mine=True))

    assert search("riy") == {priya}
    assert search("MORG") == {priya}
    assert search("ex jon") == {bex}
    assert search(bex.reference[-4:].lower()) == {bex}
    assert search("riy jones") == set()


def test_a_case_with_two_break_glass_grants_is_listed_once(caseworker2):
    case = CaseFactory()
    BreakGlassGrantFactory(case=case, user=caseworker2)
    BreakGlassGrantFactory(case=case, user=caseworker2)
    assert list(cases_visible_to(caseworker2)) == [case]
    assert cases_visible_to(caseworker2).count() == 1


def _plan(queryset) -> str:
    from django.db import connection, transaction

    sql, params = queryset.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        # Forbid reading whole tables (sequentially, or along the primary key) so the plan
        # shows whether an index CAN answer the search: with a handful of rows PostgreSQL
        # would rightly read the table instead. GIN indexes are read by bitmap scans.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_search_is_answered_by_the_trigram_indexes(manager):
    CaseFactory(client__first_name="Priya", client__last_name="Shah")
    plan = _plan(case_list_filtered(user=manager, filters={"q": "hah"}))
    for index in [
        "case_reference_trgm",
        "client_first_name_trgm",
        "client_last_name_trgm",
        "client_preferred_name_trgm",
    ]:
        assert index in plan, plan
    assert "Seq Scan on cases_client" not in plan, plan
