"""Every read of cases, scoped to the user who asks."""

from django.db.models import QuerySet
from django.http import Http404

from .models import Case
from .permissions import cases_visible_to


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


def case_list_for_user(*, user) -> QuerySet[Case]:
    return cases_visible_to(user).select_related("client", "allocated_to", "co_worker")


def case_timeline(*, case: Case, limit: int = 200):
    return case.events.select_related("by").order_by("-at", "-id")[:limit]
