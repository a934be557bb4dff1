"""Forms for needs assessments and the care plan: validation only; services do the saving."""

from crispy_forms.layout import Layout
from django import forms

from stalkingservice.forms import BaseForm, BaseModelForm, VersionedFormMixin
from stalkingservice.once import OnceOnlyFormMixin

from ..models.care_plan import CareGoal, NeedDomain, NeedRating
from .common import DateInput, check_not_future, check_review_date


class NeedsAssessmentForm(OnceOnlyFormMixin, BaseForm):
    assessed_on = forms.DateField(label="Date of assessment", widget=DateInput())
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in NeedDomain.choices:
            self.fields[f"rating_{code}"] = forms.ChoiceField(
                label=f"{label}: level of need",
                choices=[("", "Choose a level")] + list(NeedRating.choices),
                error_messages={"required": f"Select a level of need for {label.lower()}"},
            )
            self.fields[f"comment_{code}"] = forms.CharField(
                label=f"{label}: comment (optional)", required=False, max_length=300
            )
        # Keep the date and notes at the end of the natural reading order.
        self.order_fields(
            ["assessed_on"]
            + [n for c in NeedDomain.values for n in (f"rating_{c}", f"comment_{c}")]
            + ["notes"]
        )
        # The base form laid the page out before the ratings existed: without this the
        # page offers no ratings and can never be saved.
        self.helper.layout = Layout(*self.fields)

    def clean_assessed_on(self):
        return check_not_future(self.cleaned_data.get("assessed_on"))

    def ratings(self) -> dict[str, tuple[str, str]]:
        data = self.cleaned_data
        return {c: (data[f"rating_{c}"], data.get(f"comment_{c}", "")) for c in NeedDomain.values}


class CareGoalForm(OnceOnlyFormMixin, VersionedFormMixin, BaseModelForm):
    class Meta:
        model = CareGoal
        fields = list(CareGoal.EDITABLE_FIELDS)
        widgets = {
            "review_on": DateInput(),
            "planned_interventions": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_review_on(self):
        previous = self.instance.review_on if self.instance.pk else None
        return check_review_date(self.cleaned_data.get("review_on"), unchanged_from=previous)


class ProgressNoteForm(OnceOnlyFormMixin, BaseForm):
    note = forms.CharField(
        label="Progress note", max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
