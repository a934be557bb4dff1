"""Forms for risk assessments and MARAC referrals: validation only; services do the writing."""

from django import forms
from django.utils import timezone

from cases.statuses import RiskLevel
from stalkingservice.forms import BaseForm, BaseModelForm, VersionedFormMixin
from stalkingservice.once import OnceOnlyFormMixin

from ..models.assessment import MaracReferral
from ..models.tools import Answer, RiskTool
from ..services.assessment import MARAC_CRITERIA, MARAC_CRITERION_REQUIRED
from .common import DATE_WIDGET, TEXT_LIMIT, not_future

LEVEL_CHOICES = [("", "No change")] + list(RiskLevel.choices)


class AssessmentForm(OnceOnlyFormMixin, BaseForm):
    """One form for every tool: questions for checklists, summary or received fields for
    the others."""

    assessed_on = forms.DateField(label="Date of assessment", widget=DATE_WIDGET)

    def __init__(self, *args, tool: RiskTool, items=None, held_level: str = "", **kwargs):
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
        if held_level:
            held = RiskLevel(held_level).label.lower()
            self.fields["downgrade_reason"] = forms.CharField(
                label="If the level is lower than the case's: why the risk is lower",
                required=False,
                max_length=TEXT_LIMIT,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=(
                    f"The case is {held} risk. A lower level needs a reason and a manager's "
                    f"sign-off; until then the case stays {held}."
                ),
            )
        self.fields["notes"] = forms.CharField(
            required=False, max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 3})
        )
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_assessed_on(self):
        return not_future(self.cleaned_data.get("assessed_on"))

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
            "downgrade_reason": data.get("downgrade_reason") or "",
            "version": data.get("version"),
        }

    def question_rows(self):
        """(item, answer field, comment field) for the template."""
        return [(i, self[f"q_{i.pk}"], self[f"c_{i.pk}"]) for i in self.items]

    def other_fields(self):
        skip = {f"q_{i.pk}" for i in self.items} | {f"c_{i.pk}" for i in self.items}
        skip |= {"assessed_on", "version"}
        return [self[name] for name in self.fields if name not in skip]


class MaracReferralForm(OnceOnlyFormMixin, BaseForm):
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
        return not_future(self.cleaned_data.get("referred_on"))

    def clean(self):
        data = super().clean()
        if not any(data.get(c) for c in MARAC_CRITERIA):
            self.add_error("visible_high_risk", MARAC_CRITERION_REQUIRED)
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
