"""The victim tells their story once (issue 12, point 6): after triage the referral's
account, behaviours, referrer, checks and decision notes are on the case (its overview's
Referral section and its timeline), the triage page of a decided referral follows the
case's one access rule, and a manager who accepts is offered "Allocate now"."""

import pytest
from django.urls import reverse

from cases.models.lifecycle import Case, CaseEvent
from cases.services.lifecycle import break_glass_grant, case_allocate, case_set_restricted
from referrals import services
from referrals.models import Referral
from stalkingservice.models import AuditEvent
from tests.conftest import signed_in
from tests.factories import UserFactory
from tests.factories_referrals import make_referral, make_triaged_referral

pytestmark = pytest.mark.django_db

ACCOUNT = "He waits at the bus stop outside my work every morning and follows me home."


def _accepted(*, by, notes="Client prefers calls after 6pm; police are aware.", **kwargs):
    referral = make_triaged_referral(
        by=by,
        summary=ACCOUNT,
        behaviours=["following", "loitering", "monitoring"],
        referrer_name="PC Ann Lowe",
        referrer_role="Investigating officer",
        referrer_organisation="Staffordshire Police",
        referrer_phone="01785 232525",
        referrer_email="ann.lowe@police.example",
        duration="Six months",
        crime_reference="SP-771234-26",
        police_involvement="yes",
        **kwargs,
    )
    return services.referral_decide(
        referral=referral, outcome="accepted", notes=notes, version=referral.version, by=by
    )


def _triage_url(referral) -> str:
    return reverse("referrals:triage", args=[referral.pk])


# ---- the Referral section and the timeline ----------------------------------------------


def test_the_case_overview_shows_what_the_referral_said_and_the_triage(caseworker, manager):
    referral = _accepted(by=manager)
    case_allocate(case=referral.case, worker=caseworker, by=manager)
    page = signed_in(caseworker).get(reverse("cases:detail", args=[referral.case_id])).text
    section = page[page.index('data-testid="referral-section"') :]
    for text in (
        f"Referral {referral.reference}",
        ACCOUNT,
        "Following",
        "Loitering",
        "Six months",
        "PC Ann Lowe, Investigating officer, Staffordshire Police",
        "01785 232525",
        "ann.lowe@police.example",
        "crime reference SP-771234-26",
        "Lives in the area",
        "Client prefers calls after 6pm; police are aware.",
        "Accepted",
    ):
        assert text in section, text
    # The timeline's referral entries lead to the section; the decision notes are on it.
    assert 'href="#referral">Read the referral</a>' in page
    decided = CaseEvent.objects.get(case=referral.case, kind="triage_decided")
    assert "Client prefers calls after 6pm" in decided.summary
    # ... and the whole triage page stays one click away, for the allocated worker too.
    assert _triage_url(referral) in section
    assert signed_in(caseworker).get(_triage_url(referral)).status_code == 200


def test_the_conflict_check_is_not_on_the_case_overview(caseworker, manager):
    referral = _accepted(by=manager)
    Referral.objects.filter(pk=referral.pk).update(
        conflict_flag=True, conflict_detail="Suspect's name matches a member of staff"
    )
    case_allocate(case=referral.case, worker=caseworker, by=manager)
    for user in (caseworker, manager):
        page = signed_in(user).get(reverse("cases:detail", args=[referral.case_id])).text
        assert "matches a member of staff" not in page
    # On the triage page only managers see it, as before the decision.
    assert "matches a member of staff" in signed_in(manager).get(_triage_url(referral)).text
    assert "matches a member of staff" not in signed_in(caseworker).get(_triage_url(referral)).text


def test_a_new_episode_points_to_the_earlier_episodes_referral(caseworker, manager):
    referral = _accepted(by=manager)
    new_episode = Case.objects.create(
        client=referral.case.client,
        reference="SC-NEW-EP",
        episode=2,
        previous_case=referral.case,
        allocated_to=caseworker,
        status="allocated",
    )
    page = signed_in(caseworker).get(reverse("cases:detail", args=[new_episode.pk])).text
    assert reverse("cases:detail", args=[referral.case_id]) in page
    assert "the earlier episode" in page


def test_behaviour_labels_are_the_words_the_triage_page_shows(caseworker):
    referral = make_referral(by=caseworker, behaviours=["following", "unknown-code"])
    assert referral.behaviour_labels == ["Following", "unknown-code"]


# ---- the triage page of a decided referral: the case's one access rule ---------------------


@pytest.fixture
def accepted(caseworker, manager):
    """Accepted and allocated to `caseworker`; `glass` holds a break-glass grant."""
    referral = _accepted(by=manager)
    case_allocate(case=referral.case, worker=caseworker, by=manager)
    glass = UserFactory(role="caseworker")
    break_glass_grant(case=referral.case, user=glass, reason="Duty cover")
    return referral, glass


@pytest.mark.parametrize(
    "actor,expected",
    [
        ("signed_out", "login"),
        ("caseworker", 200),  # allocated
        ("caseworker2", "break-glass"),  # another caseworker: the offer every case tab makes
        ("glass", 200),
        ("manager", 200),
        ("commissioner", 404),
        ("administrator", 404),
    ],
)
def test_role_matrix_triage_page_of_a_decided_referral(actor, expected, accepted, request, client):
    referral, glass = accepted
    if actor == "signed_out":
        http = client
    else:
        http = signed_in(glass if actor == "glass" else request.getfixturevalue(actor))
    response = http.get(_triage_url(referral))
    if expected == "login":
        assert response.status_code == 302 and "/sign-in/" in response["Location"]
    elif expected == "break-glass":
        url = reverse("cases:break_glass", args=[referral.case_id])
        assert response.status_code == 302
        assert response["Location"] == f"{url}?next={_triage_url(referral)}"
    else:
        assert response.status_code == expected
    if expected == 200:
        assert ACCOUNT in response.text and "Decision: Accepted" in response.text
        # Logged like every case view.
        assert AuditEvent.objects.filter(
            action=AuditEvent.Action.CASE_VIEW, case_id=referral.case_id, page="triage"
        ).exists()


def test_restricted_case_referral_is_not_found_for_other_caseworkers(accepted, manager):
    referral, glass = accepted
    case_set_restricted(case=referral.case, restricted=True, reason="Known to staff", by=manager)
    other = UserFactory(role="caseworker")
    for user in (glass, other):
        assert signed_in(user).get(_triage_url(referral)).status_code == 404
    assert signed_in(manager).get(_triage_url(referral)).status_code == 200


def test_declined_referral_page_stays_readable_for_managers(caseworker, manager):
    from referrals.models import DeclineReason

    referral = make_triaged_referral(by=caseworker)
    reason = DeclineReason.objects.filter(active=True).first()
    services.referral_decide(
        referral=referral,
        outcome="declined",
        decline_reason=reason,
        notes="Already supported by another service.",
        version=referral.version,
        by=caseworker,
    )
    page = signed_in(manager).get(_triage_url(referral)).text
    assert "Decision: Declined" in page and reason.label in page
    assert "Already supported by another service." in page
    assert "Allocate now" not in page


def test_pending_referrals_outside_the_triage_scope_are_still_not_found(caseworker, caseworker2):
    referral = make_referral(by=caseworker)
    Referral.objects.filter(pk=referral.pk).update(conflict_flag=True)
    # Not offered break-glass either: conflict-flagged referrals are for managers.
    assert signed_in(caseworker2).get(_triage_url(referral)).status_code == 404


# ---- "Allocate now" after Accept -----------------------------------------------------------


def _decide(http, referral, outcome="accepted"):
    return http.post(
        reverse("referrals:triage_decide", args=[referral.pk]),
        {"outcome": outcome, "version": referral.version},
    )


def test_a_manager_who_accepts_is_offered_allocate_now(manager):
    referral = make_triaged_referral(by=manager)
    http = signed_in(manager)
    response = _decide(http, referral)
    assert response.status_code == 302 and response["Location"] == _triage_url(referral)
    page = http.get(response["Location"]).text
    assert f"Referral {referral.reference}: accepted." in page
    allocate = reverse("cases:allocate", args=[referral.case_id])
    assert f'href="{allocate}">Allocate now</a>' in page
    assert http.get(allocate).status_code == 200


def test_a_caseworker_who_accepts_goes_back_to_the_queue(caseworker):
    referral = make_triaged_referral(by=caseworker)
    response = _decide(signed_in(caseworker), referral)
    assert response["Location"] == reverse("referrals:triage_queue")


def test_allocate_now_is_gone_once_the_case_is_allocated(caseworker, manager):
    referral = _accepted(by=manager)
    assert "Allocate now" in signed_in(manager).get(_triage_url(referral)).text
    case_allocate(case=referral.case, worker=caseworker, by=manager)
    assert "Allocate now" not in signed_in(manager).get(_triage_url(referral)).text
