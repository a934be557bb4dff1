"""Lower risk levels waiting for a manager, scoped to the user who asks."""

from django.db.models import QuerySet

from stalkingservice.roles import Capability

from ..models.lifecycle import Case
from ..models.risk_level import RiskDowngrade
from ..permissions import cases_visible_to


def risk_downgrades_pending(*, user) -> QuerySet[RiskDowngrade]:
    """Pending downgrades on the cases the user may see, oldest first; none for a role
    that may not sign them off."""
    if not user.can(Capability.APPROVE_RISK_DOWNGRADE):
        return RiskDowngrade.objects.none()
    return (
        RiskDowngrade.objects.filter(
            status=RiskDowngrade.Status.PENDING, case__in=cases_visible_to(user)
        )
        .select_related("case", "case__client", "case__allocated_to", "proposed_by")
        .order_by("proposed_at", "id")
    )


def risk_downgrades_for_case(*, case: Case) -> QuerySet[RiskDowngrade]:
    """Every lower level proposed on a case, newest first (the case was loaded through
    the user's access rule)."""
    return case.risk_downgrades.select_related("proposed_by", "decided_by").order_by(
        "-proposed_at", "-id"
    )


def risk_downgrade_pending_for_case(*, case: Case) -> RiskDowngrade | None:
    return (
        case.risk_downgrades.filter(status=RiskDowngrade.Status.PENDING)
        .select_related("proposed_by")
        .first()
    )
