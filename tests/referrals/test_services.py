from datetime import date, datetime

import pytest
from django.utils import timezone

from cases.models.client import Client
from cases.models.lifecycle import Case, CaseEvent
from cases.statuses import CaseStatus
from referrals import services
from referrals.models import DeclineReason, Referral
from risk.models.tools import risk_band_at_intake
from stalkingservice.crypto import blind_index
from stalkingservice.domain import STALE_EDIT_MESSAGE, DomainError, StaleEdit
from tests.factories import CaseFactory, UserFactory
from tests.factories_referrals import intake_data, make_referral, make_triaged_referral

pytestmark = pytest.mark.django_db


def test_intake_creates_client_case_referral_and_suspect(caseworker):
    received = timezone.make_aware(datetime(2026, 12, 24, 16, 0))  # Thursday before Christmas
    referral = services.referral_create(
        data=intake_data(
            received_at=received, email="Amira@Example.org", risk_tool="DASH", risk_score=15
        ),
        by=caseworker,
    )
    case = referral.case
    assert case.status == CaseStatus.REFERRED
    assert case.reference.startswith("STK-")
    assert case.client.first_name == "Amira"
    assert case.district.code == "stafford"
    # 25, 26 (Sat), 28 (Boxing Day substitute) are not working days in England.
    assert case.first_contact_due == date(2026, 12, 30)
    assert case.risk_level_at_intake == "high"
    assert referral.reference.startswith("RF-") and "Amira" not in referral.reference
    sc = case.client.safe_contact
    assert sc.safe_phone_index == blind_index("07700900456", "phone")
    assert sc.email_index == blind_index("amira@example.org", "email")
    assert case.suspects.get().name == "Dean Morley"
    assert CaseEvent.objects.filter(case=case, kind="referral_received").exists()


def test_safe_contact_is_encrypted_at_rest(caseworker):
    from django.db import connection

    referral = make_referral(by=caseworker)
    with connection.cursor() as cur:
        cur.execute(
            "SELECT safe_phone FROM cases_safecontact WHERE client_id = %s",
            [referral.case.client_id],
        )
        (stored,) = cur.fetchone()
    assert "07700" not in stored


def test_same_submission_token_does_not_create_a_duplicate(caseworker):
    import uuid

    token = uuid.uuid4()
    first = services.referral_create(data=intake_data(), by=caseworker, submission_token=token)
    second = services.referral_create(data=intake_data(), by=caseworker, submission_token=token)
    assert first.pk == second.pk
    assert Referral.objects.count() == 1
    assert Client.objects.count() == 1


@pytest.mark.parametrize(
    "tool,score,level,band",
    [
        ("DASH", 14, "", "high"),
        ("DASH", 10, "", "medium"),
        ("DASH", 3, "", "standard"),
        ("DARA", None, "medium", "medium"),
        ("", None, "", ""),
    ],
)
def test_police_score_maps_to_a_band(tool, score, level, band):
    assert risk_band_at_intake(tool=tool, score=score, level=level) == band


# ---- transitions, allowed and refused -----------------------------------------------


def test_checks_move_referred_to_triaged(caseworker):
    referral = make_triaged_referral(by=caseworker)
    assert referral.case.status == CaseStatus.TRIAGED
    assert referral.duplicate_checked is True
    assert CaseEvent.objects.filter(case=referral.case, kind="triage_checked").exists()


def test_checks_refused_twice(caseworker):
    referral = make_triaged_referral(by=caseworker)
    with pytest.raises(DomainError, match=services.NOT_AWAITING_CHECKS):
        services.referral_record_checks(
            referral=referral,
            link_to_client=None,
            in_area=True,
            meets_age_policy=True,
            domestic_abuse_related=False,
            version=referral.version,
            by=caseworker,
        )


def test_accept_moves_to_waiting(caseworker):
    referral = make_triaged_referral(by=caseworker)
    services.referral_decide(
        referral=referral, outcome="accepted", version=referral.version, by=caseworker
    )
    referral.refresh_from_db()
    case = Case.objects.get(pk=referral.case_id)
    assert referral.outcome == "accepted"
    assert case.status == CaseStatus.WAITING
    assert case.accepted_at is not None
    assert referral.triaged_by == caseworker


def test_decline_closes_with_reason(caseworker):
    referral = make_triaged_referral(by=caseworker)
    reason = DeclineReason.objects.get(code="no-consent")
    services.referral_decide(
        referral=referral,
        outcome="declined",
        decline_reason=reason,
        version=referral.version,
        by=caseworker,
    )
    case = Case.objects.get(pk=referral.case_id)
    assert case.status == CaseStatus.CLOSED
    assert case.closure_reason.code == "declined-at-triage"
    assert Referral.objects.get(pk=referral.pk).decline_reason == reason


def test_decline_refused_without_reason(caseworker):
    referral = make_triaged_referral(by=caseworker)
    with pytest.raises(DomainError, match=services.DECLINE_NEEDS_REASON):
        services.referral_decide(
            referral=referral, outcome="declined", version=referral.version, by=caseworker
        )


def test_signpost_closes_with_where(caseworker):
    referral = make_triaged_referral(by=caseworker)
    services.referral_decide(
        referral=referral,
        outcome="signposted",
        signposted_to="Staffordshire IDVA service",
        version=referral.version,
        by=caseworker,
    )
    case = Case.objects.get(pk=referral.case_id)
    assert case.status == CaseStatus.CLOSED
    assert case.closure_reason.code == "signposted-at-triage"
    assert "Staffordshire IDVA service" in case.closure_summary


def test_signpost_refused_without_where(caseworker):
    referral = make_triaged_referral(by=caseworker)
    with pytest.raises(DomainError, match=services.SIGNPOST_NEEDS_WHERE):
        services.referral_decide(
            referral=referral, outcome="signposted", version=referral.version, by=caseworker
        )


def test_decision_refused_before_checks(caseworker):
    referral = make_referral(by=caseworker)
    with pytest.raises(DomainError, match=services.NOT_AWAITING_DECISION):
        services.referral_decide(
            referral=referral, outcome="accepted", version=referral.version, by=caseworker
        )


def test_decision_refused_twice(caseworker):
    referral = make_triaged_referral(by=caseworker)
    services.referral_decide(
        referral=referral, outcome="accepted", version=referral.version, by=caseworker
    )
    referral.refresh_from_db()
    with pytest.raises(DomainError, match=services.ALREADY_DECIDED):
        services.referral_decide(
            referral=referral, outcome="accepted", version=referral.version, by=caseworker
        )


def test_accept_refused_when_domestic_abuse_related(caseworker):
    referral = make_referral(by=caseworker)
    referral = services.referral_record_checks(
        referral=referral,
        link_to_client=None,
        in_area=True,
        meets_age_policy=True,
        domestic_abuse_related=True,
        version=referral.version,
        by=caseworker,
    )
    with pytest.raises(DomainError, match="domestic-abuse related"):
        services.referral_decide(
            referral=referral, outcome="accepted", version=referral.version, by=caseworker
        )
    assert Case.objects.get(pk=referral.case_id).status == CaseStatus.TRIAGED


def test_second_triager_with_stale_version_is_told(caseworker, caseworker2):
    referral = make_triaged_referral(by=caseworker)
    seen_version = referral.version
    services.referral_decide(
        referral=referral, outcome="accepted", version=seen_version, by=caseworker
    )
    with pytest.raises(StaleEdit) as exc:
        services.referral_decide(
            referral=referral,
            outcome="declined",
            decline_reason=DeclineReason.objects.first(),
            version=seen_version,
            by=caseworker2,
        )
    assert str(exc.value) == STALE_EDIT_MESSAGE
    assert Referral.objects.get(pk=referral.pk).outcome == "accepted"


# ---- duplicate link -------------------------------------------------------------------


def test_link_to_existing_client_makes_a_new_episode(caseworker):
    # The caseworker worked the old case, so the duplicate check shows it to them.
    old_case = CaseFactory(
        status=CaseStatus.CLOSED, client__first_name="Amira", allocated_to=caseworker
    )
    old_client = old_case.client
    referral = make_referral(
        by=caseworker,
        first_name="Amira",
        last_name=old_client.last_name,
        date_of_birth=old_client.date_of_birth,
        safe_phone="",
    )
    provisional_id = referral.case.client_id
    referral = services.referral_record_checks(
        referral=referral,
        link_to_client=old_client,
        in_area=True,
        meets_age_policy=True,
        domestic_abuse_related=False,
        version=referral.version,
        by=caseworker,
    )
    case = Case.objects.get(pk=referral.case_id)
    assert case.client == old_client
    assert case.episode == 2
    assert case.previous_case == old_case
    assert not Client.objects.filter(pk=provisional_id).exists()


def test_link_refused_to_a_client_who_is_not_a_candidate(caseworker):
    stranger = CaseFactory().client
    referral = make_referral(by=caseworker)
    with pytest.raises(DomainError, match=services.LINK_NOT_A_CANDIDATE):
        services.referral_record_checks(
            referral=referral,
            link_to_client=stranger,
            in_area=True,
            meets_age_policy=True,
            domestic_abuse_related=False,
            version=referral.version,
            by=caseworker,
        )


def test_link_refused_when_existing_client_has_an_open_case(caseworker):
    open_case = CaseFactory(status=CaseStatus.ACTIVE, allocated_to=caseworker)
    client = open_case.client
    referral = make_referral(
        by=caseworker,
        first_name=client.first_name,
        last_name=client.last_name,
        date_of_birth=client.date_of_birth,
    )
    with pytest.raises(DomainError, match=open_case.reference):
        services.referral_record_checks(
            referral=referral,
            link_to_client=client,
            in_area=True,
            meets_age_policy=True,
            domestic_abuse_related=False,
            version=referral.version,
            by=caseworker,
        )


def test_self_referral_rate_limit(settings):
    settings.SELF_REFERRAL_RATE_LIMIT = "2/h"
    services.self_referral_attempt_record(ip_address="203.0.113.9")
    services.self_referral_attempt_record(ip_address="203.0.113.9")
    with pytest.raises(services.RateLimited, match="wait an hour"):
        services.self_referral_attempt_record(ip_address="203.0.113.9")
    services.self_referral_attempt_record(ip_address="203.0.113.10")  # someone else


def test_timeline_never_mentions_the_conflict(caseworker):
    staff = UserFactory(first_name="Dean", last_name="Morley")
    referral = make_triaged_referral(by=caseworker)
    assert Referral.objects.get(pk=referral.pk).conflict_flag is True
    summaries = " ".join(
        CaseEvent.objects.filter(case=referral.case).values_list("summary", flat=True)
    )
    assert "conflict" not in summaries.lower()
    assert staff.username not in summaries
