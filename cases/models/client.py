"""The person supported and how it is safe to contact them."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from stalkingservice.crypto import EncryptedTextField
from stalkingservice.models import VersionedModel
from stalkingservice.personal_data import BlindIndex, PersonalData

from .. import equality


class Client(VersionedModel):
    """The person being supported. One client may have several cases (episodes)."""

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100, blank=True)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    age_at_referral = models.PositiveSmallIntegerField(null=True, blank=True)
    gender = models.CharField(
        max_length=20, choices=equality.Gender.choices, default=equality.NOT_ASKED
    )
    gender_self_description = models.CharField(max_length=100, blank=True)
    pronouns = models.CharField(max_length=40, blank=True)
    language = models.CharField(max_length=60, blank=True, default="English")
    interpreter_needed = models.BooleanField(default=False)
    access_needs = models.TextField(blank=True)
    district = models.ForeignKey(
        "stalkingservice.District", null=True, blank=True, on_delete=models.PROTECT
    )
    address = EncryptedTextField(blank=True)

    # Equality monitoring: optional, "not asked" unless the client answered.
    ethnicity = models.CharField(
        max_length=30, choices=equality.Ethnicity.choices, default=equality.NOT_ASKED
    )
    disability = models.CharField(
        max_length=20, choices=equality.YesNoPrefer.choices, default=equality.NOT_ASKED
    )
    sexual_orientation = models.CharField(
        max_length=20, choices=equality.SexualOrientation.choices, default=equality.NOT_ASKED
    )
    religion = models.CharField(
        max_length=20, choices=equality.Religion.choices, default=equality.NOT_ASKED
    )
    gender_reassignment = models.CharField(
        "Gender identity different from sex registered at birth",
        max_length=20,
        choices=equality.YesNoPrefer.choices,
        default=equality.NOT_ASKED,
    )
    marital_status = models.CharField(
        max_length=20, choices=equality.MaritalStatus.choices, default=equality.NOT_ASKED
    )
    pregnancy = models.CharField(
        "Pregnant or given birth in the last 26 weeks",
        max_length=20,
        choices=equality.YesNoPrefer.choices,
        default=equality.NOT_ASKED,
    )

    anonymised_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    personal_data = PersonalData(
        fields=(
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
        ),
        # What identifies the client; the age at referral, district and equality answers
        # stay, as statistics.
        erase=(
            "first_name",
            "last_name",
            "preferred_name",
            "date_of_birth",
            "gender_self_description",
            "pronouns",
            "access_needs",
            "address",
            "language",
        ),
        # Every screen naming an anonymised client says so.
        anonymised={"first_name": "Anonymised"},
    )

    class Meta:
        indexes = [
            models.Index(fields=["last_name", "first_name"], name="client_name"),
            models.Index(fields=["date_of_birth"], name="client_dob"),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        """How the client is named on screens: preferred name first, then surname."""
        first = self.preferred_name or self.first_name
        return f"{first} {self.last_name}".strip()

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class SafeContact(VersionedModel):
    """How it is safe to contact the client. Nothing is sent or said by a route not
    confirmed here; the defaults are the safe answer ("no").

    `safe_windows` are the days and times calls and visits are safe: a list of
    {"days": [0..6, Monday is 0], "start": "HH:MM", "end": "HH:MM"} in London time (the
    service validates it); none recorded means no time was agreed. `safe_times` keeps
    anything else the client said about times, in their words (what it held before the
    times were structured)."""

    # Routes a digital-safety finding can make unsafe, by the flag that allows each.
    ROUTE_FLAGS = {
        "phone": "phone_allowed",
        "voicemail": "voicemail_allowed",
        "text": "text_allowed",
        "email": "email_allowed",
        "online": "online_allowed",
    }
    ROUTE_LABELS = {
        "phone": "phone calls",
        "voicemail": "voicemail",
        "text": "texts",
        "email": "email",
        "online": "social media and other online accounts",
    }

    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="safe_contact")
    safe_phone = EncryptedTextField(blank=True)
    safe_phone_index = models.CharField(max_length=40, blank=True, db_index=True)
    safe_windows = models.JSONField("Safe days and times", default=list, blank=True)
    safe_times = models.CharField("Other notes about safe times", max_length=200, blank=True)
    phone_allowed = models.BooleanField("Calls allowed", default=False)
    voicemail_allowed = models.BooleanField(default=False)
    voicemail_wording = models.CharField("Agreed voicemail wording", max_length=300, blank=True)
    text_allowed = models.BooleanField("Texts allowed", default=False)
    email_allowed = models.BooleanField(default=False)
    email = EncryptedTextField(blank=True)
    email_index = models.CharField(max_length=40, blank=True, db_index=True)
    post_allowed = models.BooleanField(default=False)
    visit_allowed = models.BooleanField("Home visits allowed", default=False)
    online_allowed = models.BooleanField(
        "Messages by social media or other online accounts allowed", default=False
    )
    postal_address = EncryptedTextField("Safe postal address", blank=True)
    plain_envelope = models.BooleanField(default=True)
    code_word = EncryptedTextField(blank=True)
    others_who_may_answer = models.CharField(max_length=200, blank=True)
    confirmed_on = models.DateField("Date last confirmed", null=True, blank=True)
    notes = EncryptedTextField("Safe-contact notes", blank=True)
    # Set by a digital-safety finding (stalkerware, a compromised account), never by the
    # form: which routes it made unsafe, when and why. Everyone working the case sees it.
    digital_unsafe_routes = models.JSONField(default=list, blank=True)
    digital_unsafe_since = models.DateTimeField(null=True, blank=True)
    digital_unsafe_finding = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    personal_data = PersonalData(
        fields=(
            "safe_phone",
            "safe_windows",
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
            "visit_allowed",
            "online_allowed",
            "code_word",
            "others_who_may_answer",
            "confirmed_on",
            "notes",
        ),
        erase=(
            "safe_phone",
            "safe_phone_index",
            "safe_windows",
            "safe_times",
            "voicemail_wording",
            "email",
            "email_index",
            "postal_address",
            "code_word",
            "others_who_may_answer",
            "notes",
        ),
        # Which routes a digital finding made unsafe: codes, not words.
        keep=("digital_unsafe_routes",),
        third_party=("others_who_may_answer",),
        blind_indexes=(
            BlindIndex("safe_phone_index", "safe_phone", "phone"),
            BlindIndex("email_index", "email", "email"),
        ),
    )

    def __str__(self):
        return f"Safe contact for client {self.client_id}"

    @property
    def reconfirm_due(self) -> bool:
        """Never confirmed, or confirmed more than SAFE_CONTACT_RECONFIRM_DAYS ago: ask the
        client again at the next contact (circumstances change)."""
        if self.confirmed_on is None:
            return True
        limit = dt.timedelta(days=settings.SAFE_CONTACT_RECONFIRM_DAYS)
        return timezone.localdate() - self.confirmed_on > limit

    @property
    def digital_unsafe_labels(self) -> list[str]:
        return [self.ROUTE_LABELS.get(r, r) for r in self.digital_unsafe_routes or []]

    @property
    def windows_text(self) -> str:
        """The safe days and times in words ("Mon to Fri 10:00 to 14:00; Sat 09:00 to 11:00")."""
        return "; ".join(window_text(w) for w in self.safe_windows or [])


DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def days_text(days) -> str:
    days = sorted(set(days))
    if days == list(range(7)):
        return "Every day"
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        return f"{DAY_NAMES[days[0]]} to {DAY_NAMES[days[-1]]}"
    return ", ".join(DAY_NAMES[d] for d in days)


def window_text(window) -> str:
    return f"{days_text(window.get('days', []))} {window.get('start')} to {window.get('end')}"
