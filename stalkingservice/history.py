"""The reason (and author) django-simple-history writes on the next history row of a record.

simple-history reads them from attributes no model declares (`_change_reason`,
`_history_user`) when the record is next saved or deleted, so services set them through
this one typed function rather than writing the private names on each object."""

from django.db.models import Model

from .models import User


def set_history_reason(obj: Model, reason: str, *, by: User | None = None) -> None:
    """Give the next history row of `obj` this reason and, when `by` is a saved user, this
    author (otherwise simple-history's request middleware names the signed-in user).
    The reason column holds 100 characters: a caller with longer text shortens it."""
    setattr(obj, "_change_reason", reason)  # noqa: B010 - simple-history's ad hoc attribute
    if by is not None and by.pk:
        setattr(obj, "_history_user", by)  # noqa: B010
