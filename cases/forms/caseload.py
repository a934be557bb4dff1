"""Forms of the case lists: the filters and the find-by-reference box."""

import re

from django import forms

from stalkingservice.forms import BaseForm
from stalkingservice.models import District

from ..selectors.caseload import allocation_choices
from ..statuses import CaseStatus
from .common import Rebuilt, WorkerChoiceField

STATUS_FILTER_CHOICES = [
    ("open", "Open cases"),
    ("all", "Any status"),
    *CaseStatus.choices,
]


RISK_FILTER_CHOICES = [
    ("", "Any risk"),
    ("high", "High"),
    ("medium", "Medium"),
    ("standard", "Standard"),
    ("none", "Not assessed"),
]

FIND_REFERENCE_INVALID = (
    "Enter a case reference in letters, numbers and dashes, for example STK-2026-00001."
)


REFERENCE_CHARACTERS = re.compile(r"[A-Za-z0-9-]*")


class FindCaseForm(BaseForm):
    """The box that opens a case by its reference. Anything that cannot be a reference
    (a NUL byte, which the database refuses, among them) is refused with a message."""

    reference = forms.CharField(
        required=False,
        error_messages={"null_characters_not_allowed": FIND_REFERENCE_INVALID},
    )

    def clean_reference(self):
        reference = self.cleaned_data["reference"]
        if not REFERENCE_CHARACTERS.fullmatch(reference):
            raise forms.ValidationError(FIND_REFERENCE_INVALID)
        return reference.upper()[:20]


class CaseFilterForm(Rebuilt, BaseForm):
    q = forms.CharField(label="Name or reference", required=False, max_length=100)
    status = forms.ChoiceField(choices=STATUS_FILTER_CHOICES, required=False)
    risk = forms.ChoiceField(choices=RISK_FILTER_CHOICES, required=False)
    worker = WorkerChoiceField(queryset=None, required=False, label="Caseworker")
    district = forms.ModelChoiceField(queryset=None, required=False)
    overdue = forms.BooleanField(label="Overdue only", required=False)
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, manager_fields: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = allocation_choices()
        self.fields["district"].queryset = District.objects.all()
        self.fields["district"].empty_label = "Any district"
        self.fields["worker"].empty_label = "Anyone"
        if not manager_fields:
            del self.fields["worker"]
            del self.fields["district"]
            # The layout was built from the full field list; build it again without them.
            self._rebuild()
