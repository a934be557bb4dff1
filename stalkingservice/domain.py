"""The kernel's rule types: what every app's services raise and every view shows.

A `DomainError` is a rule of the service refusing an action; its message is shown to the
user. It may carry the name of the form field it is about, so a view can put the message
beside that field without reading the text. `StaleEdit` is the refusal of a save made
from an out-of-date copy (optimistic concurrency on `VersionedModel`)."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule of the service refused the action. The message is shown to the user;
    `field`, when given, names the form field the message belongs beside."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class StaleEdit(DomainError):
    """Someone else saved this record after it was opened."""

    def __init__(self, message: str, current: Any = None) -> None:
        super().__init__(message)
        self.current = current


STALE_EDIT_MESSAGE = (
    "Someone else saved changes to this record after you opened it. Their version is shown "
    "below; your changes are still in the form. Check both, then save again."
)


def check_version(obj: Any, submitted_version: int | str | None) -> None:
    """Optimistic concurrency: refuse a save made from an out-of-date copy."""
    if submitted_version is None:
        return
    manager = type(obj)._default_manager
    current = manager.filter(pk=obj.pk).values_list("version", flat=True).first()
    if current is not None and int(submitted_version) != current:
        raise StaleEdit(STALE_EDIT_MESSAGE, current=manager.get(pk=obj.pk))


def bump_version(obj: Any) -> None:
    obj.version = (obj.version or 0) + 1
