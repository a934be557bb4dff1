"""The duplicate check is not an identity oracle (issue 13 point 3).

A caseworker triaging a referral learns the name, date of birth, reference and status of
a possible match only when they can already open one of that client's cases; otherwise
the page says "a possible match exists; a manager will check it", in the same words for
a restricted client and an ordinary one, and the link decision goes to a manager. Every
match shown is an access-log row against the matched case."""

import re
from datetime import date

import pytest

from cases.statuses import CaseStatus
from referrals import services
from referrals.models import Referral
from stalkingservice.crypto import blind_index
from stalkingservice.domain import DomainError
from stalkingservice.models import AuditEvent
from tests.factories import CaseFactory, ClientFactory, SafeContactFactory
from tests.factories_referrals import make_referral

pytestmark = pytest.mark.django_db

NAME_FIRST, NAME_LAST = "Zelda", "Quartermaine"
DOB = date(1984, 7, 19)
DOB_SHOWN = "19 July 1984"
REFERENCE = "STK-2024-04242"
STATUS_SHOWN = "Exit planning"
EMAIL = "zq.private@example.org"


def matched_case(*, allocated_to, restricted=False):
    """A client we already support, found by the referral's email address (a different
    name is given on the referral, so any sight of this name is a leak)."""
    client = ClientFactory(
        first_name=NAME_FIRST, last_name=NAME_LAST, date_of_birth=DOB, safe_contact=None
    )
    SafeContactFactory(
        client=client, email=EMAIL, email_allowed=True, email_index=blind_index(EMAIL, "email")
    )
    return CaseFactory(
        client=client,
        reference=REFERENCE,
        status=CaseStatus.EXIT_PLANNING,
        allocated_to=allocated_to,
        restricted=restricted,
    )


def referral_for_same_email(by):
    return make_referral(
        by=by, first_name="Zoe", last_name="Quinn", safe_phone="", email=EMAIL.upper()
    )


def duplicate_section(html: str) -> str:
    section = html[html.index("Duplicate check") : html.index("Eligibility")]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", section)


def leaked(html: str) -> list[str]:
    return [
        value
        for value in (NAME_FIRST, NAME_LAST, DOB_SHOWN, "1984-07-19", REFERENCE, STATUS_SHOWN)
        if value in html
    ]


# ---- who sees what: a role matrix ------------------------------------------------------


@pytest.mark.parametrize(
    "actor, sees_details",
    [("owner", True), ("manager", True), ("other_caseworker", False)],
)
def test_match_details_only_for_those_who_can_open_the_case(
    as_user, caseworker, caseworker2, manager, actor, sees_details
):
    matched = matched_case(allocated_to=caseworker)
    referral = referral_for_same_email(manager)
    user = {"owner": caseworker, "manager": manager, "other_caseworker": caseworker2}[actor]

    response = as_user(user).get(f"/referrals/triage/{referral.pk}/")

    assert response.status_code == 200
    html = response.text
    if sees_details:
        assert leaked(html) == [NAME_FIRST, NAME_LAST, DOB_SHOWN, REFERENCE, STATUS_SHOWN]
        assert services.POSSIBLE_MATCH_FOR_MANAGER not in html
    else:
        assert leaked(html) == []
        assert services.POSSIBLE_MATCH_FOR_MANAGER in duplicate_section(html)
        assert "Pass to a manager" in html
        assert "Record checks" not in html  # the link decision is not theirs
    rows = AuditEvent.objects.filter(
        case_id=matched.pk, user=user, action=AuditEvent.Action.CASE_VIEW
    )
    assert [r.page for r in rows] == ["triage duplicate check"]
    assert str(referral.pk) in rows[0].detail
    assert REFERENCE not in rows[0].detail and NAME_LAST not in rows[0].detail


def test_a_restricted_match_is_not_confirmed(as_user, caseworker, caseworker2, manager):
    """The other caseworker's page reads the same whether the match is restricted or not."""
    ordinary = matched_case(allocated_to=caseworker)
    first = referral_for_same_email(manager)
    page_ordinary = duplicate_section(
        as_user(caseworker2).get(f"/referrals/triage/{first.pk}/").text
    )

    ordinary.restricted = True
    ordinary.save()
    page_restricted = duplicate_section(
        as_user(caseworker2).get(f"/referrals/triage/{first.pk}/").text
    )

    assert page_restricted == page_ordinary
    assert "restricted" not in page_restricted.lower()
    assert leaked(page_restricted) == []
    # The manager still sees it in full, restriction and all.
    manager_page = duplicate_section(as_user(manager).get(f"/referrals/triage/{first.pk}/").text)
    assert REFERENCE in manager_page and "Restricted" in manager_page


def test_many_hidden_matches_read_as_one_line(as_user, caseworker, caseworker2, manager):
    matched_case(allocated_to=caseworker)
    other = ClientFactory(safe_contact=None, date_of_birth=DOB)
    SafeContactFactory(
        client=other, email=EMAIL, email_allowed=True, email_index=blind_index(EMAIL, "email")
    )
    CaseFactory(client=other, allocated_to=caseworker, restricted=True)
    referral = referral_for_same_email(manager)
    html = as_user(caseworker2).get(f"/referrals/triage/{referral.pk}/").text
    assert html.count(services.POSSIBLE_MATCH_FOR_MANAGER) == 1
    assert 'data-testid="duplicate-candidate"' not in html
    assert AuditEvent.objects.filter(page="triage duplicate check", user=caseworker2).count() == 2


# ---- the link decision goes to a manager -------------------------------------------------


def test_the_caseworker_cannot_record_checks_past_a_hidden_match(caseworker, caseworker2, manager):
    matched_case(allocated_to=caseworker)
    referral = referral_for_same_email(manager)
    with pytest.raises(DomainError, match=services.POSSIBLE_MATCH_FOR_MANAGER):
        services.referral_record_checks(
            referral=referral,
            link_to_client=None,
            in_area=True,
            meets_age_policy=True,
            domestic_abuse_related=False,
            version=referral.version,
            by=caseworker2,
        )


def test_passing_to_a_manager_routes_the_link_decision(as_user, caseworker, caseworker2, manager):
    matched = matched_case(allocated_to=caseworker)
    referral = referral_for_same_email(manager)
    other = as_user(caseworker2)

    response = other.post(
        f"/referrals/triage/{referral.pk}/checks/", {"pass_to_manager": "1"}, follow=True
    )

    assert services.PASSED_TO_MANAGER in response.text
    assert Referral.objects.get(pk=referral.pk).duplicate_for_manager is True
    # It has left the caseworkers' triage queue, and the manager's queue says why.
    assert referral.reference not in other.get("/referrals/triage/").text
    assert other.get(f"/referrals/triage/{referral.pk}/").status_code == 404
    queue = as_user(manager).get("/referrals/triage/").text
    assert referral.reference in queue and "Duplicate check: for a manager" in queue
    # The manager sees the match in full, with the choice to link it.
    page = as_user(manager).get(f"/referrals/triage/{referral.pk}/").text
    assert leaked(duplicate_section(page)) == [
        NAME_FIRST,
        NAME_LAST,
        DOB_SHOWN,
        REFERENCE,
        STATUS_SHOWN,
    ]
    assert f'value="{matched.client_id}"' in page and "Record checks" in page


def test_pass_to_manager_is_refused_when_nothing_is_hidden(as_user, caseworker, manager):
    matched_case(allocated_to=caseworker)
    referral = referral_for_same_email(manager)
    response = as_user(caseworker).post(
        f"/referrals/triage/{referral.pk}/checks/", {"pass_to_manager": "1"}, follow=True
    )
    assert services.NO_HIDDEN_MATCH in response.text
    assert Referral.objects.get(pk=referral.pk).duplicate_for_manager is False
