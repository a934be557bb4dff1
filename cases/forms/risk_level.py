"""A manager's decision on a lower risk level: validation only; the service decides."""

from django import forms

from stalkingservice.forms import BaseForm

from ..services.risk_level import DOWNGRADE_DECISION_REQUIRED, DOWNGRADE_REJECT_NEEDS_NOTE
from .common import Rebuilt, text_field


class RiskDowngradeDecisionForm(Rebuilt, BaseForm):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[
            ("approve", "Sign off the lower level"),
            ("reject", "Keep the current level"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": DOWNGRADE_DECISION_REQUIRED},
    )
    note = text_field(
        "Note for the caseworker",
        2000,
        required=False,
        rows=3,
        help_text="Needed when you keep the current level: say why.",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not (cleaned.get("note") or "").strip():
            self.add_error("note", DOWNGRADE_REJECT_NEEDS_NOTE)
        return cleaned
