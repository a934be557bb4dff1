"""Duplicate check, conflict check and eligibility, and who sees the conflict flag."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from cases.models.suspects import Suspect
from cases.statuses import CaseStatus
from referrals.selectors import conflict_matches, duplicate_candidates, eligibility_proposal
from stalkingservice.domain import DomainError
from tests.factories import CaseFactory, ClientFactory, SafeContactFactory, UserFactory
from tests.factories_referrals import make_referral

pytestmark = pytest.mark.django_db


# ---- duplicate check ----------------------------------------------------------------


def test_duplicate_by_name_and_date_of_birth(caseworker):
    existing = ClientFactory(first_name="Amira", last_name="Khan", date_of_birth=date(1990, 3, 27))
    ClientFactory(first_name="Amira", last_name="Khan", date_of_birth=date(1991, 3, 27))
    referral = make_referral(by=caseworker, first_name="amira", last_name="KHAN", safe_phone="")
    found = duplicate_candidates(referral=referral)
    assert [c.client for c in found] == [existing]
    assert found[0].reasons == ["Same name and date of birth"]


def test_duplicate_by_safe_phone_in_another_format(caseworker):
    other = ClientFactory(first_name="Jo", last_name="Bloggs", safe_contact=None)
    SafeContactFactory(client=other, safe_phone="+44 7700 900456")
    sc = other.safe_contact
    from stalkingservice.crypto import blind_index

    sc.safe_phone_index = blind_index(sc.safe_phone, "phone")
    sc.save()
    referral = make_referral(by=caseworker, safe_phone="07700900456")
    found = duplicate_candidates(referral=referral)
    assert [c.client for c in found] == [other]
    assert "Same safe phone number" in found[0].reasons


def test_duplicate_by_email(caseworker):
    first = make_referral(by=caseworker, first_name="Sam", safe_phone="", email="sam@example.org")
    second = make_referral(
        by=caseworker, first_name="Samantha", safe_phone="", email=" SAM@example.org "
    )
    found = duplicate_candidates(referral=second)
    assert [c.client for c in found] == [first.case.client]
    assert found[0].reasons == ["Same email address"]


def test_no_duplicates_for_a_new_person(caseworker):
    ClientFactory(first_name="Someone", last_name="Else")
    referral = make_referral(by=caseworker)
    assert duplicate_candidates(referral=referral) == []


def test_duplicate_candidates_show_on_the_triage_page(as_user, caseworker):
    existing = CaseFactory(
        status=CaseStatus.CLOSED,
        allocated_to=caseworker,  # a client the caseworker worked with: details shown
        client__first_name="Amira",
        client__last_name="Khan",
        client__date_of_birth=date(1990, 3, 27),
    )
    referral = make_referral(by=caseworker)
    page = as_user(caseworker).get(f"/referrals/triage/{referral.pk}/").text
    assert existing.reference in page
    assert "Same name and date of birth" in page


# ---- conflict check -----------------------------------------------------------------


def test_conflict_when_suspect_is_a_member_of_staff(caseworker):
    UserFactory(username="dmorley", first_name="Dean", last_name="Morley")
    referral = make_referral(by=caseworker)
    assert referral.conflict_flag is True
    assert "member of staff" in referral.conflict_detail


def test_conflict_when_suspect_alias_is_a_current_client(caseworker):
    current = CaseFactory(
        status=CaseStatus.ACTIVE, client__first_name="Lee", client__last_name="Hart"
    )
    referral = make_referral(
        by=caseworker, suspects=[{"name": "Unknown", "aliases": "Lee  Hart, LH"}]
    )
    lines = conflict_matches(case=referral.case)
    assert len(lines) == 1 and current.reference in lines[0]


def test_no_conflict_with_a_closed_client(caseworker):
    CaseFactory(status=CaseStatus.CLOSED, client__first_name="Dean", client__last_name="Morley")
    referral = make_referral(by=caseworker)
    assert referral.conflict_flag is False


@pytest.fixture
def conflicted(caseworker):
    UserFactory(username="dmorley", first_name="Dean", last_name="Morley")
    return make_referral(by=caseworker)


def test_managers_see_the_conflict_flag(as_user, manager, conflicted):
    response = as_user(manager).get(f"/referrals/triage/{conflicted.pk}/")
    assert response.status_code == 200
    assert "Conflict of interest" in response.text
    assert "dmorley" in response.text
    queue = as_user(manager).get("/referrals/triage/")
    assert conflicted.reference in queue.text


def test_caseworkers_never_see_a_conflicted_referral(as_user, caseworker2, conflicted):
    http = as_user(caseworker2)
    assert http.get(f"/referrals/triage/{conflicted.pk}/").status_code == 404
    queue = http.get("/referrals/triage/").text
    assert conflicted.reference not in queue
    assert "Conflict" not in queue


def test_caseworker_who_entered_a_conflicted_referral_is_not_told_why(as_user, caseworker):
    from tests.factories_referrals import intake_post

    UserFactory(username="dmorley", first_name="Dean", last_name="Morley")
    response = as_user(caseworker).post("/referrals/new/", intake_post(), follow=True)
    assert "passed to a manager for triage" in response.text
    assert "Conflict" not in response.text
    assert "dmorley" not in response.text


# ---- eligibility --------------------------------------------------------------------


def test_eligible_referral(caseworker):
    p = eligibility_proposal(referral=make_referral(by=caseworker))
    assert (p.in_area, p.meets_age_policy, p.domestic_abuse_related) == (True, True, False)


def test_out_of_area_when_no_district(caseworker):
    p = eligibility_proposal(referral=make_referral(by=caseworker, district_code=None))
    assert p.in_area is None
    assert any("district" in n for n in p.notes)


def test_district_no_longer_valid_is_out_of_area(caseworker):
    referral = make_referral(by=caseworker)
    district = referral.case.client.district
    district.valid_to = timezone.localdate() - timedelta(days=400)
    district.save()
    assert eligibility_proposal(referral=referral).in_area is False


def test_age_policy_is_a_setting(caseworker, settings):
    dob = timezone.localdate().replace(year=timezone.localdate().year - 17) - timedelta(days=1)
    referral = make_referral(by=caseworker, date_of_birth=dob)
    settings.MINIMUM_CLIENT_AGE = 18
    assert eligibility_proposal(referral=referral).meets_age_policy is False
    settings.MINIMUM_CLIENT_AGE = 16
    assert eligibility_proposal(referral=referral).meets_age_policy is True


@pytest.mark.parametrize("relationship", ["partner", "ex_partner", "family"])
def test_domestic_relationship_proposes_signposting(caseworker, relationship):
    referral = make_referral(by=caseworker, suspects=[{"name": "X", "relationship": relationship}])
    p = eligibility_proposal(referral=referral)
    assert p.domestic_abuse_related and p.propose_signposting
    assert referral.case.suspects.get().domestic_abuse_related is True


def test_neighbour_is_not_domestic_abuse(caseworker):
    referral = make_referral(
        by=caseworker, suspects=[{"name": "X", "relationship": Suspect.Relationship.NEIGHBOUR}]
    )
    assert eligibility_proposal(referral=referral).domestic_abuse_related is False


def test_decision_form_proposes_signposting_to_the_da_service(as_user, caseworker):
    from tests.factories_referrals import make_triaged_referral

    referral = make_triaged_referral(
        by=caseworker, suspects=[{"name": "X", "relationship": "ex_partner"}]
    )
    page = as_user(caseworker).get(f"/referrals/triage/{referral.pk}/").text
    assert "Local domestic-abuse (IDVA) service" in page


def test_restricted_duplicate_is_hidden_from_caseworkers(as_user, caseworker, manager):
    from referrals import services

    restricted = CaseFactory(
        status=CaseStatus.CLOSED,
        restricted=True,
        client__first_name="Amira",
        client__last_name="Khan",
        client__date_of_birth=date(1990, 3, 27),
    )
    referral = make_referral(by=caseworker)
    cw_page = as_user(caseworker).get(f"/referrals/triage/{referral.pk}/").text
    assert services.POSSIBLE_MATCH_FOR_MANAGER in cw_page
    assert restricted.reference not in cw_page
    with pytest.raises(DomainError, match=services.POSSIBLE_MATCH_FOR_MANAGER):
        services.referral_record_checks(
            referral=referral,
            link_to_client=None,
            in_area=True,
            meets_age_policy=True,
            domestic_abuse_related=False,
            version=referral.version,
            by=caseworker,
        )
    mgr_page = as_user(manager).get(f"/referrals/triage/{referral.pk}/").text
    assert restricted.reference in mgr_page
