"""Who may open each risk and incident page (role matrix), exhibits of another worker's
case are a 404, and the number of queries does not grow with the number of rows."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from risk.services.assessment import ASSESSMENT_ALREADY_COMPLETE, marac_refer
from risk.services.exhibits import exhibit_add
from tests.factories import CaseFactory
from tests.factories_risk import IncidentFactory, complete_dash, png_bytes, tool

pytestmark = pytest.mark.django_db

ROLES = ["signed_out", "caseworker", "caseworker2", "manager", "commissioner", "administrator"]


@pytest.fixture
def world(caseworker, caseworker2, manager, commissioner, administrator, settings, tmp_path):
    settings.PROTECTED_FILES_ROOT = tmp_path
    case = CaseFactory(allocated_to=caseworker)
    assessment = complete_dash(case, caseworker, 12).assessment
    incident = IncidentFactory(case=case)
    exhibit = exhibit_add(
        incident=incident, upload=SimpleUploadedFile("a.png", png_bytes()), by=caseworker
    )
    referral = marac_refer(
        case=case,
        referred_on=timezone.localdate(),
        criteria={"professional_judgement": True},
        by=caseworker,
    )
    users = {
        "caseworker": caseworker,
        "caseworker2": caseworker2,
        "manager": manager,
        "commissioner": commissioner,
        "administrator": administrator,
    }
    return {
        "case": case,
        "assessment": assessment,
        "incident": incident,
        "exhibit": exhibit,
        "referral": referral,
        "users": users,
    }


def urls(w):
    c = w["case"].pk
    return {
        "risk tab": reverse("risk:case_risk", args=[c]),
        "new DASH": reverse("risk:assessment_new", args=[c, "dash"]),
        "assessment": reverse("risk:assessment", args=[c, w["assessment"].pk]),
        "new MARAC": reverse("risk:marac_new", args=[c]),
        "edit MARAC": reverse("risk:marac_edit", args=[c, w["referral"].pk]),
        "incidents": reverse("risk:incidents", args=[c]),
        "new incident": reverse("risk:incident_new", args=[c]),
        "incident": reverse("risk:incident", args=[c, w["incident"].pk]),
        "edit incident": reverse("risk:incident_edit", args=[c, w["incident"].pk]),
        "exhibit": reverse("risk:exhibit_download", args=[c, w["exhibit"].pk]),
        "pdf": reverse("risk:chronology", args=[c, "pdf"]),
        "csv": reverse("risk:chronology", args=[c, "csv"]),
    }


# Another caseworker is offered break-glass (a redirect to give a reason), as on every
# case tab (cases.case_page.with_case).
CASE_PAGE_EXPECTED = {
    "signed_out": 302,
    "caseworker": 200,
    "caseworker2": 302,
    "manager": 200,
    "commissioner": 404,
    "administrator": 404,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "page",
    [
        "risk tab",
        "new DASH",
        "assessment",
        "new MARAC",
        "edit MARAC",
        "incidents",
        "new incident",
        "incident",
        "edit incident",
        "exhibit",
        "csv",
    ],
)
def test_case_pages_role_matrix(world, client, as_user, role, page):
    http = client if role == "signed_out" else as_user(world["users"][role])
    response = http.get(urls(world)[page])
    assert response.status_code == CASE_PAGE_EXPECTED[role], (role, page)
    if role == "signed_out":
        assert "/account/sign-in/" in response["Location"]
    if role == "caseworker2":
        break_glass = reverse("cases:break_glass", args=[world["case"].pk])
        assert response["Location"].startswith(break_glass)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("signed_out", 302),
        ("caseworker", 404),
        ("caseworker2", 404),
        ("manager", 200),
        ("commissioner", 404),
        ("administrator", 404),
    ],
)
def test_high_risk_review_list_role_matrix(world, client, as_user, role, expected):
    http = client if role == "signed_out" else as_user(world["users"][role])
    assert http.get(reverse("risk:high_risk_reviews")).status_code == expected


def test_other_workers_cannot_write_either(world, as_user):
    http = as_user(world["users"]["caseworker2"])
    c = world["case"].pk
    assert http.post(reverse("risk:incident_new", args=[c]), {}).status_code == 404
    url = reverse("risk:exhibit_new", args=[c, world["incident"].pk])
    assert http.post(url, {"physical_item": "x", "held_where": "y"}).status_code == 404
    assert world["incident"].exhibits.count() == 1


def test_exhibit_id_under_another_case_is_404(world, caseworker2, as_user):
    own = CaseFactory(allocated_to=caseworker2)
    url = reverse("risk:exhibit_download", args=[own.pk, world["exhibit"].pk])
    assert as_user(caseworker2).get(url).status_code == 404


def test_completed_assessment_cannot_be_posted_over(world, caseworker, as_user):
    url = urls(world)["assessment"]
    response = as_user(caseworker).post(url, {"assessed_on": "2020-01-01"}, follow=True)
    assert ASSESSMENT_ALREADY_COMPLETE in response.content.decode()
    world["assessment"].refresh_from_db()
    assert world["assessment"].assessed_on == timezone.localdate()


# ---- query ceilings ------------------------------------------------------------------


def _fill(case, by, n):
    today = timezone.localdate()
    for i in range(n):
        complete_dash(
            case,
            by,
            (i * 5) % 24,
            assessed_on=today - datetime.timedelta(days=n - i),
            downgrade_reason="Lower on review",
        )
        incident = IncidentFactory(
            case=case, occurred_at=timezone.now() - datetime.timedelta(i + 1)
        )
        exhibit_add(incident=incident, physical_item=f"Letter {i}", held_where="Safe", by=by)
        marac_refer(
            case=case,
            referred_on=today - datetime.timedelta(days=i),
            criteria={"repeat": True},
            by=by,
        )


@pytest.mark.parametrize("n", [3, 30])
@pytest.mark.parametrize("page", ["risk tab", "incidents", "incident"])
def test_tab_queries_do_not_grow_with_rows(
    caseworker, as_user, django_assert_max_num_queries, n, page
):
    case = CaseFactory(allocated_to=caseworker)
    _fill(case, caseworker, n)
    incident = case.incidents.first()
    url = {
        "risk tab": reverse("risk:case_risk", args=[case.pk]),
        "incidents": reverse("risk:incidents", args=[case.pk]),
        "incident": reverse("risk:incident", args=[case.pk, incident.pk]),
    }[page]
    http = as_user(caseworker)
    with django_assert_max_num_queries(16):
        response = http.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("n", [3, 30])
def test_review_list_queries_do_not_grow(
    manager, caseworker, as_user, django_assert_max_num_queries, n
):
    for _ in range(n):
        CaseFactory(allocated_to=caseworker, risk_level="high")
    http = as_user(manager)
    with django_assert_max_num_queries(8):
        response = http.get(reverse("risk:high_risk_reviews"))
    assert response.status_code == 200


def test_checklist_page_shows_every_question(caseworker, as_user):
    case = CaseFactory(allocated_to=caseworker)
    page = as_user(caseworker).get(reverse("risk:assessment_new", args=[case.pk, "dash"]))
    text = page.content.decode()
    for item in tool("dash").items.all():
        assert f"{item.number}. " in text
    assert text.count('type="radio"') == 24 * 3
