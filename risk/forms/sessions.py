"""The one-to-one session form: validation only; services do the saving."""

from datetime import timedelta

from django import forms

from stalkingservice.forms import BaseModelForm, VersionedFormMixin
from stalkingservice.once import OnceOnlyFormMixin

from ..models.sessions import OneToOneSession, SessionStatus
from ..services.sessions import DELIVERED_IN_FUTURE
from .common import DATE_TOO_EARLY, EARLIEST, MAX_DURATION, DateInput, bound_duration, today


class SessionTimingMixin:
    """A session's length (1 to 480 minutes) and date: one recorded as delivered cannot
    be in the future. One-to-one and group sessions alike."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duration_minutes"].widget.attrs.update({"min": 1, "max": MAX_DURATION})

    def clean_duration_minutes(self):
        return bound_duration(self.cleaned_data.get("duration_minutes"))

    def clean(self):
        cleaned = super().clean()
        d = cleaned.get("session_date")
        if cleaned.get("status") == SessionStatus.DELIVERED and d and d > today():
            self.add_error("session_date", DELIVERED_IN_FUTURE)
        return cleaned


class SessionForm(OnceOnlyFormMixin, SessionTimingMixin, VersionedFormMixin, BaseModelForm):
    class Meta:
        model = OneToOneSession
        fields = list(OneToOneSession.EDITABLE_FIELDS)
        widgets = {"session_date": DateInput(), "notes": forms.Textarea(attrs={"rows": 4})}

    def clean_session_date(self):
        value = self.cleaned_data.get("session_date")
        if value is not None and value < EARLIEST:
            raise forms.ValidationError(DATE_TOO_EARLY)
        if value is not None and value > today() + timedelta(days=366):
            raise forms.ValidationError("A planned session must be within the next 12 months")
        return value
