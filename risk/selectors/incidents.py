"""Reads for the incident log and the police chronology, scoped through the case the
user may see."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cases.models.lifecycle import Case

from ..models.exhibits import Exhibit
from ..models.incidents import Incident


def incidents_for_case(*, case: Case) -> QuerySet[Incident]:
    return (
        Incident.objects.filter(case=case)
        .select_related("recorded_by")
        .prefetch_related(Prefetch("exhibits", queryset=Exhibit.objects.order_by("id")))
        .order_by("occurred_at", "id")
    )


def incident_get(*, case: Case, pk) -> Incident:
    try:
        return incidents_for_case(case=case).get(pk=pk)
    except (Incident.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def incident_counts(*, case: Case) -> dict:
    return Incident.objects.filter(case=case).aggregate(
        total=Count("id"), feared=Count("id", filter=Q(feared_violence=True))
    )


@dataclass
class Chronology:
    client_name: str
    case_reference: str
    suspects: list[str]
    relationships: list[str]
    incidents: list[Incident]
    first: datetime.datetime | None
    last: datetime.datetime | None
    feared_violence: int
    generated_at: datetime.datetime

    @property
    def count(self) -> int:
        return len(self.incidents)


def chronology(*, case: Case) -> Chronology:
    """What police receive: the summary and every incident in date order. Deliberately
    holds no address or safe-contact detail, so no template can print one."""
    suspects = list(case.suspects.all().order_by("id"))
    incidents = list(incidents_for_case(case=case))
    return Chronology(
        client_name=case.client.full_name,
        case_reference=case.reference,
        suspects=[s.name or "Name not known" for s in suspects],
        relationships=sorted({s.get_relationship_display() for s in suspects}),
        incidents=incidents,
        first=incidents[0].occurred_at if incidents else None,
        last=incidents[-1].occurred_at if incidents else None,
        feared_violence=sum(1 for i in incidents if i.feared_violence),
        generated_at=timezone.now(),
    )
