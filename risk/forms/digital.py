"""The digital safety check form: validation only; services do the saving."""

from django import forms

from stalkingservice.forms import BaseModelForm, VersionedFormMixin
from stalkingservice.once import OnceOnlyFormMixin

from ..models.digital import DigitalSafetyCheck
from ..services.digital import STALKERWARE_DECISION_REQUIRED
from .common import DateInput, check_not_future

TRACKER_WHERE_NEEDED = "Enter where the tracking device was found"


class DigitalCheckForm(OnceOnlyFormMixin, VersionedFormMixin, BaseModelForm):
    complete = forms.BooleanField(
        label="This check is complete",
        required=False,
        help_text="Leave unticked to save it as in progress.",
    )

    class Meta:
        model = DigitalSafetyCheck
        fields = list(DigitalSafetyCheck.EDITABLE_FIELDS)
        widgets = {"checked_on": DateInput(), "findings": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["complete"] = self.instance.status == "complete"

    def clean_checked_on(self):
        return check_not_future(self.cleaned_data.get("checked_on"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("stalkerware") == DigitalSafetyCheck.Stalkerware.FOUND:
            if not cleaned.get("stalkerware_decision"):
                self.add_error("stalkerware_decision", STALKERWARE_DECISION_REQUIRED)
            if not (cleaned.get("stalkerware_decision_agreed_by") or "").strip():
                self.add_error("stalkerware_decision_agreed_by", "Enter who agreed the decision")
        if cleaned.get("tracker_found") and not (cleaned.get("tracker_where") or "").strip():
            self.add_error("tracker_where", TRACKER_WHERE_NEEDED)
        return cleaned
