"""The kernel's rule types: what every app's services raise and every view shows.

A `DomainError` is a rule of the service refusing an action; its message is shown to the
user. It may carry the name of the form field it is about, so a view can put the message
beside that field without reading the text. `StaleEdit` is the refusal of a save made
from an out-of-date copy (optimistic concurrency on `VersionedModel`)."""

from __future__ import annotations

import enum
from typing import Any, Final

from django.db import transaction


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


class _Unchecked(enum.Enum):
    UNCHECKED = "unchecked"


# A caller that is not an edit form (an import, a task, another service) and so has no
# version to offer says so with this, explicitly. A form that posts no version gives None,
# which is refused: a missing version is never taken to mean "the current one".
UNCHECKED: Final = _Unchecked.UNCHECKED
# What a service is given as "the version this edit was made from".
SubmittedVersion = int | str | None | _Unchecked

VERSION_MISSING_MESSAGE = (
    "This page was sent without saying which version of the record it was opened at, so "
    "saving it could overwrite someone else's changes. Nothing was saved: the record as it "
    "is now is shown below and your changes are still in the form. Check both, then save again."
)


def check_version(obj: Any, submitted_version: SubmittedVersion) -> None:
    """Optimistic concurrency: refuse a save made from an out-of-date copy, or from a form
    that did not say which version it was opened at.

    The record's row is locked (SELECT ... FOR UPDATE) while its version is read, so the
    check and the write that follows are one step: a second save made from the same
    version waits for the first to commit and is then refused with StaleEdit. It must
    therefore run inside the transaction that writes (every service is atomic)."""
    if submitted_version is UNCHECKED or obj.pk is None or obj._state.adding:
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("check_version must run inside the transaction that saves the record")
    manager = type(obj)._default_manager
    current = manager.select_for_update().filter(pk=obj.pk).values_list("version", flat=True)
    current_version = current.first()
    if current_version is None:
        return  # deleted meanwhile: the save itself will say so
    try:
        submitted = int(submitted_version)  # type: ignore[arg-type]  # None/junk: refused below
    except (TypeError, ValueError):
        raise StaleEdit(VERSION_MISSING_MESSAGE, current=manager.get(pk=obj.pk)) from None
    if submitted != current_version:
        raise StaleEdit(STALE_EDIT_MESSAGE, current=manager.get(pk=obj.pk))


def bump_version(obj: Any) -> None:
    obj.version = (obj.version or 0) + 1
