"""Reads of the attempts to contact a client."""

from ..models.lifecycle import Case


def case_contact_attempts(*, case: Case):
    return case.contact_attempts.select_related("by").order_by("-at", "-id")
