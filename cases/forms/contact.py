"""The form for an attempt to contact the client."""

from django import forms
from django.utils import timezone

from stalkingservice.forms import BaseForm

from ..models.contact import ContactAttempt
from .common import DATETIME_INPUT, OnceOnlyFormMixin, not_future_time, text_field

OVERRIDE_REASON_REQUIRED = "Say why this unconfirmed route has to be used"


class ContactAttemptForm(OnceOnlyFormMixin, BaseForm):
    method = forms.ChoiceField(choices=ContactAttempt.Method.choices, label="How")
    outcome = forms.ChoiceField(choices=ContactAttempt.Outcome.choices)
    at = forms.DateTimeField(
        label="When", widget=DATETIME_INPUT, help_text="Leave as it is for now."
    )
    voicemail_left = forms.BooleanField(label="A voicemail was left", required=False)
    agreed_wording_used = forms.BooleanField(
        label="The agreed voicemail wording was used", required=False
    )
    notes = text_field("Notes (optional)", 2000, required=False, rows=2)
    override_unsafe = forms.BooleanField(
        label="I know this route or time is not confirmed as safe and had to use it anyway",
        required=False,
    )
    unsafe_route_reason = text_field(
        "Why the unconfirmed route or time had to be used", 500, required=False, rows=2
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].error_messages["required"] = "Select how you tried to make contact"
        self.fields["outcome"].error_messages["required"] = "Select what happened"
        self.fields["at"].error_messages["required"] = "Enter when you tried to make contact"
        if not self.is_bound:
            self.initial.setdefault("at", timezone.localtime().replace(second=0, microsecond=0))

    def clean_at(self):
        return not_future_time(self.cleaned_data.get("at"))

    def clean(self):
        data = super().clean()
        if data.get("override_unsafe") and not (data.get("unsafe_route_reason") or "").strip():
            self.add_error("unsafe_route_reason", OVERRIDE_REASON_REQUIRED)
        if data.get("voicemail_left") and data.get("method") != ContactAttempt.Method.PHONE:
            self.add_error("voicemail_left", "A voicemail can only be left on a phone call")
        return data
