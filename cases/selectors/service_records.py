"""Reads of the service-level records: awareness sessions, compliments and complaints."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from ..models.service_records import AwarenessSession, Feedback
from ..permissions import cases_visible_to


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
