"""The client's details and safe-contact forms."""

import re

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone

from stalkingservice.forms import BaseModelForm, VersionedFormMixin
from stalkingservice.models import District

from .. import equality
from ..models.client import Client, SafeContact
from ..services.client import WINDOW_END_BEFORE_START, WINDOW_NEEDS_DAYS, WINDOW_NEEDS_TIMES
from ..services.common import FUTURE_DATE
from .common import DateInput, Rebuilt, limit_length

TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")

DOB_TOO_OLD = "Enter a real date of birth: the client would be over 120"
DOB_FUTURE = "The date of birth must be in the past"


class ClientForm(Rebuilt, VersionedFormMixin, BaseModelForm):
    class Meta:
        model = Client
        fields = Client.personal_data.fields
        widgets = {
            "date_of_birth": DateInput(),
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


SAFE_WINDOWS = 3
DAY_CHOICES = [(str(i), name) for i, name in enumerate(
    ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
)]  # fmt: skip


class SafeContactForm(Rebuilt, VersionedFormMixin, BaseModelForm):
    """The safe-contact details. The safe days and times are asked as up to three windows
    (days ticked, a start and an end time) and handed to the service as `safe_windows`."""

    class Meta:
        model = SafeContact
        fields = [f for f in SafeContact.personal_data.fields if f != "safe_windows"]
        widgets = {
            "safe_phone": forms.TextInput,
            "email": forms.EmailInput,
            "code_word": forms.TextInput,
            "postal_address": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "confirmed_on": DateInput(),
        }
        labels = {"safe_phone": "Safe phone number", "email": "Safe email address"}
        help_texts = {
            "safe_times": "Anything else the client said about times, in their words.",
        }

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
        self._add_window_fields()
        self._rebuild()

    def _add_window_fields(self):
        saved = list(self.instance.safe_windows or []) if self.instance else []
        fields = {}
        for n in range(1, SAFE_WINDOWS + 1):
            which = "Safe days and times" if n == 1 else f"More safe days and times ({n})"
            fields[f"window_{n}_days"] = forms.MultipleChoiceField(
                label=f"{which}: days",
                choices=DAY_CHOICES,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text="Calls and home visits outside these times need a reason."
                if n == 1
                else "",
            )
            fields[f"window_{n}_start"] = forms.TimeField(
                label=f"{which}: from", required=False, widget=TIME_INPUT
            )
            fields[f"window_{n}_end"] = forms.TimeField(
                label=f"{which}: until", required=False, widget=TIME_INPUT
            )
            if n <= len(saved) and not self.is_bound:
                w = saved[n - 1]
                self.initial[f"window_{n}_days"] = [str(d) for d in w.get("days", [])]
                self.initial[f"window_{n}_start"] = w.get("start")
                self.initial[f"window_{n}_end"] = w.get("end")
        # The windows come straight after the safe phone number.
        names = list(self.fields)
        at = names.index("safe_phone") + 1 if "safe_phone" in names else 0
        order = [*names[:at], *fields, *names[at:]]
        self.fields.update(fields)
        self.order_fields(order)

    def _windows(self, data) -> list[dict]:
        windows = []
        for n in range(1, SAFE_WINDOWS + 1):
            days = data.get(f"window_{n}_days") or []
            start, end = data.get(f"window_{n}_start"), data.get(f"window_{n}_end")
            if not (days or start or end):
                continue
            if not days:
                self.add_error(f"window_{n}_days", WINDOW_NEEDS_DAYS)
            elif not (start and end):
                self.add_error(f"window_{n}_start" if not start else f"window_{n}_end",
                               WINDOW_NEEDS_TIMES)  # fmt: skip
            elif end <= start:
                self.add_error(f"window_{n}_end", WINDOW_END_BEFORE_START)
            else:
                windows.append(
                    {
                        "days": [int(d) for d in days],
                        "start": f"{start:%H:%M}",
                        "end": f"{end:%H:%M}",
                    }
                )
        return windows

    def clean_confirmed_on(self):
        value = self.cleaned_data.get("confirmed_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError(FUTURE_DATE)
        return value

    def clean_safe_phone(self):

        value = (self.cleaned_data.get("safe_phone") or "").strip()
        if value and not re.fullmatch(r"[0-9+() \-]{6,25}", value):
            raise forms.ValidationError(
                "Enter a phone number using digits, spaces and +, like 07700 900123"
            )
        return value

    def clean(self):
        data = super().clean()
        data["safe_windows"] = self._windows(data)
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
