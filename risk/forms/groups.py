"""Forms for safety plans, care plans, interventions, group work and digital safety.
Validation only: services do the saving."""

from datetime import date, timedelta

from crispy_forms.layout import Layout
from django import forms
from django.utils import timezone

from stalkingservice.forms import BaseForm, BaseModelForm, VersionedFormMixin
from stalkingservice.models import User
from stalkingservice.roles import Role

from .models import (
    CareGoal,
    DigitalSafetyCheck,
    GroupAttendance,
    GroupProgramme,
    GroupSession,
    NeedDomain,
    NeedRating,
    OneToOneSession,
    SafetyAction,
    SessionStatus,
)
from .plan_services import DELIVERED_IN_FUTURE, STALKERWARE_DECISION_REQUIRED

EARLIEST = date(2020, 1, 1)
DATE_IN_FUTURE = "The date cannot be in the future"
DATE_TOO_EARLY = "The date must be in 2020 or later"
DUE_IN_PAST = "The due date cannot be in the past"
DUE_TOO_FAR = "The due date must be within the next 2 years"
REVIEW_IN_PAST = "The review date must be today or later"
REVIEW_TOO_FAR = "The review date must be within the next 12 months"
OWNER_DETAIL_NEEDED = "Enter which agency or person will do it"
TRACKER_WHERE_NEEDED = "Enter where the tracking device was found"
DURATION_RANGE = "Enter a duration between 1 and 480 minutes"
MAX_DURATION = 480


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _today() -> date:
    return timezone.localdate()


def check_not_future(value: date | None) -> date | None:
    if value is None:
        return value
    if value > _today():
        raise forms.ValidationError(DATE_IN_FUTURE)
    if value < EARLIEST:
        raise forms.ValidationError(DATE_TOO_EARLY)
    return value


def check_review_date(value: date | None, *, unchanged_from: date | None = None) -> date | None:
    if value is None or value == unchanged_from:
        return value
    if value < _today():
        raise forms.ValidationError(REVIEW_IN_PAST)
    if value > _today() + timedelta(days=366):
        raise forms.ValidationError(REVIEW_TOO_FAR)
    return value


def _bound_duration(cleaned) -> int | None:
    if cleaned is not None and not 1 <= cleaned <= MAX_DURATION:
        raise forms.ValidationError(DURATION_RANGE)
    return cleaned


# ---- safety plan -------------------------------------------------------------------


class SafetyActionForm(VersionedFormMixin, BaseModelForm):
    class Meta:
        model = SafetyAction
        fields = [
            "section",
            "description",
            "owner",
            "owner_detail",
            "due_on",
            "status",
            "client_may_take_copy",
        ]
        widgets = {"due_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].max_length = 500
        self.fields["description"].widget.attrs["maxlength"] = 500

    def clean_description(self):
        value = self.cleaned_data["description"].strip()
        if len(value) > 500:
            raise forms.ValidationError("Keep the action to 500 characters or fewer")
        return value

    def clean_due_on(self):
        value = self.cleaned_data.get("due_on")
        previous = self.instance.due_on if self.instance.pk else None
        if value is None or value == previous:
            return value
        if value < _today():
            raise forms.ValidationError(DUE_IN_PAST)
        if value > _today() + timedelta(days=731):
            raise forms.ValidationError(DUE_TOO_FAR)
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("owner") == "agency" and not (cleaned.get("owner_detail") or "").strip():
            self.add_error("owner_detail", OWNER_DETAIL_NEEDED)
        return cleaned


class SafetyPlanAgreeForm(BaseForm):
    next_review_on = forms.DateField(label="Next review of the plan", widget=DateInput())
    review_note = forms.CharField(
        label="What changed or was agreed (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirmed = forms.BooleanField(
        label="I went through this plan with the client and they agreed it",
        error_messages={"required": "Confirm that the client agreed this plan"},
    )

    def clean_next_review_on(self):
        return check_review_date(self.cleaned_data.get("next_review_on"))


# ---- needs and care plan -----------------------------------------------------------


class NeedsAssessmentForm(BaseForm):
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


class CareGoalForm(VersionedFormMixin, BaseModelForm):
    class Meta:
        model = CareGoal
        fields = ["domain", "goal", "planned_interventions", "review_on", "status"]
        widgets = {
            "review_on": DateInput(),
            "planned_interventions": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_review_on(self):
        previous = self.instance.review_on if self.instance.pk else None
        return check_review_date(self.cleaned_data.get("review_on"), unchanged_from=previous)


class ProgressNoteForm(BaseForm):
    note = forms.CharField(
        label="Progress note", max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


# ---- interventions -----------------------------------------------------------------


class SessionForm(VersionedFormMixin, BaseModelForm):
    class Meta:
        model = OneToOneSession
        fields = ["session_type", "session_date", "duration_minutes", "mode", "status", "notes"]
        widgets = {"session_date": DateInput(), "notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duration_minutes"].widget.attrs.update({"min": 1, "max": MAX_DURATION})

    def clean_duration_minutes(self):
        return _bound_duration(self.cleaned_data.get("duration_minutes"))

    def clean_session_date(self):
        value = self.cleaned_data.get("session_date")
        if value is not None and value < EARLIEST:
            raise forms.ValidationError(DATE_TOO_EARLY)
        if value is not None and value > _today() + timedelta(days=366):
            raise forms.ValidationError("A planned session must be within the next 12 months")
        return value

    def clean(self):
        cleaned = super().clean()
        d = cleaned.get("session_date")
        if cleaned.get("status") == SessionStatus.DELIVERED and d and d > _today():
            self.add_error("session_date", DELIVERED_IN_FUTURE)
        return cleaned


class EnrolForm(BaseForm):
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


class GroupProgrammeForm(VersionedFormMixin, BaseModelForm):
    class Meta:
        model = GroupProgramme
        fields = ["name", "kind", "description", "starts_on", "active", "facilitators"]
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
        if value is not None and not (EARLIEST <= value <= _today() + timedelta(days=366)):
            raise forms.ValidationError("The start date must be between 2020 and a year from now")
        return value


class GroupSessionForm(BaseModelForm):
    class Meta:
        model = GroupSession
        fields = ["session_date", "topic", "duration_minutes", "status"]
        widgets = {"session_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duration_minutes"].widget.attrs.update({"min": 1, "max": MAX_DURATION})

    def clean_duration_minutes(self):
        return _bound_duration(self.cleaned_data.get("duration_minutes"))

    def clean_session_date(self):
        value = self.cleaned_data.get("session_date")
        if value is not None and not (EARLIEST <= value <= _today() + timedelta(days=366)):
            raise forms.ValidationError("The date must be between 2020 and a year from now")
        return value

    def clean(self):
        cleaned = super().clean()
        d = cleaned.get("session_date")
        if cleaned.get("status") == SessionStatus.DELIVERED and d and d > _today():
            self.add_error("session_date", DELIVERED_IN_FUTURE)
        return cleaned


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


# ---- digital safety ----------------------------------------------------------------


class DigitalCheckForm(VersionedFormMixin, BaseModelForm):
    complete = forms.BooleanField(
        label="This check is complete",
        required=False,
        help_text="Leave unticked to save it as in progress.",
    )

    class Meta:
        model = DigitalSafetyCheck
        fields = [
            "checked_on",
            "phone_os",
            "phone_paid_by",
            "perpetrator_had_access",
            "stalkerware",
            "device_admin_checked",
            "profiles_checked",
            "location_sharing_reviewed",
            "tracker_found",
            "tracker_where",
            "tracker_kept_as_evidence",
            "tracker_police_told",
            "email_secured",
            "social_secured",
            "cloud_secured",
            "banking_secured",
            "two_factor_on",
            "smart_home_checked",
            "car_telematics_checked",
            "childrens_devices",
            "platform_safety_check_run",
            "findings",
            "stalkerware_decision",
            "stalkerware_decision_agreed_by",
        ]
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
