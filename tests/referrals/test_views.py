"""Staff intake and triage pages: role matrix, query ceilings, the flow and bad input."""

import pytest
from django.utils import timezone

from cases.models.client import Client
from cases.models.lifecycle import Case
from cases.statuses import CaseStatus
from referrals import forms, services
from referrals.models import DeclineReason, Referral
from stalkingservice.domain import STALE_EDIT_MESSAGE
from tests.factories import UserFactory
from tests.factories_referrals import intake_post, make_referral, make_triaged_referral

pytestmark = pytest.mark.django_db

ROLES = ["signed_out", "caseworker", "caseworker2", "manager", "commissioner", "administrator"]


def http_for(role, request, client):
    if role == "signed_out":
        return client
    from tests.conftest import signed_in

    return signed_in(request.getfixturevalue(role))


# ---- role matrix ----------------------------------------------------------------------
# The referral is unallocated: "caseworker" entered it, "caseworker2" did not; both triage.

MATRIX_GET = {
    "signed_out": 302,
    "caseworker": 200,
    "caseworker2": 200,
    "manager": 200,
    "commissioner": 404,
    "administrator": 404,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", ["intake", "queue", "triage"])
def test_role_matrix_pages(role, page, request, client, caseworker):
    referral = make_referral(by=caseworker)
    url = {
        "intake": "/referrals/new/",
        "queue": "/referrals/triage/",
        "triage": f"/referrals/triage/{referral.pk}/",
    }[page]
    response = http_for(role, request, client).get(url)
    assert response.status_code == MATRIX_GET[role]


MATRIX_POST = {
    "signed_out": 302,
    "caseworker": 302,
    "caseworker2": 302,
    "manager": 302,
    "commissioner": 404,
    "administrator": 404,
}


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_checks(role, request, client, caseworker):
    referral = make_referral(by=caseworker)
    response = http_for(role, request, client).post(
        f"/referrals/triage/{referral.pk}/checks/",
        {
            "duplicate": "new",
            "in_area": "yes",
            "meets_age_policy": "yes",
            "domestic_abuse_related": "no",
            "version": referral.version,
        },
    )
    assert response.status_code == MATRIX_POST[role]
    triaged = Case.objects.get(pk=referral.case_id).status == CaseStatus.TRIAGED
    assert triaged == (role in ("caseworker", "caseworker2", "manager"))
    if role == "signed_out":
        assert "/account/sign-in/" in response["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_decision(role, request, client, caseworker):
    referral = make_triaged_referral(by=caseworker)
    response = http_for(role, request, client).post(
        f"/referrals/triage/{referral.pk}/decision/",
        {"outcome": "accepted", "version": referral.version},
    )
    assert response.status_code == MATRIX_POST[role]
    accepted = Referral.objects.get(pk=referral.pk).outcome == "accepted"
    assert accepted == (role in ("caseworker", "caseworker2", "manager"))


@pytest.mark.parametrize(
    "role,status", [("caseworker", 404), ("caseworker2", 404), ("manager", 200)]
)
def test_restricted_referral_is_for_managers_only(role, status, request, client, caseworker):
    referral = make_referral(by=caseworker)
    Case.objects.filter(pk=referral.case_id).update(restricted=True)
    http = http_for(role, request, client)
    assert http.get(f"/referrals/triage/{referral.pk}/").status_code == status
    assert (referral.reference in http.get("/referrals/triage/").text) == (status == 200)


def test_decided_referrals_leave_the_triage_queue(as_user, caseworker, manager):
    # Their page stays readable on the case's access rule: tests/referrals/test_referral_on_case.py
    referral = make_triaged_referral(by=caseworker)
    services.referral_decide(
        referral=referral, outcome="accepted", version=referral.version, by=caseworker
    )
    assert referral.reference not in as_user(manager).get("/referrals/triage/").text
    page = as_user(manager).get(f"/referrals/triage/{referral.pk}/").text
    assert "Record decision" not in page and "Record checks" not in page


def test_unknown_referral_is_404(as_user, manager):
    assert as_user(manager).get("/referrals/triage/999999/").status_code == 404
    assert as_user(manager).post("/referrals/triage/999999/checks/", {}).status_code == 404
    assert as_user(manager).post("/referrals/triage/999999/decision/", {}).status_code == 404


# ---- query ceilings -------------------------------------------------------------------


@pytest.mark.parametrize("rows", [3, 30])
def test_triage_queue_query_ceiling(rows, as_user, manager, django_assert_max_num_queries):
    for _ in range(rows):
        make_referral(by=manager, risk_tool="DASH", risk_score=12)
    http = as_user(manager)
    with django_assert_max_num_queries(8):
        response = http.get("/referrals/triage/")
    assert response.status_code == 200
    assert f"{rows} referrals awaiting triage" in response.text


@pytest.mark.parametrize("suspects", [1, 2])
def test_triage_page_query_ceiling(suspects, as_user, manager, django_assert_max_num_queries):
    referral = make_referral(
        by=manager,
        suspects=[{"name": f"S{n}", "relationship": "stranger"} for n in range(suspects)],
    )
    http = as_user(manager)
    with django_assert_max_num_queries(14):
        assert http.get(f"/referrals/triage/{referral.pk}/").status_code == 200


def test_queue_is_oldest_first_with_source_digital_and_score(as_user, caseworker):
    now = timezone.now()
    newer = make_referral(by=caseworker, received_at=now - timezone.timedelta(hours=1))
    older = make_referral(
        by=caseworker,
        received_at=now - timezone.timedelta(days=2),
        source="victim-gateway",
        digital_element=True,
        risk_tool="DASH",
        risk_score=15,
    )
    text = as_user(caseworker).get("/referrals/triage/").text
    assert text.index(older.reference) < text.index(newer.reference)
    assert "Staffordshire Victim Gateway" in text
    assert "Digital" in text
    assert "DASH" in text and "15" in text and "High" in text


# ---- the flow -------------------------------------------------------------------------


def test_intake_lands_on_triage_then_accept_puts_it_on_the_waiting_list(as_user, caseworker):
    http = as_user(caseworker)
    response = http.post("/referrals/new/", intake_post())
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/referrals/triage/{referral.pk}/"
    page = http.get(response["Location"]).text
    assert "Amira Khan" in page and "Record checks" in page
    assert referral.case.risk_level_at_intake == "medium"
    assert referral.case.digital_element is True  # monitoring is a digital behaviour
    http.post(
        f"/referrals/triage/{referral.pk}/checks/",
        {
            "duplicate": "new",
            "in_area": "yes",
            "meets_age_policy": "yes",
            "domestic_abuse_related": "no",
            "version": referral.version,
        },
    )
    referral.refresh_from_db()
    page = http.get(f"/referrals/triage/{referral.pk}/").text
    assert "Record decision" in page
    response = http.post(
        f"/referrals/triage/{referral.pk}/decision/",
        {"outcome": "accepted", "version": referral.version},
        follow=True,
    )
    assert f"Referral {referral.reference}: accepted." in response.text
    assert Case.objects.get(pk=referral.case_id).status == CaseStatus.WAITING


def test_decline_through_the_page(as_user, manager):
    referral = make_triaged_referral(by=manager)
    reason = DeclineReason.objects.get(code="not-stalking")
    as_user(manager).post(
        f"/referrals/triage/{referral.pk}/decision/",
        {"outcome": "declined", "decline_reason": reason.pk, "version": referral.version},
    )
    case = Case.objects.get(pk=referral.case_id)
    assert case.status == CaseStatus.CLOSED and case.closure_reason.code == "declined-at-triage"


def test_link_to_duplicate_through_the_page(as_user, manager):
    first = make_triaged_referral(by=manager)
    services.referral_decide(
        referral=first,
        outcome="declined",
        decline_reason=DeclineReason.objects.get(code="no-consent"),
        version=first.version,
        by=manager,
    )
    second = make_referral(by=manager)
    page = as_user(manager).get(f"/referrals/triage/{second.pk}/").text
    assert first.case.reference in page
    as_user(manager).post(
        f"/referrals/triage/{second.pk}/checks/",
        {
            "duplicate": str(first.case.client_id),
            "in_area": "yes",
            "meets_age_policy": "yes",
            "domestic_abuse_related": "no",
            "version": second.version,
        },
    )
    case = Case.objects.get(pk=second.case_id)
    assert case.client_id == first.case.client_id
    assert case.episode == 2 and case.previous_case_id == first.case_id
    assert Client.objects.count() == 1


def test_a_refused_link_is_shown_beside_the_duplicate_question(as_user, manager):
    first = make_triaged_referral(by=manager)
    services.referral_decide(
        referral=first, outcome="accepted", version=first.version, by=manager
    )  # the existing client now has an open case
    second = make_referral(by=manager)
    response = as_user(manager).post(
        f"/referrals/triage/{second.pk}/checks/",
        {
            "duplicate": str(first.case.client_id),
            "in_area": "yes",
            "meets_age_policy": "yes",
            "domestic_abuse_related": "no",
            "version": second.version,
        },
    )
    form = response.context["checks_form"]
    assert first.case.reference in " ".join(form.errors["duplicate"])
    assert not form.non_field_errors()
    assert Case.objects.get(pk=second.case_id).status == CaseStatus.REFERRED


# ---- bad input ------------------------------------------------------------------------


def test_intake_missing_first_name_keeps_everything_typed(as_user, caseworker):
    response = as_user(caseworker).post(
        "/referrals/new/", intake_post(first_name="", summary="Sends letters every day")
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Enter first name" in response.text
    assert response.text.count("<title>Error:") == 1
    assert "Sends letters every day" in response.text
    assert 'value="Khan"' in response.text
    assert Referral.objects.count() == 0


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("date_of_birth", "2099-01-01", forms.DOB_FUTURE),
        ("date_of_birth", "1890-01-01", forms.DOB_TOO_OLD),
        ("date_of_birth", "27/13/1990", "Enter a valid date"),
        ("received_date", "2099-01-01", forms.FUTURE_DATE),
        ("confirmed_on", "2099-01-01", forms.FUTURE_DATE),
        ("age", "130", forms.AGE_RANGE),
        ("safe_phone", "call me maybe", forms.PHONE_INVALID),
        ("risk_score", "40", forms.DASH_RANGE),
        ("first_name", "x" * 101, "at most 100 characters"),
        ("summary", "x" * 4001, "at most 4000 characters"),
        ("email_allowed", "on", forms.EMAIL_NEEDED),
        ("post_allowed", "on", forms.POST_NEEDED),
    ],
)
def test_intake_bad_input(field, value, message, as_user, caseworker):
    response = as_user(caseworker).post("/referrals/new/", intake_post(**{field: value}))
    assert response.status_code == 200
    assert message in response.text.replace("&#x27;", "'")
    assert Referral.objects.count() == 0


def test_intake_score_without_tool_refused(as_user, caseworker):
    response = as_user(caseworker).post("/referrals/new/", intake_post(risk_tool=""))
    assert forms.SCORE_NEEDS_TOOL in response.text


def test_html_is_stored_as_text_and_shown_escaped(as_user, caseworker):
    script = "<script>alert('x')</script>"
    http = as_user(caseworker)
    response = http.post(
        "/referrals/new/", intake_post(summary=script, preferred_name="<b>Ami</b>"), follow=True
    )
    referral = Referral.objects.get()
    assert referral.summary == script
    assert script not in response.text
    assert "&lt;script&gt;" in response.text
    assert "&lt;b&gt;Ami&lt;/b&gt;" in response.text


def test_second_submit_of_the_same_intake_form_creates_no_duplicate(as_user, caseworker):
    http = as_user(caseworker)
    data = intake_post()
    first = http.post("/referrals/new/", data)
    second = http.post("/referrals/new/", data)
    assert Referral.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_unknown_source_id_is_a_form_error(as_user, caseworker):
    response = as_user(caseworker).post("/referrals/new/", intake_post(source="999999"))
    assert response.status_code == 200
    assert "Select a valid choice" in response.text


def test_two_people_triaging_at_once(as_user, caseworker, caseworker2):
    referral = make_referral(by=caseworker)
    checks = {
        "duplicate": "new",
        "in_area": "yes",
        "meets_age_policy": "yes",
        "domestic_abuse_related": "no",
        "version": referral.version,
    }
    as_user(caseworker).post(f"/referrals/triage/{referral.pk}/checks/", checks)
    response = as_user(caseworker2).post(
        f"/referrals/triage/{referral.pk}/checks/", {**checks, "notes": "My careful notes"}
    )
    assert response.status_code == 200
    assert STALE_EDIT_MESSAGE.replace("'", "&#x27;") in response.text
    assert "My careful notes" in response.text


def test_two_people_deciding_at_once(as_user, caseworker, caseworker2):
    referral = make_triaged_referral(by=caseworker)
    as_user(caseworker).post(
        f"/referrals/triage/{referral.pk}/decision/",
        {"outcome": "signposted", "signposted_to": "IDVA", "version": referral.version},
    )
    # The referral has left the triage scope: the second person is told it is gone.
    response = as_user(caseworker2).post(
        f"/referrals/triage/{referral.pk}/decision/",
        {"outcome": "accepted", "notes": "Spoke to the referrer", "version": referral.version},
    )
    assert response.status_code == 404
    assert "no longer awaiting triage" in response.text
    assert "Spoke to the referrer" in response.text  # what they typed is given back
    assert Referral.objects.get(pk=referral.pk).outcome == "signposted"


def test_decision_without_reason_shows_error(as_user, manager):
    referral = make_triaged_referral(by=manager)
    response = as_user(manager).post(
        f"/referrals/triage/{referral.pk}/decision/",
        {"outcome": "declined", "notes": "Typed notes", "version": referral.version},
    )
    assert services.DECLINE_NEEDS_REASON in response.text
    assert "Typed notes" in response.text


def test_accepting_an_ineligible_referral_shows_the_rule(as_user, manager):
    referral = make_referral(by=manager)
    services.referral_record_checks(
        referral=referral,
        link_to_client=None,
        in_area=False,
        meets_age_policy=True,
        domestic_abuse_related=False,
        version=referral.version,
        by=manager,
    )
    referral.refresh_from_db()
    response = as_user(manager).post(
        f"/referrals/triage/{referral.pk}/decision/",
        {"outcome": "accepted", "version": referral.version},
    )
    assert response.status_code == 200
    assert "outside Staffordshire" in response.text


def test_nav_shows_intake_and_triage_to_caseworkers_only(as_user, caseworker, commissioner):
    assert 'href="/referrals/triage/"' in as_user(caseworker).get("/").text
    # (the commissioner's home is another area's page; any page shows the menu)
    assert 'href="/referrals/triage/"' not in as_user(commissioner).get("/referrals/x").text


def test_staff_names_with_no_referral_data_do_not_break_conflict(as_user, manager):
    UserFactory(first_name="", last_name="")
    response = as_user(manager).post(
        "/referrals/new/", intake_post(suspect1_name="", suspect1_relationship="unknown")
    )
    assert response.status_code == 302
    assert Referral.objects.get().conflict_flag is False


def test_viewing_a_referral_at_triage_is_in_the_access_log(as_user, caseworker2, caseworker):
    from stalkingservice.models import AuditEvent

    referral = make_referral(by=caseworker)
    as_user(caseworker2).get(f"/referrals/triage/{referral.pk}/")
    event = AuditEvent.objects.get(action=AuditEvent.Action.CASE_VIEW, case_id=referral.case_id)
    assert event.user == caseworker2 and event.page == "triage"


def test_second_submit_says_it_was_already_saved(as_user, caseworker):
    http = as_user(caseworker)
    data = intake_post()
    http.post("/referrals/new/", data)
    response = http.post("/referrals/new/", data, follow=True)
    reference = Referral.objects.get().reference
    assert f"This form was already saved as referral {reference}." in response.text


PUBLIC_PAGES = [
    "/referrals/self-referral/",
    "/referrals/self-referral/about-you/",
    "/referrals/self-referral/sent/",
]


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_public_check_page_without_answers_goes_to_the_first_question(
    role, request, client
):
    response = http_for(role, request, client).get("/referrals/self-referral/check/")
    assert response.status_code == 302
    assert response["Location"] == "/referrals/self-referral/about-you/"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_role_matrix_public_self_referral(role, url, request, client):
    assert http_for(role, request, client).get(url).status_code == 200


@pytest.mark.parametrize(
    "role,status",
    [("signed_out", 302), ("caseworker", 404), ("manager", 404), ("administrator", 200)],
)
def test_referral_reference_data_is_for_administrators(role, status, request, client):
    response = http_for(role, request, client).get("/admin/referrals/referralsource/")
    assert response.status_code == status
