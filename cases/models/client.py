"""The person supported and how it is safe to contact them."""

from django.db import models
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
    confirmed here; the defaults are the safe answer ("no")."""

    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="safe_contact")
    safe_phone = EncryptedTextField(blank=True)
    safe_phone_index = models.CharField(max_length=40, blank=True, db_index=True)
    safe_times = models.CharField("Safe times to call", max_length=200, blank=True)
    phone_allowed = models.BooleanField("Calls allowed", default=False)
    voicemail_allowed = models.BooleanField(default=False)
    voicemail_wording = models.CharField("Agreed voicemail wording", max_length=300, blank=True)
    text_allowed = models.BooleanField("Texts allowed", default=False)
    email_allowed = models.BooleanField(default=False)
    email = EncryptedTextField(blank=True)
    email_index = models.CharField(max_length=40, blank=True, db_index=True)
    post_allowed = models.BooleanField(default=False)
    postal_address = EncryptedTextField("Safe postal address", blank=True)
    plain_envelope = models.BooleanField(default=True)
    code_word = EncryptedTextField(blank=True)
    others_who_may_answer = models.CharField(max_length=200, blank=True)
    confirmed_on = models.DateField("Date last confirmed", null=True, blank=True)
    notes = EncryptedTextField("Safe-contact notes", blank=True)
    history = HistoricalRecords()

    personal_data = PersonalData(
        fields=(
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
        ),
        erase=(
            "safe_phone",
            "safe_phone_index",
            "safe_times",
            "voicemail_wording",
            "email",
            "email_index",
            "postal_address",
            "code_word",
            "others_who_may_answer",
            "notes",
        ),
        third_party=("others_who_may_answer",),
        blind_indexes=(
            BlindIndex("safe_phone_index", "safe_phone", "phone"),
            BlindIndex("email_index", "email", "email"),
        ),
    )

    def __str__(self):
        return f"Safe contact for client {self.client_id}"
