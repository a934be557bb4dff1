"""Reads of one case and its lifecycle, scoped to the user who asks: the authorising
fetch (`case_get_for_user`), the break-glass offer, the timeline and access log, exit and
closure; and the one rule for "taken on" and "open at" shared by the figures."""

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from stalkingservice.models import AuditEvent
from stalkingservice.roles import Capability

from .. import events
from ..models.lifecycle import Case, CaseEvent, ClosureRequest, ExitPlan
from ..models.orders import OrderStatus, ProtectiveOrder
from ..permissions import cases_visible_to
from ..statuses import INTAKE_STATUSES, CaseStatus
from .outcomes import outcome_rows


def case_get_for_user(*, user, pk) -> Case:
    """Fetch and check access in one step: a case the user may not see is 'not found'."""
    try:
        return (
            cases_visible_to(user)
            .select_related(
                "client",
                "client__safe_contact",
                "allocated_to",
                "co_worker",
                "district",
                "referral",
            )
            .get(pk=pk)
        )
    except (Case.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def case_break_glass_candidate(*, user, pk) -> Case | None:
    """A case the user cannot see but could open with a reason (allocated to another
    worker, not restricted), or None.
    Used only to offer the break-glass form; it reveals nothing but the reference."""
    if not user.can(Capability.BREAK_GLASS):
        return None
    try:
        case = Case.objects.only("pk", "reference", "restricted", "allocated_to").get(pk=int(pk))
    except (Case.DoesNotExist, ValueError, TypeError):
        return None
    # Only another worker's case: one with no worker (triage, the waiting list) is the
    # managers' and is a plain 404, like a restricted one.
    if (
        case.restricted
        or case.allocated_to_id is None
        or cases_visible_to(user).filter(pk=case.pk).exists()
    ):
        return None
    return case


def case_referral(*, case: Case):
    """The referral that opened this episode, with what the case's Referral section shows,
    or None (a new episode of a returning client has no referral of its own). The case was
    loaded through `case_get_for_user`, so whoever sees the case sees its referral."""
    try:
        referral = case.referral
    except ObjectDoesNotExist:
        return None
    return (
        type(referral)
        .objects.select_related("source", "decline_reason", "triaged_by")
        .get(pk=referral.pk)
    )


def case_child_or_404(model, *, case: Case, pk):
    """A record belonging to a case already loaded through case_get_for_user."""
    return get_object_or_404(model, case=case, pk=pk)


def case_timeline(*, case: Case) -> QuerySet[CaseEvent]:
    """The case's events, newest first (the overview pages through them)."""
    return case.events.select_related("by").order_by("-at", "-id")


def case_access_log(*, case: Case) -> QuerySet[AuditEvent]:
    """Who has looked at this case: every view and break-glass, newest first."""
    return AuditEvent.objects.filter(
        case_id=case.pk,
        action__in=[AuditEvent.Action.CASE_VIEW, AuditEvent.Action.BREAK_GLASS],
    ).select_related("user")


def case_break_glass_grants(*, case: Case):
    return case.break_glass_grants.select_related("user").order_by("-granted_at")


def exit_page(*, case: Case) -> dict:
    return {
        "exit_plan": ExitPlan.objects.filter(case=case).select_related("by").first(),
        "closure_requests": case.closure_requests.select_related(
            "reason", "requested_by", "decided_by"
        )[:10],
        "pending_closure": case.closure_requests.filter(
            status=ClosureRequest.Status.REQUESTED
        ).first(),
        "open_tasks": list(case.tasks.filter(done_at__isnull=True).select_related("assignee")),
        "next_episode": Case.objects.filter(previous_case=case).first(),
    }


# The case events that make up its risk history (the risk app records them; cases names
# the codes in cases.events, so it does not import risk).
RISK_HISTORY_KINDS = (
    "risk_assessment_completed",
    events.RISK_LEVEL_CHANGED,
    events.RISK_DOWNGRADE_PROPOSED,
    events.RISK_DOWNGRADE_REJECTED,
)
RISK_HISTORY_SHOWN = 20
# Orders that are over (refused or expired) are not live; the rest are in force or pending.
ORDERS_OVER = (OrderStatus.REFUSED, OrderStatus.EXPIRED)


def closure_decision(*, case: Case, closure: ClosureRequest) -> dict:
    """What a manager needs to decide a closure: the current risk and its history, the
    orders still live, the tasks carried over (and any open one that is not), the exit
    plan and the change between entry and exit ratings. A fixed number of queries."""
    carried = list(closure.carried_over_tasks.select_related("assignee").order_by("due_on"))
    carried_ids = {t.pk for t in carried}
    open_tasks = case.tasks.filter(done_at__isnull=True).select_related("assignee")
    assessments, rows = outcome_rows(case=case)
    return {
        "closure": closure,
        "risk_history": list(
            case.events.filter(kind__in=RISK_HISTORY_KINDS)
            .select_related("by")
            .order_by("-at", "-id")[:RISK_HISTORY_SHOWN]
        ),
        "live_orders": list(
            ProtectiveOrder.objects.filter(case=case)
            .exclude(status__in=ORDERS_OVER)
            .order_by("-granted_on", "-applied_on", "-id")
        ),
        "carried_tasks": carried,
        "not_carried_tasks": [t for t in open_tasks.order_by("due_on") if t.pk not in carried_ids],
        "exit_plan": ExitPlan.objects.filter(case=case).select_related("by").first(),
        "outcome_assessments": assessments,
        "outcome_rows": rows,
    }


def closures_awaiting_approval(*, user) -> QuerySet[ClosureRequest]:
    return ClosureRequest.objects.filter(
        status=ClosureRequest.Status.REQUESTED, case__in=cases_visible_to(user)
    ).select_related("case", "case__client", "case__allocated_to", "reason", "requested_by")


# ---- when a case was taken on and whether it was open: one rule for the quarterly
# figures (reporting/indicators.py) and the list of the cases behind each figure
# (cases/figure_filter.py), so the two always count the same cases.


def case_taken_on_at():
    """When a case was taken on for support: accepted, or allocated (older records)."""
    return Coalesce("accepted_at", "allocated_at")


def case_open_at(end, *, taken_on: str) -> Q:
    """Cases open at the moment `end` (an aware datetime): taken on (or, not yet triaged,
    referred) before it and not closed by then. `taken_on` names the annotation holding
    case_taken_on_at()."""
    return (
        (Q(**{f"{taken_on}__lt": end}) | Q(**{f"{taken_on}__isnull": True}, referred_at__lt=end))
        & ~Q(**{f"{taken_on}__isnull": True}, status__in=[*INTAKE_STATUSES, CaseStatus.CLOSED])
        & (Q(closed_at__isnull=True) | Q(closed_at__gte=end))
    )
