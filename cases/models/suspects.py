"""The person the client says is stalking them."""

from django.db import models
from simple_history.models import HistoricalRecords

from stalkingservice.models import VersionedModel
from stalkingservice.personal_data import PersonalData

from .lifecycle import Case


class Suspect(VersionedModel):
    """The person the client says is stalking them, when known."""

    class Relationship(models.TextChoices):
        STRANGER = "stranger", "Stranger"
        ACQUAINTANCE = "acquaintance", "Acquaintance"
        NEIGHBOUR = "neighbour", "Neighbour"
        COLLEAGUE = "colleague", "Work colleague"
        ONLINE = "online", "Online contact only"
        CLIENT_OR_CUSTOMER = "customer", "Client, customer or patient"
        FRIEND = "friend", "Friend or former friend"
        EX_PARTNER = "ex_partner", "Ex-partner"
        PARTNER = "partner", "Partner"
        FAMILY = "family", "Family member"
        OTHER = "other", "Other"
        UNKNOWN = "unknown", "Not known"

    DOMESTIC_RELATIONSHIPS = frozenset({"ex_partner", "partner", "family"})

    class Sex(models.TextChoices):
        UNKNOWN = "unknown", "Not known"
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        OTHER = "other", "Other"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="suspects")
    name = models.CharField(max_length=150, blank=True)
    aliases = models.CharField(max_length=300, blank=True)
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    relationship = models.CharField(
        max_length=20, choices=Relationship.choices, default=Relationship.UNKNOWN
    )
    domestic_abuse_related = models.BooleanField(default=False)
    online_identifiers = models.TextField(
        blank=True, help_text="Handles, numbers, email addresses: one per line"
    )
    vehicle_registrations = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    personal_data = PersonalData(
        fields=(
            "name",
            "aliases",
            "sex",
            "relationship",
            "domestic_abuse_related",
            "online_identifiers",
            "vehicle_registrations",
            "notes",
        ),
        erase=("name", "aliases", "online_identifiers", "vehicle_registrations", "notes"),
        third_party_record=True,
    )

    class Meta:
        indexes = [models.Index(fields=["name"], name="suspect_name")]

    def __str__(self):
        return self.name or "Unknown suspect"
