"""The pages of the risk floor: the assessment form asks for the reason (with everything
typed kept), the managers' list and sign-off page (role matrix, query ceiling), and the
pending change shown on the case and on the manager's home."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models.lifecycle import CaseEvent
from cases.models.risk_level import RiskDowngrade
from cases.services.risk_level import DOWNGRADE_REJECT_NEEDS_NOTE
from cases.statuses import CaseStatus
from risk.models.assessment import RiskAssessment
from tests.factories import CaseFactory
from tests.factories_risk import complete_dash, tool

pytestmark = pytest.mark.django_db

REASON = "Suspect has moved away and made no contact since June"
ROLES = ["signed_out", "caseworker", "caseworker2", "manager", "commissioner", "administrator"]


def dash_post(yes: int, **extra):
    data = {"assessed_on": timezone.localdate().isoformat(), "action": "complete", **extra}
    for index, item in enumerate(tool("dash").items.all()):
        data[f"q_{item.pk}"] = "yes" if index < yes else "no"
        data[f"c_{item.pk}"] = f"note {item.number}"
    return data


@pytest.fixture
def high_case(caseworker):
    case = CaseFactory(allocated_to=caseworker, status=CaseStatus.ACTIVE)
    complete_dash(case, caseworker, 16)
    return case


def propose(case, by):
    return complete_dash(case, by, 2, downgrade_reason=REASON).downgrade


def test_the_form_asks_for_the_reason_and_keeps_what_was_typed(high_case, caseworker, as_user):
    http = as_user(caseworker)
    url = reverse("risk:assessment_new", args=[high_case.pk, "dash"])
    form_page = http.get(url).content.decode()
    assert "The case is high risk. A lower level needs a reason" in form_page
    response = http.post(url, dash_post(2, notes="Typed notes stay"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in page
    assert "lower risk level (standard) than the case holds (high)" in page
    assert 'href="#id_downgrade_reason"' in page
    assert "Typed notes stay" in page and "note 24" in page
    assert RiskAssessment.objects.filter(case=high_case).count() == 1
    high_case.refresh_from_db()
    assert high_case.risk_level == "high"

    response = http.post(url, dash_post(2, downgrade_reason=REASON), follow=True)
    page = response.content.decode()
    assert "The case stays high risk until a manager signs the change off." in page
    assert 'data-testid="downgrade-pending"' in page and REASON in page
    high_case.refresh_from_db()
    assert high_case.risk_level == "high"


def test_a_case_never_assessed_shows_no_reason_field(caseworker, as_user):
    case = CaseFactory(allocated_to=caseworker)
    page = as_user(caseworker).get(reverse("risk:assessment_new", args=[case.pk, "dash"]))
    assert "downgrade_reason" not in page.content.decode()


def test_manager_sees_it_on_the_home_the_list_and_the_case_and_signs_it_off(
    high_case, caseworker, manager, as_user
):
    downgrade = propose(high_case, caseworker)
    http = as_user(manager)
    decide = reverse("cases:risk_downgrade_decide", args=[high_case.pk, downgrade.pk])
    home = http.get(reverse("home")).content.decode()
    assert decide in home
    assert reverse("cases:risk_downgrades_awaiting") in home
    listing = http.get(reverse("cases:risk_downgrades_awaiting")).content.decode()
    assert decide in listing and REASON in listing
    overview = http.get(reverse("cases:detail", args=[high_case.pk])).content.decode()
    assert decide in overview and "stays high risk" in overview

    response = http.post(decide, {"decision": "reject"})
    assert DOWNGRADE_REJECT_NEEDS_NOTE in response.content.decode()
    response = http.post(decide, {"decision": "approve", "note": "Agreed"}, follow=True)
    assert "Signed off: the case is now standard risk." in response.content.decode()
    high_case.refresh_from_db()
    assert high_case.risk_level == "standard"
    event = CaseEvent.objects.filter(case=high_case, kind="risk_level_changed").first()
    assert REASON in event.summary
    # A decided one is not offered again.
    response = http.get(decide, follow=True)
    assert "already been decided" in response.content.decode()


def test_caseworker_sees_the_pending_change_but_no_sign_off(high_case, caseworker, as_user):
    downgrade = propose(high_case, caseworker)
    http = as_user(caseworker)
    overview = http.get(reverse("cases:detail", args=[high_case.pk])).content.decode()
    assert "stays high risk until a manager signs it off" in overview
    decide = reverse("cases:risk_downgrade_decide", args=[high_case.pk, downgrade.pk])
    assert decide not in overview
    assert http.post(decide, {"decision": "approve"}).status_code == 404
    downgrade.refresh_from_db()
    assert downgrade.status == RiskDowngrade.Status.PENDING


@pytest.fixture
def world(caseworker, caseworker2, manager, commissioner, administrator, high_case):
    downgrade = propose(high_case, caseworker)
    users = {
        "caseworker": caseworker,
        "caseworker2": caseworker2,
        "manager": manager,
        "commissioner": commissioner,
        "administrator": administrator,
    }
    return {"case": high_case, "downgrade": downgrade, "users": users}


EXPECTED = {
    "signed_out": 302,
    "caseworker": 404,
    "caseworker2": 404,
    "manager": 200,
    "commissioner": 404,
    "administrator": 404,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", ["list", "decide"])
def test_role_matrix(world, client, as_user, role, page):
    url = {
        "list": reverse("cases:risk_downgrades_awaiting"),
        "decide": reverse(
            "cases:risk_downgrade_decide", args=[world["case"].pk, world["downgrade"].pk]
        ),
    }[page]
    http = client if role == "signed_out" else as_user(world["users"][role])
    response = http.get(url)
    assert response.status_code == EXPECTED[role], (role, page)
    if role == "signed_out":
        assert "/account/sign-in/" in response["Location"]
    # Nobody but a manager can post a decision either.
    if role not in ("manager", "signed_out"):
        assert http.post(url, {"decision": "approve"}).status_code == 404
    world["downgrade"].refresh_from_db()
    assert world["downgrade"].is_pending


def test_decide_under_another_case_is_404(world, manager, as_user):
    other = CaseFactory()
    url = reverse("cases:risk_downgrade_decide", args=[other.pk, world["downgrade"].pk])
    assert as_user(manager).get(url).status_code == 404


@pytest.mark.parametrize("n", [3, 30])
def test_list_queries_do_not_grow_with_rows(
    caseworker, manager, as_user, django_assert_max_num_queries, n
):
    for _ in range(n):
        case = CaseFactory(allocated_to=caseworker)
        complete_dash(case, caseworker, 16)
        propose(case, caseworker)
    http = as_user(manager)
    with django_assert_max_num_queries(8):
        response = http.get(reverse("cases:risk_downgrades_awaiting"))
    assert response.status_code == 200
    assert response.content.decode().count("risk-downgrades/") == min(n, 25)
