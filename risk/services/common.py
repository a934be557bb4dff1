"""What every write of the risk app checks first, and the messages those checks share."""

from cases.models import Case
from cases.statuses import CaseStatus
from stalkingservice.domain import DomainError

CASE_CLOSED = "This case is closed. Open a new episode to record more work."
FUTURE_DATE = "The date cannot be in the future"


def require_open(case: Case) -> None:
    """Work is recorded on an open case; a closed one takes a new episode."""
    if case.status == CaseStatus.CLOSED:
        raise DomainError(CASE_CLOSED)


def apply_fields(obj, data: dict, fields: tuple[str, ...]) -> list[str]:
    """Copy the named fields (and only those) from `data` onto `obj`; returns the names
    that changed. The tuple is the service's declared list of what a form may edit."""
    changed = []
    for name in fields:
        if name in data and getattr(obj, name) != data[name]:
            setattr(obj, name, data[name])
            changed.append(name)
    return changed
