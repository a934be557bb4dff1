"""What the services of every area of a case share: the not-in-the-future rules, saving
with a history reason, and the one way to copy a form's data onto a record, which takes
only the fields the caller declares (never whatever keys the data happens to hold)."""

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils import timezone

from stalkingservice.domain import DomainError, bump_version, check_version

FUTURE_DATE = "The date cannot be in the future"
FUTURE_TIME = "The time cannot be in the future."


def not_future(value: dt.date | None, *, field: str | None = None) -> None:
    """Refuse a date after today (the error names the form field it belongs beside)."""
    if value and value > timezone.localdate():
        raise DomainError(FUTURE_DATE, field=field)


def not_future_time(value: dt.datetime, *, field: str | None = None) -> None:
    """Refuse a moment in the future; a minute's grace for clocks that disagree."""
    if value > timezone.now() + dt.timedelta(minutes=1):
        raise DomainError(FUTURE_TIME, field=field)


def save_with_reason(obj, reason: str):
    """Save, giving the history row its change reason."""
    obj._change_reason = reason
    obj.save()
    return obj


def name_of(user) -> str:
    return str(user) if user is not None else "nobody"


def only(data: Mapping[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    """The declared fields that the data holds, and nothing else."""
    return {name: data[name] for name in fields if name in data}


def set_fields(obj, *, fields: Iterable[str], data: Mapping[str, Any]) -> list[str]:
    """Copy the declared fields that the data holds onto obj; return the names whose
    value changed. Any other key in data is ignored, so a form (or a caller) can never
    set the owner, the case or the status by adding a key."""
    changed = []
    for name, value in only(data, fields).items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def update_fields(
    *, obj, fields: Iterable[str], data: Mapping[str, Any], version, reason: str
) -> list[str]:
    """Edit a versioned record: refuse a stale copy, set the declared fields, bump the
    version and save with the history reason. Returns the names of the changed fields."""
    check_version(obj, version)
    changed = set_fields(obj, fields=fields, data=data)
    bump_version(obj)
    save_with_reason(obj, reason)
    return changed
