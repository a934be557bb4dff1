"""A manager follows a dashboard figure to the cases behind it: the all-cases list shows
exactly the cases the figure counted, says in words which ones they are, and survives a
link someone has mangled."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.statuses import CaseStatus, RiskLevel
from reporting.figures import compute_all
from reporting.periods import Quarter
from reporting.registry import Period
from reporting.views import _cases_link
from stalkingservice.models import District
from stalkingservice.roles import Role
from tests.conftest import signed_in
from tests.factories import UserFactory
from tests.factories_reporting import closure_reason, referral

pytestmark = pytest.mark.django_db

LINKED = {
    "referrals_received",
    "referrals_by_district",
    "triage_outcomes",
    "referrals_declined",
    "new_cases",
    "open_caseload",
    "open_caseload_per_caseworker",
    "cases_closed",
}


@pytest.fixture
def quarter_world():
    """Referrals and cases in last quarter, and on both sides of its edges."""
    quarter = Quarter.containing(timezone.localdate()).previous()
    start, end = quarter.start_at, quarter.end_at
    worker = UserFactory(role=Role.CASEWORKER, first_name="Dana", last_name="Okoro")
    north, south = District.objects.order_by("pk")[:2]
    made = [
        referral(received=start + timedelta(minutes=30), source="self", district=north),
        referral(received=start + timedelta(days=3), source="police", district=south),
        referral(
            received=start + timedelta(days=10),
            source="self",
            outcome="declined",
            decline="not-stalking",
            district=north,
        ),
        referral(received=start + timedelta(days=20), outcome="signposted", district=south),
        # Accepted, high risk, allocated and still open at the quarter's end.
        referral(
            received=start + timedelta(days=30),
            allocated_to=worker,
            risk_level=RiskLevel.HIGH,
            district=north,
        ),
        # Accepted and closed in the quarter.
        referral(
            received=start + timedelta(days=5),
            status=CaseStatus.CLOSED,
            closed_at=start + timedelta(days=40),
            closure_reason=closure_reason(),
        ),
        # Just outside: the minute before the start, and the quarter's last minute + 1.
        referral(received=start - timedelta(minutes=1), source="self", district=north),
        referral(received=end, source="self", district=north),
        # Closed just after the quarter: open at its end.
        referral(
            received=start - timedelta(days=60),
            status=CaseStatus.CLOSED,
            closed_at=end + timedelta(hours=2),
            closure_reason=closure_reason(),
            risk_level=RiskLevel.MEDIUM,
        ),
    ]
    return quarter, made


def _listed_count(http, url) -> int:
    response = http.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


def test_every_linked_figure_lists_exactly_the_cases_it_counted(quarter_world, manager):
    quarter, _ = quarter_world
    http = signed_in(manager)
    checked = []
    for ind, result in compute_all(Period.for_quarter(quarter)):
        if ind.code not in LINKED:
            continue
        links = [(ind.label, result.value, result.link)]
        links += [(f"{ind.label}: {row.label}", row.value, row.link) for row in result.rows]
        for label, value, link in links:
            if not link:
                continue
            assert _listed_count(http, _cases_link(link)) == value, (label, link)
            checked.append(label)
    # The figures were not all zero, and every linked indicator was checked.
    assert len(checked) > 20
    assert {label.split(":")[0] for label in checked} >= {
        ind.label for ind, _ in compute_all(Period.for_quarter(quarter)) if ind.code in LINKED
    }


def test_the_list_says_which_cases_it_shows_and_keeps_them_when_refined(quarter_world, manager):
    quarter, made = quarter_world
    start, end = quarter.start.isoformat(), quarter.end.isoformat()
    url = reverse("cases:all_cases") + f"?referred_from={start}&referred_to={end}&source=self"
    page = signed_in(manager).get(url)
    text = page.text
    assert "The cases behind a dashboard figure" in text
    assert "Referral source: Self-referral" in text or "Referral source: Self" in text
    assert "Showing 2 cases" in text
    in_quarter_self = {made[0].case.reference, made[2].case.reference}
    outside = {made[6].case.reference, made[7].case.reference, made[1].case.reference}
    assert all(reference in text for reference in in_quarter_self)
    assert not any(reference in text for reference in outside)
    # The filter form carries the figure, so narrowing by district keeps to its cases.
    assert 'name="source" value="self"' in text
    north = made[0].case.district
    refined = signed_in(manager).get(url + f"&district={north.pk}&status=all")
    assert refined.context["page"].paginator.count == 2


@pytest.mark.parametrize(
    "query",
    [
        "referred_from=2026-02-30",
        "open_on=yesterday",
        "source=<script>alert(1)</script>",
        "allocated_to=²",
        "allocated_to=999999",
        "risk_level=extreme",
        "closure_reason=nope&closed_from=2026-01-01",
    ],
)
def test_a_mangled_figure_link_is_explained_not_a_server_error(manager, query):
    response = signed_in(manager).get(reverse("cases:all_cases") + "?" + query, follow=True)
    assert response.status_code == 200
    assert "could not be read, so it was left out" in response.text
    assert "<script>alert(1)</script>" not in response.text


def test_caseworkers_cannot_use_figure_links_to_see_other_cases(caseworker):
    other = referral(received=timezone.now() - timedelta(hours=1), source="self")
    response = signed_in(caseworker).get(
        reverse("cases:my_cases") + "?referred_from=2000-01-01&source=self"
    )
    assert response.status_code == 200
    assert other.case.reference not in response.text
    assert "The cases behind a dashboard figure" not in response.text
    assert signed_in(caseworker).get(reverse("cases:all_cases")).status_code == 404


def test_a_figure_list_runs_the_same_queries_however_many_cases_match(manager):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    start = Quarter.containing(timezone.localdate()).previous().start_at
    district = District.objects.order_by("pk").first()
    url = (
        reverse("cases:all_cases")
        + f"?referred_from={start.date().isoformat()}&source=self&district_code={district.code}"
    )
    http = signed_in(manager)

    def queries(n_more):
        for i in range(n_more):
            referral(received=start + timedelta(days=1, hours=i), source="self", district=district)
        with CaptureQueriesContext(connection) as captured:
            response = http.get(url)
        assert response.status_code == 200
        return len(captured.captured_queries), response.context["page"].paginator.count

    few, shown_few = queries(2)
    many, shown_many = queries(10)
    assert (shown_few, shown_many) == (2, 12)
    assert many == few
