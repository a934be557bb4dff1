"""Reads for exhibits: only through a case the user may see."""

from django.http import Http404

from ..models.exhibits import Exhibit
from ..permissions import exhibits_visible_to


def exhibit_get_for_user(*, user, case_pk, pk) -> Exhibit:
    try:
        return exhibits_visible_to(user).select_related("case").get(case_id=case_pk, pk=pk)
    except (Exhibit.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
