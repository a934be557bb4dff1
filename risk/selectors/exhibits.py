"""Reads for exhibits: only through a case the user may see (loaded by the case page)."""

from django.http import Http404

from cases.models.lifecycle import Case

from ..models.exhibits import Exhibit


def exhibit_get(*, case: Case, pk) -> Exhibit:
    try:
        return Exhibit.objects.get(case=case, pk=pk)
    except (Exhibit.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
