"""Reads for advocacy and the end of support. Child records are always reached through a
case the user may see, so another worker's record is a 404."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from cases.models.handover import HandoverReferral, ServiceDirectoryEntry
from cases.models.lifecycle import Case, ClosureRequest, ExitPlan
from cases.models.notes_tasks import Task
from cases.models.orders import OrderStatusChange, ProtectiveOrder
from cases.models.outcomes import (
    ENTRY_MEASURES,
    EXIT_MEASURES,
    OutcomeAnswer,
    OutcomeAssessment,
    OutcomeMeasure,
)
from cases.models.police_court import (
    CourtSupport,
    InvestigationStatusChange,
    PoliceInvestigation,
    VictimsCodeRight,
)
from cases.models.service_records import AwarenessSession, Feedback

from ..permissions import cases_visible_to


def case_child_or_404(model, *, case: Case, pk):
    """A record belonging to a case already loaded through case_get_for_user."""
    return get_object_or_404(model, case=case, pk=pk)


def police_page(*, case: Case) -> dict:
    investigations = case.investigations.prefetch_related(
        Prefetch(
            "status_changes",
            queryset=InvestigationStatusChange.objects.select_related("by"),
        )
    )
    contacts = case.police_contacts.select_related("investigation", "follow_up_task", "by")
    checks = {c.right: c for c in case.victims_code_checks.all()}
    rights = [
        {"right": value, "label": label, "check": checks.get(value)}
        for value, label in VictimsCodeRight.choices
    ]
    orders = case.orders.prefetch_related(
        Prefetch("status_changes", queryset=OrderStatusChange.objects.all()),
        "breaches",
    )
    return {
        "investigations": investigations,
        "police_contacts": contacts[:50],
        "rights": rights,
        "hearings": case.hearings.select_related("investigation"),
        "court_support": CourtSupport.objects.filter(case=case).first(),
        "orders": orders,
    }


def handovers_for_case(*, case: Case) -> QuerySet[HandoverReferral]:
    return case.handovers.select_related("service", "follow_up_task", "by")


def service_directory() -> QuerySet[ServiceDirectoryEntry]:
    return ServiceDirectoryEntry.objects.filter(active=True)


@dataclass
class OutcomeRow:
    measure: str
    label: str
    entry: OutcomeAnswer | None
    exit: OutcomeAnswer | None

    @property
    def change(self) -> int | None:
        """Exit rating minus entry rating; none unless both were actually rated."""
        if (
            self.entry is not None
            and self.exit is not None
            and self.entry.rating is not None
            and self.exit.rating is not None
        ):
            return self.exit.rating - self.entry.rating
        return None


def outcome_rows(*, case: Case) -> tuple[dict, list[OutcomeRow]]:
    assessments = {
        a.stage: a
        for a in case.outcome_assessments.select_related("by").prefetch_related("answers")
    }
    answers = {
        stage: {ans.measure: ans for ans in a.answers.all()} for stage, a in assessments.items()
    }
    rows = [
        OutcomeRow(
            measure=m,
            label=OutcomeMeasure(m).label,
            entry=answers.get("entry", {}).get(m),
            exit=answers.get("exit", {}).get(m),
        )
        for m in EXIT_MEASURES
    ]
    return assessments, rows


def outcome_measures_for_stage(stage: str) -> list[str]:
    return EXIT_MEASURES if stage == OutcomeAssessment.Stage.EXIT else ENTRY_MEASURES


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


def open_tasks(*, case: Case) -> QuerySet[Task]:
    return case.tasks.filter(done_at__isnull=True)


def closures_awaiting_approval(*, user) -> QuerySet[ClosureRequest]:
    return ClosureRequest.objects.filter(
        status=ClosureRequest.Status.REQUESTED, case__in=cases_visible_to(user)
    ).select_related("case", "case__client", "case__allocated_to", "reason", "requested_by")


def closure_request_for_user(*, user, pk) -> ClosureRequest:
    return get_object_or_404(
        ClosureRequest.objects.select_related("case", "case__client", "reason", "requested_by"),
        pk=pk,
        case__in=cases_visible_to(user),
    )


def awareness_sessions() -> QuerySet[AwarenessSession]:
    return AwarenessSession.objects.select_related("district", "delivered_by")


def feedback_list(*, user) -> QuerySet[Feedback]:
    """Every compliment and complaint; the linked case is shown only when the user may see
    it (see `feedback_case_visible`)."""
    return Feedback.objects.select_related("case", "recorded_by")


def feedback_visible_case_ids(*, user, items) -> set[int]:
    ids = {f.case_id for f in items if f.case_id}
    if not ids:
        return set()
    return set(cases_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


def feedback_get(*, pk) -> Feedback:
    return get_object_or_404(Feedback.objects.select_related("case"), pk=pk)


def investigation_for_case(*, case: Case, pk) -> PoliceInvestigation:
    return case_child_or_404(PoliceInvestigation, case=case, pk=pk)


def order_for_case(*, case: Case, pk) -> ProtectiveOrder:
    return case_child_or_404(ProtectiveOrder, case=case, pk=pk)


def handover_for_case(*, case: Case, pk) -> HandoverReferral:
    return get_object_or_404(
        HandoverReferral.objects.select_related("service", "follow_up_task", "by"),
        case=case,
        pk=pk,
    )
