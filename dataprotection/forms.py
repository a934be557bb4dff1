"""Forms of the data-protection screens: validation only."""

from django import forms
from django.utils import timezone

from stalkingservice.forms import BaseForm

from .services.retention import HOLD_REASON_REQUIRED
from .services.subject_access import RECEIVED_IN_FUTURE


class SubjectAccessRequestForm(BaseForm):
    case_reference = forms.CharField(
        label="Case reference",
        max_length=20,
        help_text="Any case of the client, for example STK-2026-00042.",
    )
    received_on = forms.DateField(
        label="Date the request was received",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a real date, for example 27 3 2026"},
    )

    def clean_received_on(self):
        value = self.cleaned_data["received_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(RECEIVED_IN_FUTURE)
        return value


class RetentionDecisionForm(BaseForm):
    APPROVE = "approve"
    HOLD = "hold"

    decision = forms.ChoiceField(
        label="Decision",
        choices=[
            (APPROVE, "Approve: anonymise these records now"),
            (HOLD, "Hold: keep these records for now"),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Reason for holding",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed when you hold, for example a court case or a complaint.",
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.HOLD and not (data.get("reason") or "").strip():
            self.add_error("reason", HOLD_REASON_REQUIRED)
        return data
