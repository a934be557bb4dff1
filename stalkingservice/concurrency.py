"""Showing a stale edit to the person who made it.

When a service refuses a save with `stalkingservice.domain.StaleEdit` (someone else saved the
record after this user opened it), the edit view calls `stale_edit_context()` and renders
its page again. The user then sees:
- the message at the top (as a form error, so the error summary and "Error:" title work);
- a side-by-side table of every field: the other person's saved value and the user's own;
- the form still holding everything they typed, now carrying the current version, so
  once they have checked both, saving again goes through.

In a view:

    try:
        safe_contact_update(contact=contact, data=form.cleaned_data, by=request.user)
    except StaleEdit as exc:
        context.update(stale_edit_context(form=form, error=exc))
        return render(request, "cases/safe_contact_form.html", context, status=409)

and in the template, above the form: `{% include "includes/stale_edit.html" %}`.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone

from stalkingservice.domain import StaleEdit


@dataclass(frozen=True)
class FieldComparison:
    name: str
    label: str
    theirs: str
    yours: str

    @property
    def differs(self) -> bool:
        return self.theirs != self.yours


def _show(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{formats.date_format(value, 'j F Y')} {formats.time_format(value, 'H:i')}"
    if isinstance(value, date):
        return formats.date_format(value, "j F Y")
    if isinstance(value, list | tuple | set | models.QuerySet):
        return ", ".join(_show(v) for v in value)
    return str(value)


def _theirs(current, name: str) -> str:
    """The saved value, shown as the record's pages show it (choice labels, names)."""
    try:
        field = current._meta.get_field(name)
    except FieldDoesNotExist:  # a form-only field: show whatever the object has
        return _show(getattr(current, name, ""))
    if field.many_to_many:
        return _show([str(o) for o in getattr(current, name).all()])
    if getattr(field, "choices", None):
        return _show(getattr(current, f"get_{name}_display")())
    return _show(getattr(current, name, None))


def _choice_labels(field: forms.ChoiceField) -> dict[Any, Any]:
    """Each choice's label by its value."""
    # django-stubs types the choices a field gives back as anything it accepts (a mapping,
    # a callable, a Choices class); Django has already normalised them to (value, label)
    # pairs on assignment.
    return dict(cast(Iterable[tuple[Any, Any]], field.choices))


def _yours(form, name: str) -> str:
    """What the user submitted, shown the same way."""
    field = form.fields[name]
    cleaned = getattr(form, "cleaned_data", {}) or {}
    value = cleaned[name] if name in cleaned else form.data.get(form.add_prefix(name), "")
    if isinstance(field, forms.ModelMultipleChoiceField | forms.ModelChoiceField):
        return _show(value)
    if isinstance(field, forms.MultipleChoiceField):
        labels = _choice_labels(field)
        return _show([str(labels.get(v, v)) for v in value or []])
    if isinstance(field, forms.ChoiceField):
        return _show(
            str(_choice_labels(field).get(value, value)) if value not in (None, "") else ""
        )
    return _show(value)


def stale_edit_comparison(*, form, current) -> list[FieldComparison]:
    """Each visible field of the form: the other person's saved value beside the user's.
    A form whose fields are not the record's own (a rating per measure, "caseworker" for
    the allocated worker) gives the saved values itself: `form.saved_values(current)`."""
    saved = form.saved_values(current) if hasattr(form, "saved_values") else {}
    rows = []
    for name, field in form.fields.items():
        if name == "version" or isinstance(field.widget, forms.HiddenInput):
            continue
        rows.append(
            FieldComparison(
                name=name,
                label=str(field.label or name.replace("_", " ").capitalize()),
                theirs=_show(saved[name]) if name in saved else _theirs(current, name),
                yours=_yours(form, name),
            )
        )
    return rows


def stale_edit_context(*, form, error: StaleEdit) -> dict:
    """Prepare the form and context for re-showing an edit refused as stale."""
    current = error.current
    form.add_error(None, str(error))
    if current is not None and hasattr(form, "data"):
        data = form.data.copy()
        data[form.add_prefix("version")] = str(current.version)
        form.data = data  # the user's input stays; only the version moves on
    return {
        "stale_edit": True,
        "stale_comparison": stale_edit_comparison(form=form, current=current)
        if current is not None
        else [],
        "stale_saved_by": _saved_by(current),
    }


def _saved_by(current) -> str:
    """Who saved the version now on record, when the model keeps history."""
    history = getattr(current, "history", None)
    if history is None:
        return ""
    latest = history.select_related("history_user").order_by("-history_date").first()
    if latest is None or latest.history_user is None:
        return ""
    when = timezone.localtime(latest.history_date)
    return f"{latest.history_user} at {formats.time_format(when, 'H:i')} on {formats.date_format(when, 'j F Y')}"
