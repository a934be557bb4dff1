from django import forms
from django.utils import timezone

from stalkingservice.forms import BaseForm

from .periods import Quarter

NARRATIVE_MAX = 4000


def ended_quarters(count: int = 8) -> list[Quarter]:
    latest = Quarter.containing(timezone.localdate()).previous()
    quarters = [latest]
    while len(quarters) < count:
        quarters.append(quarters[-1].previous())
    return quarters


class GenerateReturnForm(BaseForm):
    quarter = forms.ChoiceField(label="Quarter")
    reason = forms.CharField(
        label="Reason for a new version",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed only when the quarter already has a finalised return.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [
            (q.label, f"{q.label}: {q.title}") for q in ended_quarters()
        ]


class NarrativeForm(BaseForm):
    highlights = forms.CharField(
        required=False, max_length=NARRATIVE_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    challenges = forms.CharField(
        required=False, max_length=NARRATIVE_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    case_study = forms.CharField(
        label="Case study",
        required=False,
        max_length=NARRATIVE_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="No names, places, dates or any detail that could identify a client or "
        "the person stalking them.",
    )
    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
