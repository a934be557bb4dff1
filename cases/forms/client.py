"""Case forms: validation only. The services save."""

import re
import uuid
from datetime import timedelta

from crispy_forms.helper import FormHelper
from django import forms
from django.core.validators import MaxLengthValidator, MaxValueValidator
from django.utils import timezone

from cases.models.client import Client, SafeContact
from cases.models.contact import ContactAttempt
from cases.models.notes_tasks import CaseNote
from stalkingservice.forms import BaseForm, BaseModelForm, VersionedFormMixin
from stalkingservice.models import District

from .. import equality
from ..selectors import allocation_choices
from ..statuses import CaseStatus

FUTURE_MESSAGE = "The date and time cannot be in the future"
FUTURE_DATE_MESSAGE = "The date cannot be in the future"
DOB_TOO_OLD = "Enter a real date of birth: the client would be over 120"
DOB_FUTURE = "The date of birth must be in the past"
TOO_LONG = "Use {max} characters or fewer"
REASON_REQUIRED = "Enter the reason"
OVERRIDE_REASON_REQUIRED = "Say why this unconfirmed route has to be used"
DUE_IN_PAST = "The due date cannot be more than a year ago"

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _not_future(value):
    if value and value > timezone.now() + timedelta(minutes=1):
        raise forms.ValidationError(FUTURE_MESSAGE)
    return value


def render_version(form):
    """VersionedFormMixin adds `version` after the crispy layout is built from the fields,
    so it would not be rendered (and a stale edit never noticed): add it to the layout."""
    names = [f for f in form.helper.layout.fields if isinstance(f, str)]
    if "version" in form.fields and "version" not in names:
        form.helper.layout.append("version")


def limit_length(field, n: int):
    """Refuse text over n characters with a plain message (replacing Django's own)."""
    field.max_length = n
    field.widget.attrs["maxlength"] = n
    field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
    field.validators.append(MaxLengthValidator(n, message=TOO_LONG.format(max=n)))
    return field


def _text(label, max_length, *, required=True, rows=None, help_text=""):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput
    field = forms.CharField(label=label, required=required, widget=widget, help_text=help_text)
    return limit_length(field, max_length)


class OnceOnlyFormMixin:
    """A hidden id minted when the form is shown: a second submit of the same form (double
    click, reload after a slow save) is recognised and not saved twice."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission_id"] = forms.CharField(
            widget=forms.HiddenInput, required=False, max_length=64
        )
        if not self.is_bound:
            self.initial["submission_id"] = uuid.uuid4().hex
        names = [f for f in self.helper.layout.fields if isinstance(f, str)]
        if "submission_id" not in names:
            self.helper.layout.append("submission_id")


class WorkerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} ({obj.get_role_display()})"


class AllocateForm(BaseForm):
    worker = WorkerChoiceField(queryset=None, label="Caseworker")
    co_worker = WorkerChoiceField(queryset=None, label="Co-worker (optional)", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = allocation_choices()
        self.fields["co_worker"].queryset = allocation_choices()
        self.fields["worker"].error_messages["required"] = "Select a caseworker"

    def clean(self):
        data = super().clean()
        if data.get("worker") and data.get("co_worker") and data["worker"] == data["co_worker"]:
            self.add_error("co_worker", "The co-worker must be someone other than the caseworker")
        return data


class ReallocateForm(VersionedFormMixin, AllocateForm):
    reason = _text("Reason for reallocating", 500, rows=3)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "Enter the reason for reallocating"
        render_version(self)
        if case is not None and not self.is_bound:
            self.initial.update(
                worker=case.allocated_to_id, co_worker=case.co_worker_id, version=case.version
            )


class ContactAttemptForm(OnceOnlyFormMixin, BaseForm):
    method = forms.ChoiceField(choices=ContactAttempt.Method.choices, label="How")
    outcome = forms.ChoiceField(choices=ContactAttempt.Outcome.choices)
    at = forms.DateTimeField(
        label="When", widget=DATETIME_INPUT, help_text="Leave as it is for now."
    )
    voicemail_left = forms.BooleanField(label="A voicemail was left", required=False)
    agreed_wording_used = forms.BooleanField(
        label="The agreed voicemail wording was used", required=False
    )
    notes = _text("Notes (optional)", 2000, required=False, rows=2)
    override_unsafe = forms.BooleanField(
        label="I know this route is not confirmed as safe and must use it anyway",
        required=False,
    )
    unsafe_route_reason = _text(
        "Why the unconfirmed route had to be used", 500, required=False, rows=2
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].error_messages["required"] = "Select how you tried to make contact"
        self.fields["outcome"].error_messages["required"] = "Select what happened"
        self.fields["at"].error_messages["required"] = "Enter when you tried to make contact"
        if not self.is_bound:
            self.initial.setdefault("at", timezone.localtime().replace(second=0, microsecond=0))

    def clean_at(self):
        return _not_future(self.cleaned_data.get("at"))

    def clean(self):
        data = super().clean()
        if data.get("override_unsafe") and not (data.get("unsafe_route_reason") or "").strip():
            self.add_error("unsafe_route_reason", OVERRIDE_REASON_REQUIRED)
        if data.get("voicemail_left") and data.get("method") != ContactAttempt.Method.PHONE:
            self.add_error("voicemail_left", "A voicemail can only be left on a phone call")
        return data


class NoteForm(OnceOnlyFormMixin, BaseForm):
    note_type = forms.ChoiceField(choices=CaseNote.NoteType.choices, label="Type")
    direction = forms.ChoiceField(
        choices=CaseNote.Direction.choices, initial=CaseNote.Direction.NOT_APPLICABLE
    )
    occurred_at = forms.DateTimeField(label="When", widget=DATETIME_INPUT)
    duration_minutes = forms.IntegerField(
        label="Duration in minutes (optional)", required=False, min_value=0, max_value=24 * 60
    )
    summary = _text("Summary", 10000, rows=5)
    sensitive = forms.BooleanField(
        label="Sensitive: only the allocated workers and managers may read it", required=False
    )

    def __init__(self, *args, note=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note_type"].error_messages["required"] = "Select the type of note"
        self.fields["occurred_at"].error_messages["required"] = "Enter when it happened"
        self.fields["summary"].error_messages["required"] = "Enter a summary"
        if not self.is_bound:
            if note is not None:
                for name in self.fields:
                    if hasattr(note, name):
                        self.initial[name] = getattr(note, name)
                self.initial["occurred_at"] = timezone.localtime(note.occurred_at)
            else:
                self.initial.setdefault(
                    "occurred_at", timezone.localtime().replace(second=0, microsecond=0)
                )

    def clean_occurred_at(self):
        return _not_future(self.cleaned_data.get("occurred_at"))


class NoteEditForm(NoteForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = _text("Why are you changing this note?", 300)

    def __init__(self, *args, note=None, **kwargs):
        super().__init__(*args, note=note, **kwargs)
        self.fields["reason"].error_messages["required"] = "Enter why you are changing the note"
        if note is not None and not self.is_bound:
            self.initial["version"] = note.version


class TaskForm(OnceOnlyFormMixin, BaseForm):
    title = _text("What needs doing", 200)
    due_on = forms.DateField(label="Due", widget=DATE_INPUT)
    assignee = WorkerChoiceField(queryset=None, label="For")

    def __init__(self, *args, case=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].error_messages["required"] = "Enter what needs doing"
        self.fields["due_on"].error_messages["required"] = "Enter the due date"
        self.fields["assignee"].error_messages["required"] = "Select who the task is for"
        workers = allocation_choices()
        if case is not None:
            from django.db.models import Q

            workers = workers.filter(
                Q(pk__in=[case.allocated_to_id, case.co_worker_id]) | Q(role="manager")
            )
            if user is not None:
                workers = workers | allocation_choices().filter(pk=user.pk)
        self.fields["assignee"].queryset = workers.distinct()
        if not self.is_bound:
            self.initial.setdefault("due_on", timezone.localdate() + timedelta(days=7))
            if user is not None:
                self.initial.setdefault("assignee", user.pk)

    def clean_due_on(self):
        due = self.cleaned_data.get("due_on")
        if due and due < timezone.localdate() - timedelta(days=365):
            raise forms.ValidationError(DUE_IN_PAST)
        return due


class BreakGlassForm(BaseForm):
    reason = _text(
        "Why do you need to open this case?",
        500,
        rows=3,
        help_text="For example: duty cover while the allocated caseworker is away. "
        "Managers see this reason.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "Enter why you need to open this case"

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if len(reason) < 5:
            raise forms.ValidationError("Give a fuller reason (at least 5 characters)")
        return reason


class RestrictForm(BaseForm):
    restricted = forms.BooleanField(
        label="Restricted: only the allocated workers and managers may open it", required=False
    )
    reason = _text("Reason", 200)


class ClientForm(VersionedFormMixin, BaseModelForm):
    class Meta:
        model = Client
        fields = [
            "first_name",
            "last_name",
            "preferred_name",
            "date_of_birth",
            "age_at_referral",
            "pronouns",
            "language",
            "interpreter_needed",
            "access_needs",
            "district",
            "address",
            "gender",
            "gender_self_description",
            "ethnicity",
            "disability",
            "sexual_orientation",
            "religion",
            "gender_reassignment",
            "marital_status",
            "pregnancy",
        ]
        widgets = {
            "date_of_birth": DATE_INPUT,
            "access_needs": forms.Textarea(attrs={"rows": 2}),
            "address": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"access_needs": "Disability or access needs", "address": "Home address"}
        help_texts = {
            "gender": "Equality monitoring questions are optional: each has 'Prefer not to say'.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].error_messages["required"] = "Enter the client's first name"
        self.fields["district"].queryset = District.objects.all()
        limit_length(self.fields["address"], 1000)
        limit_length(self.fields["access_needs"], 2000)
        for field in self.fields.values():
            if getattr(field, "max_length", None):
                limit_length(field, field.max_length)
        self.fields["age_at_referral"].validators.append(
            MaxValueValidator(120, message="Enter an age of 120 or less")
        )
        render_version(self)

    def clean_date_of_birth(self):
        dob = self.cleaned_data.get("date_of_birth")
        if dob is None:
            return dob
        today = timezone.localdate()
        if dob >= today:
            raise forms.ValidationError(DOB_FUTURE)
        if dob < today.replace(year=today.year - 120):
            raise forms.ValidationError(DOB_TOO_OLD)
        return dob

    def clean(self):
        data = super().clean()
        if data.get("gender") == equality.Gender.SELF_DESCRIBE and not data.get(
            "gender_self_description"
        ):
            self.add_error("gender_self_description", "Enter how the client describes their gender")
        return data


class SafeContactForm(VersionedFormMixin, BaseModelForm):
    class Meta:
        model = SafeContact
        fields = [
            "safe_phone",
            "safe_times",
            "phone_allowed",
            "voicemail_allowed",
            "voicemail_wording",
            "text_allowed",
            "email_allowed",
            "email",
            "post_allowed",
            "postal_address",
            "plain_envelope",
            "code_word",
            "others_who_may_answer",
            "confirmed_on",
            "notes",
        ]
        widgets = {
            "safe_phone": forms.TextInput,
            "email": forms.EmailInput,
            "code_word": forms.TextInput,
            "postal_address": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "confirmed_on": DATE_INPUT,
        }
        labels = {"safe_phone": "Safe phone number", "email": "Safe email address"}

    LIMITS = {
        "safe_phone": 40,
        "email": 254,
        "postal_address": 1000,
        "code_word": 100,
        "notes": 2000,
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            limit = self.LIMITS.get(name) or getattr(field, "max_length", None)
            if limit:
                limit_length(field, limit)
        render_version(self)

    def clean_confirmed_on(self):
        value = self.cleaned_data.get("confirmed_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError(FUTURE_DATE_MESSAGE)
        return value

    def clean_safe_phone(self):
        import re

        value = (self.cleaned_data.get("safe_phone") or "").strip()
        if value and not re.fullmatch(r"[0-9+() \-]{6,25}", value):
            raise forms.ValidationError(
                "Enter a phone number using digits, spaces and +, like 07700 900123"
            )
        return value

    def clean(self):
        data = super().clean()
        if data.get("phone_allowed") and not data.get("safe_phone"):
            self.add_error("safe_phone", "Enter the safe phone number, or untick calls allowed")
        if data.get("text_allowed") and not data.get("safe_phone"):
            self.add_error("safe_phone", "Enter the safe phone number, or untick texts allowed")
        if data.get("email_allowed") and not data.get("email"):
            self.add_error("email", "Enter the safe email address, or untick email allowed")
        if data.get("post_allowed") and not data.get("postal_address"):
            self.add_error(
                "postal_address", "Enter the safe postal address, or untick post allowed"
            )
        if data.get("voicemail_allowed") and not data.get("voicemail_wording"):
            self.add_error(
                "voicemail_wording", "Enter the agreed voicemail wording, or untick voicemail"
            )
        return data


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


class CaseFilterForm(BaseForm):
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
            self.helper = FormHelper(self)
            self.helper.form_tag = False
            self.helper.disable_csrf = True
