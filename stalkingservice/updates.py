"""The one way a service changes named fields of a record it already holds.

A service lists the fields a caller may change; anything else in the data (a posted owner,
a status, a version) is ignored, so a form can never set what the service did not name.
The change is saved with its history reason and author, the version of a versioned record
moves on, and an audit row is written when the service asks for one."""

from collections.abc import Mapping, Sequence
from typing import TypeVar

from django.db import models, transaction

from .audit import audit_record
from .domain import bump_version
from .history import set_history_reason
from .models import User, VersionedModel

M = TypeVar("M", bound=models.Model)


def record_update(
    *,
    obj: M,
    fields: Sequence[str],
    data: Mapping,
    by: User | None,
    reason: str,
    audit_action: str | None = None,
) -> tuple[M, list[str]]:
    """Set each of `fields` that `data` has and that differs from the record, then save.

    Returns the record and the names of the fields that changed (in the order of
    `fields`). When nothing changed nothing is written: no save, no new version, no
    history or audit row. Otherwise a VersionedModel's version is bumped (the caller has
    already checked the version it was given: stalkingservice.domain.check_version), the
    history row gets `reason` (at most 100 characters, simple-history's limit) and `by` as
    its author, a record that exists is saved with only the changed fields (and its
    version and auto-updated times), and with `audit_action` an audit row names the
    fields changed, never their values. `fields` are concrete model fields."""
    changed = [name for name in fields if name in data and getattr(obj, name) != data[name]]
    if not changed:
        return obj, []
    for name in changed:
        setattr(obj, name, data[name])
    update_fields = list(changed)
    if isinstance(obj, VersionedModel):
        bump_version(obj)
        update_fields.append("version")
    update_fields += [
        f.name
        for f in obj._meta.concrete_fields
        if getattr(f, "auto_now", False) and f.name not in update_fields
    ]
    set_history_reason(obj, reason[:100], by=by)
    with transaction.atomic():
        obj.save(update_fields=None if obj._state.adding else update_fields)
        if audit_action:
            audit_record(
                action=audit_action,
                user=by,
                case_id=getattr(obj, "case_id", None),
                detail=f"{obj._meta.verbose_name} {obj.pk}: changed {', '.join(changed)}",
            )
    return obj, changed
