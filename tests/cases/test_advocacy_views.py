"""Pages of advocacy and the end of support: who may open them, what bad input shows,
and query counts that do not grow with the rows."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models.handover import HandoverReferral
from cases.models.lifecycle import Case, ClosureRequest
from cases.models.orders import OrderStatus
from cases.models.service_records import AwarenessSession, Feedback
from cases.services.lifecycle import CLOSURE_REASON_REQUIRED, closure_request, exit_plan_save
from cases.services.orders import order_breach_create
from cases.services.outcomes import outcomes_record
from cases.services.police_court import (
    hearing_create,
    investigation_transition,
    police_contact_create,
)
from cases.statuses import CaseStatus
from tests.factories import CaseFactory, TaskFactory, UserFactory
from tests.factories_advocacy import (
    HandoverFactory,
    InvestigationFactory,
    OrderFactory,
    active_case,
    reason,
    service,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date.today

BREAK_GLASS = "break-glass"  # a redirect to the break-glass form (another worker's case)
CASE = {
    "anon": 302,
    "cw": 200,
    "cw2": BREAK_GLASS,
    "manager": 200,
    "commissioner": 404,
    "admin": 404,
}
MANAGER_ONLY = {**CASE, "cw": 404, "cw2": 404}
SERVICE = {**CASE, "cw2": 200}


@pytest.fixture
def world(caseworker, caseworker2, manager, commissioner, administrator):
    case = active_case(allocated_to=caseworker)
    inv = InvestigationFactory(case=case)
    order = OrderFactory(case=case)
    handover = HandoverFactory(case=case)
    pending_case = active_case(allocated_to=caseworker, risk_level="high")
    pending = closure_request(case=pending_case, reason=reason(), summary="Done", by=caseworker)
    closed = active_case(allocated_to=caseworker)
    closure_request(case=closed, reason=reason(), summary="Done", by=caseworker)
    feedback = Feedback.objects.create(
        kind="compliment",
        received_from="client",
        received_on=TODAY(),
        summary="Thank you",
        recorded_by=manager,
    )
    return {
        "case": case,
        "inv": inv,
        "order": order,
        "handover": handover,
        "pending_case": pending_case,
        "pending": pending,
        "closed": closed,
        "feedback": feedback,
        "users": {
            "cw": caseworker,
            "cw2": caseworker2,
            "manager": manager,
            "commissioner": commissioner,
            "admin": administrator,
        },
    }


PAGES = [
    ("police", lambda w: [w["case"].pk], CASE),
    ("investigation_add", lambda w: [w["case"].pk], CASE),
    ("investigation_edit", lambda w: [w["case"].pk, w["inv"].pk], CASE),
    ("investigation_status", lambda w: [w["case"].pk, w["inv"].pk], CASE),
    ("police_contact_add", lambda w: [w["case"].pk], CASE),
    ("victims_code", lambda w: [w["case"].pk], CASE),
    ("hearing_add", lambda w: [w["case"].pk], CASE),
    ("court_support", lambda w: [w["case"].pk], CASE),
    ("order_add", lambda w: [w["case"].pk], CASE),
    ("order_status", lambda w: [w["case"].pk, w["order"].pk], CASE),
    ("breach_add", lambda w: [w["case"].pk, w["order"].pk], CASE),
    ("handovers", lambda w: [w["case"].pk], CASE),
    ("handover_add", lambda w: [w["case"].pk], CASE),
    ("handover_acknowledge", lambda w: [w["case"].pk, w["handover"].pk], CASE),
    ("handover_summary", lambda w: [w["case"].pk, w["handover"].pk], CASE),
    ("service_directory", lambda w: [], SERVICE),
    ("outcomes", lambda w: [w["case"].pk], CASE),
    ("outcome_record", lambda w: [w["case"].pk, "entry"], CASE),
    ("exit", lambda w: [w["case"].pk], CASE),
    ("exit_plan", lambda w: [w["case"].pk], CASE),
    ("closure_request", lambda w: [w["case"].pk], CASE),
    ("closure_decide", lambda w: [w["pending_case"].pk, w["pending"].pk], MANAGER_ONLY),
    ("closure_summary", lambda w: [w["closed"].pk], CASE),
    ("reopen", lambda w: [w["closed"].pk], CASE),
    ("closures_awaiting", lambda w: [], MANAGER_ONLY),
    ("awareness_list", lambda w: [], SERVICE),
    ("awareness_add", lambda w: [], SERVICE),
    ("feedback_list", lambda w: [], SERVICE),
    ("feedback_add", lambda w: [], SERVICE),
    # Recorded by a manager: only managers (and whoever recorded it) read it (issue 13, 6).
    ("feedback_edit", lambda w: [w["feedback"].pk], MANAGER_ONLY),
]


@pytest.mark.parametrize(("name", "args", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_role_matrix(client, as_user, world, name, args, expected):
    url = reverse(f"cases:{name}", args=args(world))
    for who, status in expected.items():
        http = client if who == "anon" else as_user(world["users"][who])
        response = http.get(url)
        got = response.status_code
        if got == 302 and "/break-glass/" in response["Location"]:
            got = BREAK_GLASS
        assert got == status, (who, url, got)


def test_other_caseworkers_child_record_is_not_found_through_own_case(as_user, caseworker):
    mine = active_case(allocated_to=caseworker)
    theirs = InvestigationFactory()
    url = reverse("cases:investigation_status", args=[mine.pk, theirs.pk])
    assert as_user(caseworker).get(url).status_code == 404


# ---- bad input: refused with a message, nothing typed lost -----------------------------


def test_hearing_before_charge_date_shown_beside_field(as_user, caseworker):
    case = active_case(allocated_to=caseworker)
    InvestigationFactory(case=case, status="charged", charged_on=TODAY() - dt.timedelta(days=5))
    response = as_user(caseworker).post(
        reverse("cases:hearing_add", args=[case.pk]),
        {
            "hearing_type": "trial",
            "court": "Stoke Crown Court typed",
            "hearing_on": (TODAY() - dt.timedelta(days=9)).isoformat(),
            "outcome": "Adjourned",
        },
    )
    assert response.status_code == 200
    assert "cannot be before the charge date" in response.text
    assert "Stoke Crown Court typed" in response.text
    assert not case.hearings.exists()


def test_order_granted_before_applied_refused(as_user, caseworker):
    case = active_case(allocated_to=caseworker)
    response = as_user(caseworker).post(
        reverse("cases:order_add", args=[case.pk]),
        {
            "order_type": "spo",
            "status": "granted",
            "applied_on": TODAY().isoformat(),
            "granted_on": (TODAY() - dt.timedelta(days=3)).isoformat(),
            "conditions": "Not to contact typed",
        },
    )
    assert response.status_code == 200
    assert "cannot be granted before it was applied for" in response.text
    assert "Not to contact typed" in response.text
    assert not case.orders.exists()


def test_order_status_change_on_page(as_user, caseworker):
    order = OrderFactory(case=active_case(allocated_to=caseworker))
    http = as_user(caseworker)
    response = http.post(
        reverse("cases:order_status", args=[order.case.pk, order.pk]),
        {"to": "granted", "on": TODAY().isoformat(), "conditions": "No contact, 2 years"},
    )
    assert response.status_code == 302
    page = http.get(reverse("cases:police", args=[order.case.pk]))
    assert "Granted" in page.text and "No contact, 2 years" in page.text
    order.refresh_from_db()
    assert order.status == OrderStatus.GRANTED


def test_closure_without_reason_refused(as_user, caseworker):
    case = active_case(allocated_to=caseworker)
    response = as_user(caseworker).post(
        reverse("cases:closure_request", args=[case.pk]), {"summary": "Summary typed here"}
    )
    assert response.status_code == 200
    assert CLOSURE_REASON_REQUIRED in response.text
    assert "Summary typed here" in response.text
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE


def test_exit_rating_outside_range_refused(as_user, caseworker):
    case = active_case(allocated_to=caseworker)
    outcomes_record(
        case=case, stage="entry", answers={"safer": "2"}, recorded_on=TODAY(), by=caseworker
    )
    response = as_user(caseworker).post(
        reverse("cases:outcome_record", args=[case.pk, "exit"]),
        {
            "recorded_on": TODAY().isoformat(),
            "safer": "7",
            "health": "4",
            "coping": "not_asked",
            "informed": "declined",
            "justice": "not_relevant",
            "satisfaction": "5",
        },
    )
    assert response.status_code == 200
    assert "Ratings are from 1 to 5" in response.text
    import re

    radios = re.findall(r"<input[^>]*>", response.text)
    checked = {
        (re.search(r'name="(\w+)"', r).group(1), re.search(r'value="(\w+)"', r).group(1))
        for r in radios
        if "checked" in r and 'type="radio"' in r
    }
    # What was typed is kept: every valid choice stays selected.
    assert {("health", "4"), ("informed", "declined"), ("justice", "not_relevant")} <= checked
    assert not case.outcome_assessments.filter(stage="exit").exists()


def test_handover_without_consent_refused(as_user, caseworker):
    case = active_case(allocated_to=caseworker)
    response = as_user(caseworker).post(
        reverse("cases:handover_add", args=[case.pk]),
        {
            "service": service().pk,
            "kind": "managed",
            "made_on": TODAY().isoformat(),
            "reason": "Needs practical help typed",
        },
    )
    assert response.status_code == 200
    assert "needs the client&#x27;s consent to share" in response.text
    assert "Needs practical help typed" in response.text
    assert not case.handovers.exists()


# ---- handover summary and safe contact --------------------------------------------------


def _client_with_safe_contact(case):
    safe = case.client.safe_contact
    safe.safe_phone = "07700 900777"
    safe.email_allowed = True
    safe.email = "private.person@example.org"
    safe.save()


def test_summary_omits_safe_contact_without_consent_covering_it(as_user, caseworker):
    case = active_case(allocated_to=caseworker)
    _client_with_safe_contact(case)
    handover = HandoverFactory(case=case, consent_covers_contact_details=False)
    response = as_user(caseworker).get(
        reverse("cases:handover_summary", args=[case.pk, handover.pk])
    )
    assert response.status_code == 200
    assert "07700 900777" not in response.text
    assert "private.person@example.org" not in response.text
    assert "has not agreed to share contact details" in response.text
    assert handover.information_shared in response.text


def test_summary_includes_safe_contact_when_consent_covers_it(as_user, caseworker):
    case = active_case(allocated_to=caseworker)
    _client_with_safe_contact(case)
    handover = HandoverFactory(case=case, consent_covers_contact_details=True)
    response = as_user(caseworker).get(
        reverse("cases:handover_summary", args=[case.pk, handover.pk])
    )
    assert "07700 900777" in response.text
    assert "private.person@example.org" in response.text


def test_summary_without_consent_to_share_does_not_name_client(as_user, caseworker):
    case = active_case(allocated_to=caseworker)
    handover = HandoverFactory(
        case=case, kind="information", consent_to_share=False, information_shared=""
    )
    response = as_user(caseworker).get(
        reverse("cases:handover_summary", args=[case.pk, handover.pk])
    )
    assert "Not shared (no consent to share)" in response.text
    assert case.client.safe_contact.safe_phone not in response.text


def test_closing_summary_warns_no_letter_when_post_unsafe(as_user, caseworker):
    case = active_case(allocated_to=caseworker)
    closure_request(case=case, reason=reason(), summary="Finished", by=caseworker)
    response = as_user(caseworker).get(reverse("cases:closure_summary", args=[case.pk]))
    assert "Do not send a letter" in response.text
    form = as_user(caseworker).get(
        reverse("cases:closure_request", args=[active_case(allocated_to=caseworker).pk])
    )
    assert "Send a closing letter" not in form.text


def test_closing_letter_offered_when_post_allowed(as_user, caseworker):
    case = active_case(allocated_to=caseworker)
    case.client.safe_contact.post_allowed = True
    case.client.safe_contact.save()
    form = as_user(caseworker).get(reverse("cases:closure_request", args=[case.pk]))
    assert "Send a closing letter" in form.text


def test_reopen_through_page_opens_new_episode(as_user, caseworker):
    case = active_case(allocated_to=caseworker)
    closure_request(case=case, reason=reason(), summary="Finished", by=caseworker)
    response = as_user(caseworker).post(
        reverse("cases:reopen", args=[case.pk]), {"reason": "Stalking started again"}
    )
    new = Case.objects.get(previous_case=case)
    assert response.status_code == 302 and response.url == new.get_absolute_url()
    assert new.episode == 2


def test_feedback_list_hides_reference_of_case_user_cannot_see(as_user, caseworker, manager):
    other = CaseFactory()
    Feedback.objects.create(
        kind="complaint",
        received_from="client",
        received_on=TODAY(),
        summary="Late call",
        case=other,
        recorded_by=manager,
    )
    assert other.reference not in as_user(caseworker).get(reverse("cases:feedback_list")).text
    assert other.reference in as_user(manager).get(reverse("cases:feedback_list")).text


# ---- query counts do not grow with rows ---------------------------------------------


def _fill_case(case, n, user):
    for i in range(n):
        inv = InvestigationFactory(case=case)
        investigation_transition(investigation=inv, to="investigating", on=TODAY(), by=user)
        order = OrderFactory(case=case)
        order_breach_create(
            order=order, data={"occurred_on": TODAY(), "description": f"Breach {i}"}, by=user
        )
        police_contact_create(
            case=case,
            data={"who": "DC", "purpose": "Update", "contacted_on": TODAY()},
            follow_up_title="Chase",
            by=user,
        )
        hearing_create(
            case=case,
            data={"hearing_type": "order", "court": "Stafford", "hearing_on": TODAY()},
            by=user,
        )
        HandoverFactory(case=case)
        TaskFactory(case=case)


CASE_TABS = ["police", "handovers", "outcomes", "exit"]


@pytest.mark.parametrize("tab", CASE_TABS)
def test_case_tab_query_ceiling(as_user, caseworker, django_assert_max_num_queries, tab):
    http = as_user(caseworker)
    for n in (3, 30):
        case = active_case(allocated_to=caseworker)
        _fill_case(case, n, caseworker)
        outcomes_record(
            case=case, stage="entry", answers={"safer": "3"}, recorded_on=TODAY(), by=caseworker
        )
        with django_assert_max_num_queries(25):
            assert http.get(reverse(f"cases:{tab}", args=[case.pk])).status_code == 200


@pytest.mark.parametrize("name", ["closures_awaiting", "awareness_list", "feedback_list"])
def test_service_list_query_ceiling(
    as_user, caseworker, manager, django_assert_max_num_queries, name
):
    http = as_user(manager)
    for n in (3, 30):
        for _ in range(n):
            c = active_case(allocated_to=UserFactory(), risk_level="high")
            ClosureRequest.objects.create(
                case=c, reason=reason(), summary="x", status="requested", requested_by=caseworker
            )
            AwarenessSession.objects.create(
                delivered_on=TODAY(),
                title="Stalking awareness",
                audience_type="police",
                attendees=12,
                delivered_by=caseworker,
                created_by=caseworker,
            )
            Feedback.objects.create(
                kind="complaint",
                received_from="client",
                received_on=TODAY(),
                summary="x",
                case=c,
                recorded_by=manager,
            )
        with django_assert_max_num_queries(15):
            assert http.get(reverse(f"cases:{name}")).status_code == 200


def test_awareness_session_recorded(as_user, caseworker):
    response = as_user(caseworker).post(
        reverse("cases:awareness_add"),
        {
            "delivered_on": TODAY().isoformat(),
            "title": "Stalking and digital safety",
            "audience_type": "education",
            "attendees": "40",
            "delivered_by": caseworker.pk,
        },
    )
    assert response.status_code == 302
    listing = as_user(caseworker).get(reverse("cases:awareness_list"))
    assert "Stalking and digital safety" in listing.text


def test_managed_handover_needs_ack_and_marks_task_done(as_user, caseworker):
    case = active_case(allocated_to=caseworker)
    http = as_user(caseworker)
    http.post(
        reverse("cases:handover_add", args=[case.pk]),
        {
            "service": service("local-idva").pk,
            "kind": "managed",
            "made_on": TODAY().isoformat(),
            "consent_to_share": "on",
            "information_shared": "Name, risk level, safe times",
        },
    )
    handover = HandoverReferral.objects.get(case=case)
    assert "Awaiting" in http.get(reverse("cases:handovers", args=[case.pk])).text
    http.post(
        reverse("cases:handover_acknowledge", args=[case.pk, handover.pk]),
        {
            "acknowledged_on": TODAY().isoformat(),
            "acknowledgement": "Email from duty IDVA",
            "version": handover.version,  # as the page's form posts it
        },
    )
    handover.refresh_from_db()
    assert handover.follow_up_task.done_at is not None
    assert timezone.now() >= handover.follow_up_task.done_at


def test_closing_a_standard_case_through_the_page(as_user, caseworker):
    case = active_case(allocated_to=caseworker)
    http = as_user(caseworker)
    response = http.post(
        reverse("cases:closure_request", args=[case.pk]),
        {"reason": reason().pk, "summary": "Goals met"},
        follow=True,
    )
    assert "The case is closed." in response.text
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_service_directory_is_reference_data_in_admin(as_user, administrator, caseworker):
    url = "/admin/cases/servicedirectoryentry/"
    response = as_user(administrator).get(url)
    assert response.status_code == 200
    assert "National Stalking Helpline" in response.text
    assert as_user(caseworker).get(url).status_code != 200


def test_stale_exit_plan_edit_is_refused_and_input_kept(as_user, caseworker, manager):
    case = active_case(allocated_to=caseworker)
    plan = exit_plan_save(
        case=case,
        data={
            "readiness": "Ready",
            "ongoing_safety": "Plan",
            "who_to_contact": "Police",
            "how_to_come_back": "Call",
        },
        version=None,
        by=caseworker,
    )
    url = reverse("cases:exit_plan", args=[case.pk])
    form = {
        "readiness": "Edited by the caseworker",
        "ongoing_safety": "Plan",
        "who_to_contact": "Police",
        "how_to_come_back": "Call",
        "version": plan.version,
    }
    assert as_user(manager).post(url, {**form, "readiness": "Manager first"}).status_code == 302
    response = as_user(caseworker).post(url, form)
    assert response.status_code == 200
    assert "Someone else saved changes" in response.text
    assert "Edited by the caseworker" in response.text


@pytest.mark.parametrize("covers", [False, True])
def test_text_summary_follows_consent_and_is_logged(as_user, caseworker, covers):
    from stalkingservice.models import AuditEvent

    case = active_case(allocated_to=caseworker)
    _client_with_safe_contact(case)
    handover = HandoverFactory(case=case, consent_covers_contact_details=covers)
    response = as_user(caseworker).get(
        reverse("cases:handover_summary", args=[case.pk, handover.pk]) + "?format=text"
    )
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/plain")
    assert handover.information_shared in text
    assert ("07700 900777" in text) is covers
    assert ("private.person@example.org" in text) is covers
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD, case_id=case.pk).exists()
