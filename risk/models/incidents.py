"""The incident log: each occasion in the course of conduct."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cases.models.lifecycle import Case
from referrals.models import Behaviour
from stalkingservice.models import VersionedModel
from stalkingservice.personal_data import PersonalData

User = settings.AUTH_USER_MODEL


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
