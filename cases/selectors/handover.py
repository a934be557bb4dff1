"""Reads for signposting and handover: the services directory and a case's handovers."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from ..models.handover import HandoverReferral, ServiceDirectoryEntry
from ..models.lifecycle import Case


def handovers_for_case(*, case: Case) -> QuerySet[HandoverReferral]:
    return case.handovers.select_related("service", "follow_up_task", "by")


def service_directory() -> QuerySet[ServiceDirectoryEntry]:
    return ServiceDirectoryEntry.objects.filter(active=True)


def handover_for_case(*, case: Case, pk) -> HandoverReferral:
    return get_object_or_404(
        HandoverReferral.objects.select_related("service", "follow_up_task", "by"),
        case=case,
        pk=pk,
    )
