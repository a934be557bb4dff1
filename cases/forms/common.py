"""What the forms of every area of a case share: text fields with plain length
messages, date inputs, the not-in-the-future checks, the once-only submission id and a
crispy layout rebuilt once a form's fields are final. Forms validate; services save."""

from datetime import timedelta

from crispy_forms.helper import FormHelper
from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone

from stalkingservice.once import OnceOnlyFormMixin

from ..services.common import FUTURE_DATE

__all__ = ["OnceOnlyFormMixin"]  # the kernel's, re-exported for the case forms

FUTURE_MESSAGE = "The date and time cannot be in the future"
TOO_LONG = "Use {max} characters or fewer"

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def not_future_time(value):
    """A field validator: the moment cannot be in the future (a minute's grace)."""
    if value and value > timezone.now() + timedelta(minutes=1):
        raise forms.ValidationError(FUTURE_MESSAGE)
    return value


def limit_length(field, n: int):
    """Refuse text over n characters with a plain message (replacing Django's own)."""
    field.max_length = n
    field.widget.attrs["maxlength"] = n
    field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
    field.validators.append(MaxLengthValidator(n, message=TOO_LONG.format(max=n)))
    return field


def text_field(label, max_length, *, required=True, rows=None, help_text=""):
    """A text box (or a text area of `rows`) refusing more than max_length characters."""
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput
    field = forms.CharField(label=label, required=required, widget=widget, help_text=help_text)
    return limit_length(field, max_length)


class Rebuilt:
    """Rebuild the crispy layout once the form's fields are final: fields added or removed
    after the base form's __init__ (the version field, per-measure ratings, a letter choice
    that is not offered) would otherwise be missing from, or break, the rendered form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._rebuild()

    def _rebuild(self):
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True


def carry_version(form, record) -> None:
    """A plain form that edits an existing record carries the version it was read at, so
    a save from an out-of-date page is refused (VersionedFormMixin does this for model
    forms). Rebuild the layout afterwards."""
    form.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, required=False)
    if record is not None and not form.is_bound:
        form.initial["version"] = record.version


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class NotFutureMixin:
    """Date fields listed in `not_future` cannot be after today."""

    not_future: tuple[str, ...] = ()

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        for name in self.not_future:
            value = cleaned.get(name)
            if value and value > today:
                self.add_error(name, FUTURE_DATE)
        return cleaned


def date_widgets(*names):
    """Date pickers for the named fields of a model form's Meta.widgets."""
    return dict.fromkeys(names, DateInput())


class WorkerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} ({obj.get_role_display()})"
