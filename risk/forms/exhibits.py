"""The exhibit form: a file (checked by its content) or a physical item and where it is
held. Validation only; services do the writing."""

from django import forms

from stalkingservice.domain import DomainError
from stalkingservice.forms import BaseForm
from stalkingservice.once import OnceOnlyFormMixin

from ..services.exhibits import (
    ACCEPTED_DESCRIPTION,
    EXHIBIT_NOTHING,
    HELD_WHERE_REQUIRED,
    upload_check,
)


def check_file(upload):
    if upload is None:
        return None
    try:
        upload_check(upload)
    except DomainError as exc:
        raise forms.ValidationError(str(exc)) from exc
    return upload


class ExhibitForm(OnceOnlyFormMixin, BaseForm):
    file = forms.FileField(
        label="File",
        required=False,
        help_text=f"{ACCEPTED_DESCRIPTION}. The file is checked by its content.",
    )
    description = forms.CharField(label="What it shows", required=False, max_length=300)
    physical_item = forms.CharField(
        label="Physical item (instead of a file)",
        required=False,
        max_length=300,
        help_text="For example: handwritten letter, gift left on the doorstep",
    )
    held_where = forms.CharField(label="Where the original is held", required=False, max_length=300)

    def clean_file(self):
        return check_file(self.cleaned_data.get("file"))

    def clean(self):
        data = super().clean()
        if "file" in self.errors:
            return data
        if not data.get("file") and not (data.get("physical_item") or "").strip():
            self.add_error("file", EXHIBIT_NOTHING)
        elif (data.get("physical_item") or "").strip() and not (
            data.get("held_where") or ""
        ).strip():
            self.add_error("held_where", HELD_WHERE_REQUIRED)
        return data
