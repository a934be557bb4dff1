"""Factories and helpers for reporting tests: hand-built cases at known London times."""

from datetime import datetime
from zoneinfo import ZoneInfo

from cases.models.contact import ContactAttempt
from cases.models.lifecycle import ClosureReason
from cases.statuses import CaseStatus
from referrals.models import DeclineReason, ReferralSource

from .factories import CaseFactory, ClientFactory, ReferralFactory, UserFactory

LONDON = ZoneInfo("Europe/London")


def at(y, m, d, hh=10, mm=0) -> datetime:
    """An aware datetime at London wall-clock time."""
    return datetime(y, m, d, hh, mm, tzinfo=LONDON)


def referral(
    *,
    received,
    source="police",
    outcome="accepted",
    district=None,
    decline=None,
    digital=False,
    **case_kwargs,
):
    """A referral and its case. Accepted referrals are accepted 1 hour after receipt
    unless case_kwargs says otherwise."""
    if outcome == "accepted":
        case_kwargs.setdefault("accepted_at", received.replace(hour=min(received.hour + 1, 23)))
        case_kwargs.setdefault("status", CaseStatus.ACTIVE)
    else:
        case_kwargs.setdefault("status", CaseStatus.CLOSED)
        case_kwargs.setdefault("allocated_to", None)
    client_kwargs = case_kwargs.pop("client_kwargs", {})
    client = (
        ClientFactory(**client_kwargs)
        if district is None
        else ClientFactory(district=district, **client_kwargs)
    )
    case = CaseFactory(client=client, referred_at=received, **case_kwargs)
    return ReferralFactory(
        case=case,
        received_at=received,
        source=ReferralSource.objects.get(code=source),
        outcome=outcome,
        decline_reason=DeclineReason.objects.get(code=decline) if decline else None,
        digital_element=digital,
    )


def attempt(case, when, outcome="no_answer", *, recorded=None):
    """An attempt made at `when`, recorded by the system then (or at `recorded`, later,
    for a back-dated entry)."""
    return ContactAttempt.objects.create(
        case=case,
        at=when,
        recorded_at=recorded or when,
        method="phone",
        outcome=outcome,
        by=case.allocated_to or UserFactory(),
    )


def closure_reason(code=None):
    qs = ClosureReason.objects.order_by("order")
    return qs.get(code=code) if code else qs.first()
