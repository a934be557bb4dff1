"""Forms for the incident log: validation only; services do the writing."""

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from stalkingservice.forms import BaseModelForm, VersionedFormMixin
from stalkingservice.once import OnceOnlyFormMixin

from ..models.incidents import Incident
from ..services.common import FUTURE_DATE
from ..services.exhibits import ACCEPTED_DESCRIPTION
from .common import DATE_WIDGET, DATETIME_WIDGET, TEXT_LIMIT, not_future
from .exhibits import check_file


class SuggestingTextInput(forms.TextInput):
    """A text box with a list of suggestions (an HTML datalist): typing is still free."""

    def __init__(self, *args, suggestions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.suggestions = list(suggestions)

    def render(self, name, value, attrs=None, renderer=None):
        if not self.suggestions:
            return super().render(name, value, attrs, renderer)
        list_id = f"{(attrs or {}).get('id') or 'id_' + name}_suggestions"
        html = super().render(name, value, {**(attrs or {}), "list": list_id}, renderer)
        options = format_html_join(
            "", '<option value="{}"></option>', ((s,) for s in self.suggestions)
        )
        return html + format_html('<datalist id="{}">{}</datalist>', list_id, options)


class IncidentForm(BaseModelForm):
    class Meta:
        model = Incident
        fields = list(Incident.EDITABLE_FIELDS)
        widgets = {
            "occurred_at": DATETIME_WIDGET,
            "police_reported_on": DATE_WIDGET,
            "description": forms.Textarea(attrs={"rows": 4}),
            "witnesses": forms.Textarea(attrs={"rows": 2}),
            "impact": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "description": "What happened, in the client's words where possible; facts, not opinions",
            "impact": "For example: changed route to work, stopped going out, moved home",
        }

    def __init__(self, *args, crime_references=(), **kwargs):
        super().__init__(*args, **kwargs)
        # The case's police records offer their crime references as the worker types, so
        # an incident links to one rather than typing it again differently.
        self.fields["crime_reference"].widget = SuggestingTextInput(
            suggestions=crime_references, attrs={"maxlength": 60}
        )
        if crime_references:
            self.fields["crime_reference"].help_text = "Already on the police record: " + ", ".join(
                crime_references
            )
        self.fields["occurred_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        for name in ("description", "witnesses", "impact"):
            self.fields[name].validators.append(MaxLengthValidator(TEXT_LIMIT))

    def clean_occurred_at(self):
        value = self.cleaned_data.get("occurred_at")
        if value and value > timezone.now():
            raise forms.ValidationError(FUTURE_DATE)
        return value

    def clean_police_reported_on(self):
        return not_future(self.cleaned_data.get("police_reported_on"))

    def incident_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in Incident.EDITABLE_FIELDS}


class IncidentCreateForm(OnceOnlyFormMixin, IncidentForm):
    """A new incident, with an optional first exhibit file."""

    exhibit_file = forms.FileField(
        label="Exhibit file (optional)",
        required=False,
        help_text=f"{ACCEPTED_DESCRIPTION}. The file is checked by its content.",
    )
    exhibit_description = forms.CharField(
        label="What the file shows", required=False, max_length=300
    )

    def clean_exhibit_file(self):
        return check_file(self.cleaned_data.get("exhibit_file"))


class IncidentEditForm(VersionedFormMixin, IncidentForm):
    pass
