"""What every write of the risk app checks first, and the messages those checks share."""

from collections.abc import Callable

from cases.models import Case
from cases.statuses import CaseStatus
from stalkingservice.domain import DomainError, bump_version, check_version
from stalkingservice.history import set_history_reason

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


def record_changes(
    obj,
    data: dict,
    fields: tuple[str, ...],
    *,
    before_save: Callable | None = None,
    reason: str = "",
) -> list[str]:
    """Save an edit of a versioned record from a form's data: refuse it if it was made
    from an out-of-date copy (StaleEdit), copy the declared fields only, let the caller
    stamp what follows from them, bump the version and keep the change in history.
    Returns the names of the fields that changed."""
    check_version(obj, data.get("version"))
    changed = apply_fields(obj, data, fields)
    if before_save is not None:
        before_save(obj)
    bump_version(obj)
    set_history_reason(obj, reason or "Changed: " + (", ".join(changed) or "nothing"))
    obj.save()
    return changed
