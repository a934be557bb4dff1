"""The one way a service changes named fields of a record it already holds.

A service lists the fields a caller may change; anything else in the data (a posted owner,
a status, a version) is ignored, so a form can never set what the service did not name.
The change is saved with its history reason and author, the version of a versioned record
moves on, and an audit row is written when the service asks for one.

`only` and `set_fields` are the two halves of "the declared fields, and nothing else" (for
building a new record and for editing one); `save_with_reason` is a save that leaves its
reason in the history; `record_update` is the whole edit."""

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from django.db import models, transaction

from .audit import audit_record
from .domain import UNCHECKED, SubmittedVersion, bump_version, check_version
from .history import set_history_reason
from .models import VersionedModel

M = TypeVar("M", bound=models.Model)

# simple-history's history_change_reason column holds at most this many characters.
REASON_MAX = 100


def only(data: Mapping[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    """The declared fields that the data holds, and nothing else."""
    return {name: data[name] for name in fields if name in data}


def set_fields(obj: models.Model, *, fields: Iterable[str], data: Mapping[str, Any]) -> list[str]:
    """Copy the declared fields that the data holds onto obj; return the names whose
    value changed (in the order of `fields`). Any other key in data is ignored, so a form
    (or a caller) can never set the owner, the case or the status by adding a key."""
    changed = []
    for name, value in only(data, fields).items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def _mark_history(obj: models.Model, reason: str, by: Any) -> None:
    set_history_reason(obj, reason[:REASON_MAX], by=by)


def save_with_reason(obj: M, reason: str, *, by: Any = None) -> M:
    """Save (every field), giving the history row its change reason (at most 100
    characters) and, when `by` is a saved user, its author."""
    _mark_history(obj, reason, by)
    obj.save()
    return obj


def record_update(
    *,
    obj: M,
    fields: Sequence[str],
    data: Mapping[str, Any],
    by: Any,
    reason: str | Callable[[list[str]], str],
    version: SubmittedVersion = UNCHECKED,
    before_save: Callable[[M], object] | None = None,
    audit_action: str | None = None,
    save_unchanged: bool = False,
) -> tuple[M, list[str]]:
    """Set each of `fields` that `data` has and that differs from the record, then save.

    Returns the record and the names of the fields that changed (in the order of
    `fields`). `version` is the version the edit was made from: an out-of-date or
    missing (None) one is refused with StaleEdit before anything is set, and the row
    stays locked until the save commits (stalkingservice.domain.check_version); a caller
    with no form and so no version passes nothing (UNCHECKED).

    When nothing changed nothing is written: no save, no new version, no history or
    audit row, unless `save_unchanged` (a service whose "save" is a fact of its own, such
    as a confirmation, or whose caller set other attributes on the record first): then
    the record is saved whatever changed. Otherwise a VersionedModel's version is
    bumped, the history row gets `reason` (a string, or a function of the changed
    names; at most 100 characters, simple-history's limit) and `by` as its author, and
    with `audit_action` an audit row names the fields changed, never their values.

    `before_save(obj)` may stamp fields that follow from the new values (a closing date
    from a status). A record that exists is saved with only the changed fields (and its
    version and auto-updated times), so someone else's change to another field is kept;
    with `before_save` or `save_unchanged` every field is saved, since the record holds
    values this function did not set. `fields` are concrete model fields."""
    with transaction.atomic():
        return _record_update(
            obj=obj,
            fields=fields,
            data=data,
            by=by,
            reason=reason,
            version=version,
            before_save=before_save,
            audit_action=audit_action,
            save_unchanged=save_unchanged,
        )


def _record_update(
    *,
    obj: M,
    fields: Sequence[str],
    data: Mapping[str, Any],
    by: Any,
    reason: str | Callable[[list[str]], str],
    version: Any,
    before_save: Callable[[M], object] | None,
    audit_action: str | None,
    save_unchanged: bool,
) -> tuple[M, list[str]]:
    check_version(obj, version)
    changed = set_fields(obj, fields=fields, data=data)
    if not changed and not save_unchanged:
        return obj, []
    if before_save is not None:
        before_save(obj)
    save_all = save_unchanged or before_save is not None or obj._state.adding
    update_fields = list(changed)
    if isinstance(obj, VersionedModel):
        bump_version(obj)
        update_fields.append("version")
    update_fields += [
        f.name
        for f in obj._meta.concrete_fields
        if getattr(f, "auto_now", False) and f.name not in update_fields
    ]
    _mark_history(obj, reason(changed) if callable(reason) else reason, by)
    obj.save(update_fields=None if save_all else update_fields)
    if audit_action:
        audit_record(
            action=audit_action,
            user=by,
            case_id=getattr(obj, "case_id", None),
            detail=f"{obj._meta.verbose_name} {obj.pk}: changed {', '.join(changed) or 'nothing'}",
        )
    return obj, changed
