"""Forms for group work: enrolment, programmes, sessions and the register. Validation
only; services do the saving."""

from datetime import timedelta

from django import forms

from stalkingservice.forms import BaseForm, BaseModelForm, VersionedFormMixin
from stalkingservice.models import User
from stalkingservice.once import OnceOnlyFormMixin
from stalkingservice.roles import Role

from ..models.groups import GroupAttendance, GroupProgramme, GroupSession
from .common import EARLIEST, DateInput, today
from .sessions import SessionTimingMixin


class EnrolForm(OnceOnlyFormMixin, BaseForm):
    programme = forms.ModelChoiceField(
        label="Group", queryset=GroupProgramme.objects.none(), empty_label="Choose a group"
    )

    def __init__(self, *args, programmes=None, **kwargs):
        super().__init__(*args, **kwargs)
        if programmes is not None:
            self.fields["programme"].queryset = programmes


def _staff_who_facilitate():
    return User.objects.filter(is_active=True, role__in=[Role.CASEWORKER, Role.MANAGER]).order_by(
        "first_name", "last_name", "username"
    )


class GroupProgrammeForm(OnceOnlyFormMixin, VersionedFormMixin, BaseModelForm):
    class Meta:
        model = GroupProgramme
        fields = [*GroupProgramme.EDITABLE_FIELDS, "facilitators"]
        widgets = {
            "starts_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "facilitators": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitators"].queryset = _staff_who_facilitate()
        self.fields["facilitators"].error_messages["required"] = "Select at least one facilitator"

    def clean_starts_on(self):
        value = self.cleaned_data.get("starts_on")
        if value is not None and not (EARLIEST <= value <= today() + timedelta(days=366)):
            raise forms.ValidationError("The start date must be between 2020 and a year from now")
        return value


class GroupSessionForm(OnceOnlyFormMixin, SessionTimingMixin, BaseModelForm):
    class Meta:
        model = GroupSession
        fields = list(GroupSession.EDITABLE_FIELDS)
        widgets = {"session_date": DateInput()}

    def clean_session_date(self):
        value = self.cleaned_data.get("session_date")
        if value is not None and not (EARLIEST <= value <= today() + timedelta(days=366)):
            raise forms.ValidationError("The date must be between 2020 and a year from now")
        return value


class RegisterForm(BaseForm):
    """The attendance register: one choice per group member, by preferred name."""

    def __init__(self, *args, attendees=(), current=None, **kwargs):
        super().__init__(*args, **kwargs)
        current = current or {}
        choices = [("", "Not recorded")] + list(GroupAttendance.Status.choices)
        for person in attendees:
            name = f"case_{person.case_id}"
            self.fields[name] = forms.ChoiceField(
                label=person.name,
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
            )
            self.initial.setdefault(name, current.get(person.case_id, ""))

    def marks(self) -> dict[int, str]:
        return {int(name.removeprefix("case_")): value for name, value in self.cleaned_data.items()}
