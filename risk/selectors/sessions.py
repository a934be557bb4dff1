"""Reads for one-to-one sessions, reached through a case the user may see."""

from django.db.models import QuerySet
from django.http import Http404

from ..models.sessions import OneToOneSession


def sessions_for_case(*, case) -> QuerySet[OneToOneSession]:
    return OneToOneSession.objects.filter(case=case).select_related("worker")


def session_get(*, case, pk) -> OneToOneSession:
    try:
        return OneToOneSession.objects.get(case=case, pk=pk)
    except (OneToOneSession.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
