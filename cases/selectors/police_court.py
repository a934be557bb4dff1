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
    crime_reference_key,
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


def investigation_with_reference(
    *, case: Case, crime_reference: str | None
) -> PoliceInvestigation | None:
    """The police record on this case with this crime reference (spaces and case aside),
    or None. An incident or a contact that names a crime reference links to it instead
    of the reference being typed again."""
    wanted = crime_reference_key(crime_reference)
    if not wanted:
        return None
    for investigation in case.investigations.all():
        if crime_reference_key(investigation.crime_reference) == wanted:
            return investigation
    return None


def crime_references(*, case: Case) -> list[str]:
    """The crime references already on the case's police records (for the incident form)."""
    return list(
        case.investigations.order_by("crime_reference").values_list("crime_reference", flat=True)
    )
