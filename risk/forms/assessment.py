"""Forms for the risk and incident tabs: validation only; services do the writing."""

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone

from cases.statuses import RiskLevel
from stalkingservice.domain import DomainError
from stalkingservice.forms import BaseForm, BaseModelForm, VersionedFormMixin

from . import services
from .exhibit_files import ACCEPTED_DESCRIPTION
from .models import Answer, Incident, MaracReferral, RiskTool

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
LEVEL_CHOICES = [("", "No change")] + list(RiskLevel.choices)
TEXT_LIMIT = 5000


def _not_future(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError(services.FUTURE_DATE)
    return value


class AssessmentForm(BaseForm):
    """One form for every tool: questions for checklists, summary or received fields for
    the others."""

    assessed_on = forms.DateField(label="Date of assessment", widget=DATE_WIDGET)

    def __init__(self, *args, tool: RiskTool, items=None, **kwargs):
        self.tool = tool
        self.items = list(items or [])
        super().__init__(*args, **kwargs)
        if not self.is_bound and "assessed_on" not in self.initial:
            self.initial["assessed_on"] = timezone.localdate()
        for item in self.items:
            self.fields[f"q_{item.pk}"] = forms.ChoiceField(
                label=f"{item.number}. {item.prompt}",
                choices=Answer.choices,
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"c_{item.pk}"] = forms.CharField(
                label=f"Comment on question {item.number}",
                required=False,
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 1}),
            )
        scoring = tool.scoring
        if scoring == RiskTool.Scoring.RECEIVED:
            self.fields["received_tool"] = forms.ChoiceField(
                label="Tool the police used",
                choices=[("", "Select"), ("DASH", "DASH"), ("DARA", "DARA")],
                required=False,
            )
            self.fields["received_version"] = forms.CharField(
                label="Version (as received)", required=False, max_length=30
            )
            self.fields["received_score"] = forms.IntegerField(
                label="Score (as received)", required=False, min_value=0, max_value=99
            )
            self.fields["received_level"] = forms.CharField(
                label="Level or grading (as received)", required=False, max_length=30
            )
            self.fields["received_from"] = forms.CharField(
                label="Received from (officer or team)", required=False, max_length=150
            )
        if scoring == RiskTool.Scoring.SUMMARY:
            self.fields["summary_ratings"] = forms.CharField(
                label="Summary ratings",
                required=False,
                max_length=TEXT_LIMIT,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="The overall ratings as recorded in the licensed tool",
            )
        if scoring in (RiskTool.Scoring.COUNT, RiskTool.Scoring.SUMMARY, RiskTool.Scoring.RECEIVED):
            label = "Risk level you set"
            if scoring == RiskTool.Scoring.COUNT:
                label = "Risk level you set (with the number of yes answers in view)"
            self.fields["assessor_level"] = forms.ChoiceField(
                label=label, choices=[("", "Select")] + list(RiskLevel.choices), required=False
            )
        self.fields["judgement_level"] = forms.ChoiceField(
            label="Raise the level by professional judgement",
            choices=LEVEL_CHOICES,
            required=False,
            help_text="Judgement can raise the level, never lower it",
        )
        self.fields["judgement_reason"] = forms.CharField(
            label="Reason for raising the level",
            required=False,
            max_length=TEXT_LIMIT,
            widget=forms.Textarea(attrs={"rows": 2}),
        )
        self.fields["notes"] = forms.CharField(
            required=False, max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 3})
        )
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_assessed_on(self):
        return _not_future(self.cleaned_data.get("assessed_on"))

    def answers(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {
            item.pk: (data.get(f"q_{item.pk}") or "", data.get(f"c_{item.pk}") or "")
            for item in self.items
        }

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "assessed_on": data["assessed_on"],
            "answers": self.answers() if self.items else None,
            "assessor_level": data.get("assessor_level") or "",
            "judgement_level": data.get("judgement_level") or "",
            "judgement_reason": data.get("judgement_reason") or "",
            "summary_ratings": data.get("summary_ratings") or "",
            "received_tool": data.get("received_tool") or "",
            "received_version": data.get("received_version") or "",
            "received_score": data.get("received_score"),
            "received_level": data.get("received_level") or "",
            "received_from": data.get("received_from") or "",
            "notes": data.get("notes") or "",
            "version": data.get("version"),
        }

    def question_rows(self):
        """(item, answer field, comment field) for the template."""
        return [(i, self[f"q_{i.pk}"], self[f"c_{i.pk}"]) for i in self.items]

    def other_fields(self):
        skip = {f"q_{i.pk}" for i in self.items} | {f"c_{i.pk}" for i in self.items}
        skip |= {"assessed_on", "version"}
        return [self[name] for name in self.fields if name not in skip]


class MaracReferralForm(BaseForm):
    referred_on = forms.DateField(label="Date referred", widget=DATE_WIDGET)
    visible_high_risk = forms.BooleanField(
        label="Visible high risk (DASH 14 or more)", required=False
    )
    professional_judgement = forms.BooleanField(label="Professional judgement", required=False)
    potential_escalation = forms.BooleanField(
        label="Potential escalation (incidents in the last 12 months)", required=False
    )
    repeat = forms.BooleanField(
        label="Repeat (new incident within 12 months of the last referral)", required=False
    )
    reason = forms.CharField(
        label="Reason and summary",
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    meeting_on = forms.DateField(label="MARAC meeting date", required=False, widget=DATE_WIDGET)

    def clean_referred_on(self):
        return _not_future(self.cleaned_data.get("referred_on"))

    def clean(self):
        data = super().clean()
        if not any(data.get(c) for c in services.MARAC_CRITERIA):
            self.add_error("visible_high_risk", services.MARAC_CRITERION_REQUIRED)
        return data


class MaracUpdateForm(VersionedFormMixin, BaseModelForm):
    class Meta:
        model = MaracReferral
        fields = ["meeting_on", "actions", "outcome"]
        widgets = {
            "meeting_on": DATE_WIDGET,
            "actions": forms.Textarea(attrs={"rows": 4}),
            "outcome": forms.Textarea(attrs={"rows": 3}),
        }


class IncidentForm(BaseModelForm):
    class Meta:
        model = Incident
        fields = list(services.INCIDENT_FIELDS)
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occurred_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        for name in ("description", "witnesses", "impact"):
            self.fields[name].validators.append(MaxLengthValidator(TEXT_LIMIT))

    def clean_occurred_at(self):
        value = self.cleaned_data.get("occurred_at")
        if value and value > timezone.now():
            raise forms.ValidationError(services.FUTURE_DATE)
        return value

    def clean_police_reported_on(self):
        return _not_future(self.cleaned_data.get("police_reported_on"))

    def incident_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in services.INCIDENT_FIELDS}


def _check_file(upload):
    if upload is None:
        return None
    try:
        services.upload_check(upload)
    except DomainError as exc:
        raise forms.ValidationError(str(exc)) from exc
    return upload


class IncidentCreateForm(IncidentForm):
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
        return _check_file(self.cleaned_data.get("exhibit_file"))


class IncidentEditForm(VersionedFormMixin, IncidentForm):
    pass


class ExhibitForm(BaseForm):
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
        return _check_file(self.cleaned_data.get("file"))

    def clean(self):
        data = super().clean()
        if "file" in self.errors:
            return data
        if not data.get("file") and not (data.get("physical_item") or "").strip():
            self.add_error("file", services.EXHIBIT_NOTHING)
        elif (data.get("physical_item") or "").strip() and not (
            data.get("held_where") or ""
        ).strip():
            self.add_error("held_where", services.HELD_WHERE_REQUIRED)
        return data
