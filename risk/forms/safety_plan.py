"""Forms for the safety plan: validation only; services do the saving."""

from datetime import timedelta

from django import forms

from stalkingservice.forms import BaseForm, BaseModelForm, VersionedFormMixin
from stalkingservice.once import OnceOnlyFormMixin

from ..models.safety_plan import SafetyAction
from .common import DateInput, check_review_date, today

DUE_IN_PAST = "The due date cannot be in the past"
DUE_TOO_FAR = "The due date must be within the next 2 years"
OWNER_DETAIL_NEEDED = "Enter which agency or person will do it"


class SafetyActionForm(OnceOnlyFormMixin, VersionedFormMixin, BaseModelForm):
    class Meta:
        model = SafetyAction
        fields = list(SafetyAction.EDITABLE_FIELDS)
        widgets = {"due_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].max_length = 500
        self.fields["description"].widget.attrs["maxlength"] = 500

    def clean_description(self):
        value = self.cleaned_data["description"].strip()
        if len(value) > 500:
            raise forms.ValidationError("Keep the action to 500 characters or fewer")
        return value

    def clean_due_on(self):
        value = self.cleaned_data.get("due_on")
        previous = self.instance.due_on if self.instance.pk else None
        if value is None or value == previous:
            return value
        if value < today():
            raise forms.ValidationError(DUE_IN_PAST)
        if value > today() + timedelta(days=731):
            raise forms.ValidationError(DUE_TOO_FAR)
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("owner") == "agency" and not (cleaned.get("owner_detail") or "").strip():
            self.add_error("owner_detail", OWNER_DETAIL_NEEDED)
        return cleaned


class SafetyPlanAgreeForm(BaseForm):
    next_review_on = forms.DateField(label="Next review of the plan", widget=DateInput())
    review_note = forms.CharField(
        label="What changed or was agreed (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirmed = forms.BooleanField(
        label="I went through this plan with the client and they agreed it",
        error_messages={"required": "Confirm that the client agreed this plan"},
    )

    def clean_next_review_on(self):
        return check_review_date(self.cleaned_data.get("next_review_on"))


class SafetyPlanCopyConsentForm(BaseForm):
    police_details_on_copy = forms.BooleanField(
        label="The client agreed to have the police officer and crime reference on their copy",
        help_text=(
            "Ask the client first: the copy may be found by the person stalking them. "
            "Untick to take the police details off."
        ),
        required=False,
    )
