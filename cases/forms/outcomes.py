"""The outcome measures form: one rating question per measure."""

from django import forms
from django.utils import timezone

from stalkingservice.forms import BaseForm
from stalkingservice.once import OnceOnlyFormMixin

from ..models.outcomes import OutcomeAnswer, OutcomeAssessment, OutcomeMeasure
from ..services.outcomes import RATING_RANGE
from .common import DateInput, NotFutureMixin, Rebuilt, carry_version

RATING_CHOICES = [
    ("1", "1 - Not at all"),
    ("2", "2"),
    ("3", "3"),
    ("4", "4"),
    ("5", "5 - Very much"),
    (OutcomeAnswer.Response.NOT_ASKED, "Not asked"),
    (OutcomeAnswer.Response.DECLINED, "Declined to answer"),
]


class OutcomeForm(OnceOnlyFormMixin, Rebuilt, NotFutureMixin, BaseForm):
    not_future = ("recorded_on",)
    recorded_on = forms.DateField(label="Date asked", widget=DateInput())

    def __init__(self, *args, stage, measures, assessment=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stage = stage
        existing = {a.measure: a for a in assessment.answers.all()} if assessment else {}
        self.fields["recorded_on"].initial = timezone.localdate()
        self.measures = measures
        for measure in measures:
            choices = list(RATING_CHOICES)
            if measure == OutcomeMeasure.JUSTICE:
                choices.append((OutcomeAnswer.Response.NOT_RELEVANT, "Not relevant to this client"))
            field = forms.ChoiceField(
                label=OutcomeMeasure(measure).label,
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": RATING_RANGE},
            )
            answer = existing.get(measure)
            if answer is not None:
                field.initial = str(answer.rating) if answer.rating else answer.response
            self.fields[measure] = field
        # The required message names the measure; "not asked" is an answer too.
        for measure in measures:
            self.fields[measure].error_messages["required"] = (
                f"Choose a rating for {OutcomeMeasure(measure).label.lower()}, "
                "or 'not asked' or 'declined'"
            )
        if assessment is not None:
            # Recording a stage again replaces its answers: not from an out-of-date page.
            carry_version(self, assessment)
        self._rebuild()

    def saved_values(self, current: OutcomeAssessment) -> dict[str, str]:
        """The answers on record, as this form words them (for a stale-edit comparison)."""
        values = {}
        for answer in current.answers.all():
            if answer.measure in self.fields:
                choice = str(answer.rating) if answer.rating else answer.response
                values[answer.measure] = dict(self.fields[answer.measure].choices).get(
                    choice, choice
                )
        return values

    @property
    def is_exit(self):
        return self.stage == OutcomeAssessment.Stage.EXIT
