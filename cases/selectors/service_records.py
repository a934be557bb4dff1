"""Reads of the service-level records: awareness sessions, compliments and complaints."""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from stalkingservice.roles import ROLE_CAPABILITIES, Capability

from ..models.service_records import AwarenessSession, Feedback
from ..permissions import cases_visible_to, feedback_visible_to


def awareness_sessions() -> QuerySet[AwarenessSession]:
    return AwarenessSession.objects.select_related("district", "delivered_by")


def feedback_list(*, user) -> QuerySet[Feedback]:
    """The compliments and complaints this user may read (`feedback_visible_to`: managers
    every one, others those they recorded, nobody a complaint about themselves); the
    linked case is shown only when the user may see it (`feedback_visible_case_ids`)."""
    return feedback_visible_to(user).select_related("case", "recorded_by", "about_staff")


def feedback_visible_case_ids(*, user, items) -> set[int]:
    ids = {f.case_id for f in items if f.case_id}
    if not ids:
        return set()
    return set(cases_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


def feedback_get(*, user, pk) -> Feedback:
    """One compliment or complaint through the same rule: any other is "not found"."""
    return get_object_or_404(feedback_visible_to(user).select_related("case"), pk=pk)


def _manager_reader_ids() -> set[int]:
    roles = [
        role
        for role, caps in ROLE_CAPABILITIES.items()
        if Capability.SEE_ALL_CASES in caps and Capability.MANAGE_SERVICE_RECORDS in caps
    ]
    users = get_user_model().objects.filter(is_active=True, role__in=roles)
    return set(users.values_list("pk", flat=True))


def feedback_unread_ids(items) -> set[int]:
    """The complaints among `items` that no service manager can read: those about the only
    manager (nobody reads a complaint about themselves). They stay with the person who
    recorded them, who must pass them on under the complaints procedure."""
    complaints = [
        f for f in items if f.kind == Feedback.Kind.COMPLAINT and f.about_staff_id is not None
    ]
    if not complaints:
        return set()
    managers = _manager_reader_ids()
    return {f.pk for f in complaints if not managers - {f.about_staff_id}}


def feedback_unread_by_managers(feedback: Feedback) -> bool:
    return feedback.pk in feedback_unread_ids([feedback])
