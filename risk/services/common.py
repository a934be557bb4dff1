"""What every write of the risk app checks first, and the messages those checks share."""

from cases.models.lifecycle import Case
from cases.statuses import CaseStatus
from stalkingservice.domain import DomainError

CASE_CLOSED = "This case is closed. Open a new episode to record more work."
FUTURE_DATE = "The date cannot be in the future"


def require_open(case: Case) -> None:
    """Work is recorded on an open case; a closed one takes a new episode."""
    if case.status == CaseStatus.CLOSED:
        raise DomainError(CASE_CLOSED)


def changes_listed(changed: list[str]) -> str:
    """The history reason of a risk edit that gives none: the fields it changed."""
    return "Changed: " + (", ".join(changed) or "nothing")
