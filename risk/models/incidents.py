"""The incident log: each occasion in the course of conduct, and the stalking behaviours
it records (a referral uses the same vocabulary: referrals imports it from here)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cases.models.lifecycle import Case
from stalkingservice.models import VersionedModel
from stalkingservice.personal_data import PersonalData

User = settings.AUTH_USER_MODEL


class Behaviour(models.TextChoices):
    """Stalking behaviours (DOMAIN 5): the statutory examples and the common others."""

    FOLLOWING = "following", "Following"
    CONTACTING = "contacting", "Contacting or trying to contact"
    PUBLISHING = "publishing", "Publishing material about the person"
    MONITORING = "monitoring", "Monitoring internet, email or other communication"
    LOITERING = "loitering", "Loitering"
    INTERFERING_PROPERTY = "interfering_property", "Interfering with property"
    WATCHING = "watching", "Watching or spying"
    GIFTS = "gifts", "Unwanted gifts"
    PROPERTY_DAMAGE = "property_damage", "Property damage"
    THREATS = "threats", "Threats (to the victim, others or self)"
    VIOLENCE = "violence", "Violence or sexual assault"
    PROXY = "proxy", "Third-party or proxy contact"
    TURNING_UP = "turning_up", "Turning up at home or work"
    FAKE_ACCOUNTS = "fake_accounts", "Fake accounts or impersonation"
    TRACKING = "tracking", "Tracking devices or location sharing"
    STALKERWARE = "stalkerware", "Stalkerware"
    ACCOUNT_COMPROMISE = "account_compromise", "Account compromise"
    IMAGE_ABUSE = "image_abuse", "Image-based abuse (sharing or threatening to share)"
    ORDERING_GOODS = "ordering_goods", "Ordering goods in the victim's name"
    BREACH = "breach", "Breach of an order or bail"
    OTHER = "other", "Other"


DIGITAL_BEHAVIOURS = frozenset(
    {
        "monitoring",
        "fake_accounts",
        "tracking",
        "stalkerware",
        "account_compromise",
        "image_abuse",
        "publishing",
    }
)


class Incident(VersionedModel):
    """One occasion in the course of conduct (DOMAIN 5)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="incidents")
    occurred_at = models.DateTimeField("Date and time")
    place = models.CharField(max_length=200, blank=True)
    behaviour = models.CharField(max_length=30, choices=Behaviour.choices)
    description = models.TextField("What happened (facts only)")
    channel = models.CharField("Channel or platform", max_length=100, blank=True)
    account_used = models.CharField("Account, number or handle used", max_length=200, blank=True)
    proxy_involved = models.BooleanField("Someone else acted for the suspect", default=False)
    witnesses = models.TextField(blank=True)
    feared_violence = models.BooleanField("Client feared violence", default=False)
    impact = models.TextField("Impact on daily life", blank=True)
    breach_of_order = models.BooleanField("Breach of an order or bail", default=False)
    reported_to_police = models.BooleanField(default=False)
    police_reported_on = models.DateField("Date reported to police", null=True, blank=True)
    police_officer = models.CharField("Officer", max_length=150, blank=True)
    crime_reference = models.CharField(max_length=60, blank=True)
    serious = models.BooleanField("Serious (triggers a risk review)", default=False)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    personal_data = PersonalData(
        erase=(
            "place",
            "description",
            "channel",
            "account_used",
            "witnesses",
            "impact",
            "police_officer",
        ),
        third_party=("witnesses",),
    )

    # What the incident form records and corrects (the service copies these and nothing else).
    EDITABLE_FIELDS = (
        "occurred_at",
        "place",
        "behaviour",
        "description",
        "channel",
        "account_used",
        "proxy_involved",
        "witnesses",
        "feared_violence",
        "impact",
        "breach_of_order",
        "reported_to_police",
        "police_reported_on",
        "police_officer",
        "crime_reference",
        "serious",
    )

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [
            models.Index(fields=["case", "occurred_at"], name="incident_case_at"),
            models.Index(fields=["case", "behaviour"], name="incident_case_behaviour"),
        ]

    def __str__(self):
        return f"{self.get_behaviour_display()} on {self.occurred_at:%Y-%m-%d}"
