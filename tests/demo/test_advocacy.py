import datetime as dt

import pytest
from django.utils import timezone

from cases.models.handover import HandoverReferral
from cases.models.lifecycle import Case, ClosureReason, ClosureRequest
from cases.models.orders import ProtectiveOrder
from cases.models.outcomes import OutcomeAnswer, OutcomeAssessment
from cases.models.police_court import PoliceInvestigation
from cases.models.service_records import AwarenessSession, Feedback
from cases.statuses import CaseStatus
from demo.generators import advocacy
from demo.generators.people import seed_users
from demo.seed import DemoContext
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def _cases(users, n=60):
    now = timezone.now()
    reason = ClosureReason.objects.get(code="support-completed")
    for i in range(n):
        status = [CaseStatus.ACTIVE, CaseStatus.EXIT_PLANNING, CaseStatus.CLOSED][i % 3]
        CaseFactory(
            status=status,
            allocated_to=users["caseworker"],
            allocated_at=now - dt.timedelta(days=200),
            closed_at=now - dt.timedelta(days=10) if status == CaseStatus.CLOSED else None,
            closure_reason=reason if status == CaseStatus.CLOSED else None,
            risk_level=["standard", "medium", "high"][i % 3],
        )


def test_seed_covers_everything_and_is_idempotent():
    ctx = DemoContext(cases=60, seed=7, password="x")
    ctx.users = seed_users(password="demo-password-2026")
    _cases(ctx.users)
    advocacy.seed(ctx)
    counts = {
        m: m.objects.count()
        for m in (
            PoliceInvestigation,
            ProtectiveOrder,
            HandoverReferral,
            OutcomeAssessment,
            ClosureRequest,
            AwarenessSession,
            Feedback,
        )
    }
    assert all(counts.values()), counts
    closed = Case.objects.filter(status=CaseStatus.CLOSED)
    with_both = closed.filter(outcome_assessments__stage="exit").filter(
        outcome_assessments__stage="entry"
    )
    assert with_both.count() >= closed.count() // 2
    # Ratings are 1-5 or an explicit non-answer, never zero.
    assert not OutcomeAnswer.objects.filter(rating=0).exists()
    advocacy.seed(ctx)
    assert counts == {m: m.objects.count() for m in counts}
