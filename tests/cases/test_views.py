from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.forms.client import DOB_FUTURE, DOB_TOO_OLD
from cases.forms.common import FUTURE_MESSAGE
from cases.forms.contact import OVERRIDE_REASON_REQUIRED
from cases.models.client import SafeContact
from cases.models.contact import ContactAttempt
from cases.models.lifecycle import Case
from cases.models.notes_tasks import CaseNote, Task
from cases.services.common import FUTURE_DATE
from cases.services.contact import UNSAFE_OVERRIDE_REASON_NEEDED
from cases.services.lifecycle import ALLOCATE_NOT_WAITING
from cases.statuses import CaseStatus
from stalkingservice.models import AuditEvent
from tests.conftest import signed_in
from tests.factories_cases import (
    BreakGlassGrantFactory,
    CaseEventFactory,
    CaseFactory,
    CaseNoteFactory,
    CaseViewFactory,
    TaskFactory,
    WaitingCaseFactory,
)

pytestmark = pytest.mark.django_db

ROLES = [
    "signed_out",
    "allocated",
    "co_worker",
    "other_caseworker",
    "break_glass",
    "manager",
    "commissioner",
    "administrator",
]
BG = "break-glass"  # a redirect to the break-glass form
LOGIN = "login"

CASE_PAGE = dict(zip(ROLES, [LOGIN, 200, 200, BG, 200, 200, 404, 404], strict=True))
MANAGER_ONLY = dict(zip(ROLES, [LOGIN, 404, 404, 404, 404, 200, 404, 404], strict=True))
CASE_PAGE_VIEWS = [
    "cases:detail",
    "cases:contact",
    "cases:tasks",
    "cases:client_edit",
    "cases:safe_contact_edit",
]


def _get(user, url):
    client = signed_in(user) if user else __import__("django.test", fromlist=["Client"]).Client()
    return client.get(url)


def _outcome(response):
    if response.status_code == 302:
        if "/account/sign-in/" in response["Location"]:
            return LOGIN
        if "/break-glass/" in response["Location"]:
            return BG
        return 302
    return response.status_code


@pytest.mark.parametrize("name", CASE_PAGE_VIEWS)
@pytest.mark.parametrize("role", ROLES)
def test_case_pages_role_matrix(name, role, world):
    case, users = world
    assert _outcome(_get(users[role], reverse(name, args=[case.pk]))) == CASE_PAGE[role]


@pytest.mark.parametrize("role", ROLES)
def test_note_history_role_matrix(role, world):
    case, users = world
    note = CaseNoteFactory(case=case)
    url = reverse("cases:note_history", args=[case.pk, note.pk])
    assert _outcome(_get(users[role], url)) == CASE_PAGE[role]


LIST_PAGES = {
    # Commissioners' and administrators' homes belong to other areas of the product and
    # are tested there, so "home" is checked here for the casework roles only.
    "home": dict(zip(ROLES[:6], [LOGIN, 200, 200, 200, 200, 200], strict=True)),
    "cases:my_cases": dict(zip(ROLES, [LOGIN, 200, 200, 200, 200, 200, 404, 404], strict=True)),
    "cases:all_cases": MANAGER_ONLY,
    "cases:waiting_list": MANAGER_ONLY,
}


@pytest.mark.parametrize(
    ("name", "role", "expected"),
    [
        (name, role, expected)
        for name, outcomes in LIST_PAGES.items()
        for role, expected in outcomes.items()
    ],
)
def test_list_pages_role_matrix(name, role, expected, world):
    _, users = world
    assert _outcome(_get(users[role], reverse(name))) == expected


@pytest.mark.parametrize("role", ROLES)
def test_posting_a_note_role_matrix(role, world):
    case, users = world
    # Break-glass reads, it does not act: the read-only page (issue 13, point 4).
    expected = dict(zip(ROLES, [LOGIN, 302, 302, 404, 403, 302, 404, 404], strict=True))
    client = (
        signed_in(users[role])
        if users[role]
        else __import__("django.test", fromlist=["Client"]).Client()
    )
    response = client.post(
        reverse("cases:note_add", args=[case.pk]),
        {
            "note_type": "call",
            "direction": "out",
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "summary": f"Note by {role}",
        },
    )
    assert _outcome(response) == expected[role]
    assert CaseNote.objects.filter(summary=f"Note by {role}").exists() == (expected[role] == 302)


def test_restricted_case_is_404_for_other_caseworkers(caseworker, caseworker2, manager):
    case = CaseFactory(allocated_to=caseworker, restricted=True)
    assert signed_in(caseworker2).get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert (
        signed_in(caseworker2).get(reverse("cases:break_glass", args=[case.pk])).status_code == 404
    )
    assert signed_in(caseworker).get(reverse("cases:detail", args=[case.pk])).status_code == 200
    assert signed_in(manager).get(reverse("cases:detail", args=[case.pk])).status_code == 200


def test_unknown_ids_are_404(caseworker, manager):
    case = CaseFactory(allocated_to=caseworker)
    http = signed_in(caseworker)
    assert http.get("/cases/999999/").status_code == 404
    assert http.get(f"/cases/{case.pk}/notes/999999/edit/").status_code == 404
    assert http.post(f"/cases/{case.pk}/tasks/999999/done/").status_code == 404
    other_task = TaskFactory()
    assert http.post(f"/cases/{case.pk}/tasks/{other_task.pk}/done/").status_code == 404


# ---- break-glass and access log ---------------------------------------------------------


def test_break_glass_flow_logged_and_shown_to_managers(caseworker, caseworker2, manager):
    case = CaseFactory(allocated_to=caseworker)
    http = signed_in(caseworker2)
    response = http.get(reverse("cases:contact", args=[case.pk]))
    assert response.status_code == 302 and "/break-glass/" in response["Location"]
    form_page = http.get(response["Location"])
    assert case.reference in form_page.text
    assert case.client.last_name not in form_page.text  # nothing but the reference
    refused = http.post(form_page.request["PATH_INFO"], {"reason": ""})
    assert "Enter why you need to open this case" in refused.text
    done = http.post(
        reverse("cases:break_glass", args=[case.pk]) + f"?next=/cases/{case.pk}/contact/",
        {"reason": "Duty cover: Casey is on leave"},
    )
    assert done.status_code == 302 and done["Location"] == f"/cases/{case.pk}/contact/"
    page = http.get(done["Location"])
    assert page.status_code == 200
    assert "You opened this case with break-glass access" in page.text
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.BREAK_GLASS, user=caseworker2, case_id=case.pk
    ).exists()
    log = signed_in(manager).get(reverse("cases:access_log", args=[case.pk]))
    assert "Duty cover: Casey is on leave" in log.text
    assert str(caseworker2) in log.text
    assert "contact" in log.text  # the page they viewed
    home = signed_in(manager).get("/")
    assert "Duty cover: Casey is on leave" in home.text


def test_every_case_view_is_recorded(caseworker):
    case = CaseFactory(allocated_to=caseworker)
    http = signed_in(caseworker)
    for name in CASE_PAGE_VIEWS:
        http.get(reverse(name, args=[case.pk]))
    pages = set(
        AuditEvent.objects.filter(case_id=case.pk, action="case_view").values_list(
            "page", flat=True
        )
    )
    assert {"overview", "contact", "tasks", "client edit", "safe contact edit"} <= pages


def test_find_by_reference(caseworker, caseworker2):
    mine = CaseFactory(allocated_to=caseworker)
    theirs = CaseFactory(allocated_to=caseworker2)
    restricted = CaseFactory(allocated_to=caseworker2, restricted=True)
    http = signed_in(caseworker)
    assert (
        http.post("/cases/find/", {"reference": mine.reference.lower()})["Location"]
        == f"/cases/{mine.pk}/"
    )
    assert (
        http.post("/cases/find/", {"reference": theirs.reference})["Location"]
        == f"/cases/{theirs.pk}/"
    )
    for ref in (restricted.reference, "STK-1999-00001"):
        page = http.post("/cases/find/", {"reference": ref}, follow=True)
        assert "No case you can open has that reference." in page.text


# ---- sensitive notes -------------------------------------------------------------------


def test_sensitive_note_hidden_from_break_glass_user(world):
    case, users = world
    CaseNoteFactory(case=case, summary="Ordinary update")
    CaseNoteFactory(case=case, summary="Disclosed a health condition", sensitive=True)
    for role in ("allocated", "co_worker", "manager"):
        assert (
            "Disclosed a health condition" in _get(users[role], f"/cases/{case.pk}/contact/").text
        )
    page = _get(users["break_glass"], f"/cases/{case.pk}/contact/").text
    assert "Ordinary update" in page and "Disclosed a health condition" not in page
    sensitive = CaseNote.objects.get(sensitive=True)
    assert (
        _get(users["break_glass"], f"/cases/{case.pk}/notes/{sensitive.pk}/history/").status_code
        == 404
    )


def test_note_edit_keeps_history_and_refuses_stale(caseworker):
    case = CaseFactory(allocated_to=caseworker)
    note = CaseNoteFactory(case=case, summary="Spoke to client")
    url = reverse("cases:note_edit", args=[case.pk, note.pk])
    data = {
        "note_type": "call",
        "direction": "out",
        "occurred_at": timezone.localtime(note.occurred_at).strftime("%Y-%m-%dT%H:%M"),
        "summary": "Spoke to client about bail",
        "reason": "Added detail",
        "version": note.version,
    }
    http = signed_in(caseworker)
    assert http.post(url, {**data, "reason": ""}).status_code == 200
    assert http.post(url, data).status_code == 302
    stale = http.post(url, {**data, "summary": "My late edit"})
    assert "Someone else saved changes" in stale.text
    assert "My late edit" in stale.text
    history = http.get(reverse("cases:note_history", args=[case.pk, note.pk])).text
    assert "Spoke to client about bail" in history and "Added detail" in history


# ---- contact attempts ---------------------------------------------------------------------


def _attempt(method="phone", outcome="reached", **extra):
    return {
        "method": method,
        "outcome": outcome,
        "at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        **extra,
    }


def test_contact_page_shows_safe_contact_panel_and_loud_warning(caseworker):
    case = CaseFactory(allocated_to=caseworker)
    page = signed_in(caseworker).get(f"/cases/{case.pk}/contact/").text
    assert 'data-testid="contact-safe-contact"' in page
    assert "07700 900123" in page
    assert "Post is not confirmed as safe." in page
    assert "Voicemail is not allowed." in page


def test_post_blocked_unless_overridden_with_reason(caseworker):
    case = CaseFactory(allocated_to=caseworker)
    http = signed_in(caseworker)
    url = reverse("cases:contact_attempt_add", args=[case.pk])
    refused = http.post(url, _attempt("post", "sent", notes="Letter about <b>court</b>"))
    assert refused.status_code == 200
    assert "Post is not confirmed as safe." in refused.text
    assert UNSAFE_OVERRIDE_REASON_NEEDED in refused.text
    assert "Letter about &lt;b&gt;court&lt;/b&gt;" in refused.text  # kept, escaped
    assert not ContactAttempt.objects.exists()
    no_reason = http.post(url, _attempt("post", "sent", override_unsafe="on"))
    assert OVERRIDE_REASON_REQUIRED in no_reason.text
    ok = http.post(
        url,
        _attempt("post", "sent", override_unsafe="on", unsafe_route_reason="Client asked by phone"),
    )
    assert ok.status_code == 302
    assert ContactAttempt.objects.get().unsafe_route_reason == "Client asked by phone"


def test_unsafe_route_refusal_is_placed_by_the_field_the_error_names(caseworker):
    """The service names the field (DomainError(field="override_unsafe")); the view never
    reads the message to choose where it goes."""
    case = CaseFactory(allocated_to=caseworker)
    url = reverse("cases:contact_attempt_add", args=[case.pk])
    page = signed_in(caseworker).post(url, _attempt("post", "sent")).text
    assert '<a href="#id_override_unsafe">Post is not confirmed as safe.' in page


def test_a_refused_form_sent_once_can_be_corrected_and_sent_again(caseworker):
    """The once-only id stops a double click saving twice, not a corrected resubmission of
    a form whose save was refused."""
    case = CaseFactory(allocated_to=caseworker)
    http = signed_in(caseworker)
    url = reverse("cases:contact_attempt_add", args=[case.pk])
    refused = http.post(url, _attempt("post", "sent", submission_id="once-1"))
    assert UNSAFE_OVERRIDE_REASON_NEEDED in refused.text
    corrected = _attempt(
        "post", "sent", submission_id="once-1", override_unsafe="on", unsafe_route_reason="Asked"
    )
    assert http.post(url, corrected).status_code == 302
    assert ContactAttempt.objects.filter(case=case).count() == 1
    http.post(url, corrected)
    assert ContactAttempt.objects.filter(case=case).count() == 1


def test_reached_moves_case_to_active_and_future_time_refused(caseworker):
    case = CaseFactory(allocated_to=caseworker)
    http = signed_in(caseworker)
    url = reverse("cases:contact_attempt_add", args=[case.pk])
    future = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    page = http.post(url, {**_attempt(), "at": future})
    assert FUTURE_MESSAGE in page.text
    assert http.post(url, _attempt()).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE and case.first_contact_at is not None


def test_bad_note_input_kept_with_messages(caseworker):
    case = CaseFactory(allocated_to=caseworker)
    http = signed_in(caseworker)
    page = http.post(
        reverse("cases:note_add", args=[case.pk]),
        {
            "note_type": "",
            "occurred_at": "not a date",
            "summary": "x" * 10001,
            "duration_minutes": "-5",
        },
    )
    assert page.status_code == 200
    assert "There is a problem" in page.text
    assert "Select the type of note" in page.text
    assert "Use 10000 characters or fewer" in page.text
    assert "not a date" in page.text
    assert page.text.startswith("<!doctype html>") and "<title>Error:" in page.text
    assert not CaseNote.objects.exists()


def test_html_in_note_is_shown_escaped(caseworker):
    case = CaseFactory(allocated_to=caseworker)
    CaseNoteFactory(case=case, summary="<script>alert(1)</script>")
    page = signed_in(caseworker).get(f"/cases/{case.pk}/contact/").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# ---- allocation -------------------------------------------------------------------------


def test_waiting_list_shows_caseloads_and_allocate(manager, caseworker, caseworker2):
    waiting = WaitingCaseFactory(risk_level_at_intake="high")
    CaseFactory(allocated_to=caseworker, risk_level="high")
    http = signed_in(manager)
    page = http.get("/cases/waiting/").text
    assert waiting.reference in page and "High at referral" in page
    assert str(caseworker) in page and "1 high" in page
    response = http.post(
        reverse("cases:allocate", args=[waiting.pk]),
        {"worker": caseworker2.pk, "co_worker": caseworker.pk},
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert (waiting.status, waiting.allocated_to, waiting.co_worker) == (
        CaseStatus.ALLOCATED,
        caseworker2,
        caseworker,
    )
    # A second submit of the same form does not allocate twice: it is refused.
    again = http.post(reverse("cases:allocate", args=[waiting.pk]), {"worker": caseworker.pk})
    assert ALLOCATE_NOT_WAITING in again.text


def test_reallocate_needs_a_reason(manager, caseworker, caseworker2):
    case = CaseFactory(allocated_to=caseworker)
    http = signed_in(manager)
    url = reverse("cases:reallocate", args=[case.pk])
    page = http.post(url, {"worker": caseworker2.pk, "reason": "", "version": case.version})
    assert "Enter the reason for reallocating" in page.text
    ok = http.post(url, {"worker": caseworker2.pk, "reason": "Leave", "version": case.version})
    assert ok.status_code == 302
    assert Case.objects.get(pk=case.pk).allocated_to == caseworker2


# ---- tasks ----------------------------------------------------------------------------


def test_tasks_manual_and_computed_overdue_and_done_with_one_click(caseworker):
    today = timezone.localdate()
    case = CaseFactory(allocated_to=caseworker, first_contact_due=today - timedelta(days=1))
    task = TaskFactory(case=case, title="Chase crime number", due_on=today - timedelta(days=2))
    http = signed_in(caseworker)
    page = http.get(f"/cases/{case.pk}/tasks/").text
    assert "First contact attempt due" in page
    assert "Chase crime number" in page
    assert page.count("Overdue") >= 2
    response = http.post(f"/cases/{case.pk}/tasks/{task.pk}/done/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Done" in response.text
    assert Task.objects.get(pk=task.pk).done_by == caseworker
    # A double click: still fine, still one "done" event.
    assert http.post(f"/cases/{case.pk}/tasks/{task.pk}/done/").status_code == 302


def test_add_task_refuses_bad_input(caseworker):
    case = CaseFactory(allocated_to=caseworker)
    page = signed_in(caseworker).post(
        f"/cases/{case.pk}/tasks/", {"title": "", "due_on": "31/02/2026", "assignee": "999"}
    )
    assert "Enter what needs doing" in page.text
    assert "Enter a valid date" in page.text
    assert not Task.objects.exists()


# ---- client and safe contact edits -------------------------------------------------------


def _client_data(client, **overrides):
    data = {
        "first_name": client.first_name,
        "last_name": client.last_name,
        "preferred_name": client.preferred_name,
        "date_of_birth": client.date_of_birth.isoformat() if client.date_of_birth else "",
        "language": "English",
        "district": client.district_id,
        "gender": "prefer_not",
        "ethnicity": "prefer_not",
        "disability": "prefer_not",
        "sexual_orientation": "prefer_not",
        "religion": "prefer_not",
        "gender_reassignment": "prefer_not",
        "marital_status": "prefer_not",
        "pregnancy": "prefer_not",
        "version": client.version,
    }
    data.update(overrides)
    return data


def test_client_edit_stale_second_editor_told_and_keeps_input(caseworker, co_worker):
    case = CaseFactory(allocated_to=caseworker, co_worker=co_worker)
    client = case.client
    url = reverse("cases:client_edit", args=[case.pk])
    first = signed_in(caseworker).post(url, _client_data(client, preferred_name="Jo"))
    assert first.status_code == 302
    second = signed_in(co_worker).post(url, _client_data(client, pronouns="they/them"))
    assert second.status_code == 200
    assert "Someone else saved changes" in second.text
    assert "they/them" in second.text  # nothing lost
    assert 'data-testid="stale-comparison"' in second.text  # their version beside mine
    # Saving again after checking goes through.
    import re

    version = re.search(r'name="version" value="(\d+)"', second.text).group(1)
    third = signed_in(co_worker).post(
        url, _client_data(client, preferred_name="Jo", pronouns="they/them", version=version)
    )
    assert third.status_code == 302
    client.refresh_from_db()
    assert (client.preferred_name, client.pronouns) == ("Jo", "they/them")
    assert client.display_name.startswith("Jo ")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date_of_birth", "2999-01-01", DOB_FUTURE),
        ("date_of_birth", "1850-01-01", DOB_TOO_OLD),
        ("first_name", "", "Enter the client&#x27;s first name"),
        ("first_name", "x" * 101, "Use 100 characters or fewer"),
        ("age_at_referral", "300", "Enter an age of 120 or less"),
    ],
)
def test_client_edit_bad_input(field, value, message, caseworker):
    case = CaseFactory(allocated_to=caseworker)
    page = signed_in(caseworker).post(
        reverse("cases:client_edit", args=[case.pk]), _client_data(case.client, **{field: value})
    )
    assert page.status_code == 200
    assert message in page.text


def _safe_data(sc, **overrides):
    data = {
        "safe_phone": "07700 900123",
        "safe_times": "Mornings",
        "phone_allowed": "on",
        "confirmed_on": timezone.localdate().isoformat(),
        "plain_envelope": "on",
        "version": sc.version,
    }
    data.update(overrides)
    return data


def test_safe_contact_edit_stale_and_future_confirmation(caseworker, co_worker):
    case = CaseFactory(allocated_to=caseworker, co_worker=co_worker)
    sc = case.client.safe_contact
    url = reverse("cases:safe_contact_edit", args=[case.pk])
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    page = signed_in(caseworker).post(url, _safe_data(sc, confirmed_on=future))
    assert FUTURE_DATE in page.text
    assert signed_in(caseworker).post(url, _safe_data(sc, text_allowed="on")).status_code == 302
    stale = signed_in(co_worker).post(url, _safe_data(sc, safe_times="Evenings only"))
    assert "Someone else saved changes" in stale.text and "Evenings only" in stale.text
    assert SafeContact.objects.get(pk=sc.pk).text_allowed is True


# ---- query counts: the same ceiling for 3 rows and 30 -------------------------------------


def _fill(case, n, user):
    for i in range(n):
        CaseEventFactory(case=case, summary=f"event {i}", by=user)
        CaseNoteFactory(case=case, author=user)
        TaskFactory(case=case, assignee=user, created_by=user)
        ContactAttempt.objects.create(case=case, method="phone", outcome="no_answer", by=user)
        CaseViewFactory(case_id=case.pk, user=user)


@pytest.mark.parametrize("n", [3, 30])
def test_case_page_query_ceiling(n, caseworker, manager, django_assert_max_num_queries):
    case = CaseFactory(allocated_to=caseworker)
    _fill(case, n, caseworker)
    for name, user in [
        ("cases:detail", caseworker),
        ("cases:contact", caseworker),
        ("cases:tasks", caseworker),
        ("cases:access_log", manager),
    ]:
        http = signed_in(user)
        with django_assert_max_num_queries(22):
            assert http.get(reverse(name, args=[case.pk])).status_code == 200


@pytest.mark.parametrize("n", [3, 30])
def test_list_query_ceiling(n, caseworker, caseworker2, manager, django_assert_max_num_queries):
    for i in range(n):
        case = CaseFactory(allocated_to=caseworker, co_worker=caseworker2 if i % 2 else None)
        TaskFactory(case=case)
        WaitingCaseFactory()
        BreakGlassGrantFactory(case=case, user=caseworker2)
    for url, user in [
        ("/", caseworker),
        ("/cases/mine/?overdue=on&sort=-last_contact", caseworker),
        ("/", manager),
        ("/cases/all/?sort=risk", manager),
        ("/cases/waiting/", manager),
    ]:
        http = signed_in(user)
        if url.startswith("/cases/all/"):
            http.post("/cases/all/", {"q": "a", "sort": "risk"})  # the search, in the session
        with django_assert_max_num_queries(16):
            assert http.get(url).status_code == 200


def searched(http, path, text):
    """A client that has searched a case list (the search is kept in its session)."""
    http.post(path, {"q": text})
    return http


def _query_count(http, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert http.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_benchmarked_pages_run_the_same_queries_for_3_cases_and_33(caseworker, manager):
    """The pages `make bench` measures (docs/benchmark.md): a page's query count must not
    depend on how many cases, tasks or timeline entries there are (no N+1)."""

    def add(n):
        for i in range(n):
            case = CaseFactory(
                allocated_to=caseworker,
                status=CaseStatus.ACTIVE,
                risk_level="high",
                client__last_name=f"Smith{i}",
            )
            TaskFactory(case=case, assignee=caseworker, created_by=caseworker)
            CaseEventFactory(case=case, summary="event", by=caseworker)
            WaitingCaseFactory()
        return case

    busy = add(3)
    pages = [
        (signed_in(caseworker), "/"),
        (searched(signed_in(caseworker), "/cases/mine/", "smith"), "/cases/mine/"),
        (signed_in(manager), "/cases/all/?risk=high&status=active"),
        (searched(signed_in(manager), "/cases/all/", "Smith"), "/cases/all/"),
        (signed_in(manager), "/cases/waiting/"),
        (signed_in(caseworker), f"/cases/{busy.pk}/"),
    ]
    for http, url in pages:
        http.get(url)  # the first request of a session does one-off work
    few = [_query_count(http, url) for http, url in pages]
    add(30)
    for i in range(60):
        CaseEventFactory(case=busy, summary=f"more {i}", by=caseworker)
        TaskFactory(case=busy, assignee=caseworker, created_by=caseworker)
    many = [_query_count(http, url) for http, url in pages]
    assert many == few, list(zip([url for _, url in pages], few, many, strict=True))


def test_second_submit_of_the_same_note_form_saves_once(caseworker):
    case = CaseFactory(allocated_to=caseworker)
    http = signed_in(caseworker)
    form_page = http.get(f"/cases/{case.pk}/contact/").text
    import re

    token = re.search(r'name="submission_id" value="([0-9a-f]+)"', form_page).group(1)
    data = {
        "note_type": "call",
        "direction": "out",
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "summary": "Only once",
        "submission_id": token,
    }
    assert http.post(reverse("cases:note_add", args=[case.pk]), data).status_code == 302
    again = http.post(reverse("cases:note_add", args=[case.pk]), data, follow=True)
    assert "That was already saved" in again.text
    assert CaseNote.objects.filter(summary="Only once").count() == 1
    attempt = {**_attempt(), "submission_id": "abc123"}
    http.post(reverse("cases:contact_attempt_add", args=[case.pk]), attempt)
    http.post(reverse("cases:contact_attempt_add", args=[case.pk]), attempt)
    assert ContactAttempt.objects.filter(case=case).count() == 1
