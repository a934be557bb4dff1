"""Reads for the police and court tab. Child records are always reached through a case
the user may see (loaded by `with_case`), so another worker's record is a 404."""

from django.db.models import Prefetch

from ..models.lifecycle import Case
from ..models.orders import OrderStatusChange
from ..models.police_court import (
    CourtSupport,
    InvestigationStatusChange,
    PoliceInvestigation,
    VictimsCodeRight,
)
from .lifecycle import case_child_or_404


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


def investigation_for_case(*, case: Case, pk) -> PoliceInvestigation:
    return case_child_or_404(PoliceInvestigation, case=case, pk=pk)
