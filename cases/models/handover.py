"""Signposting and handover: the services directory and each referral on to a service."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from stalkingservice.models import ReferenceItem, VersionedModel

from .lifecycle import Case
from .notes_tasks import Task

User = settings.AUTH_USER_MODEL


class ServiceDirectoryEntry(ReferenceItem):
    """A local or national service clients are signposted or handed over to."""

    class Category(models.TextChoices):
        DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse (IDVA)"
        VICTIM_SUPPORT = "victim_support", "Victim support"
        SEXUAL_VIOLENCE = "sexual_violence", "Sexual violence (ISVA)"
        STALKING = "stalking", "Stalking"
        MENTAL_HEALTH = "mental_health", "Mental health and wellbeing"
        HOUSING = "housing", "Housing"
        LEGAL = "legal", "Legal advice"
        OTHER = "other", "Other"

    class Scope(models.TextChoices):
        LOCAL = "local", "Local"
        NATIONAL = "national", "National"

    category = models.CharField(max_length=20, choices=Category.choices)
    scope = models.CharField(max_length=10, choices=Scope.choices)
    phone = models.CharField(max_length=60, blank=True)
    email = models.CharField(max_length=150, blank=True)
    website = models.URLField(blank=True)
    referral_route = models.TextField("How to refer", blank=True)
    accepts_managed_handover = models.BooleanField(default=True)

    class Meta(ReferenceItem.Meta):
        verbose_name_plural = "service directory entries"


class HandoverReferral(VersionedModel):
    class Kind(models.TextChoices):
        INFORMATION = "information", "Information given (signposting)"
        MANAGED = "managed", "Managed handover with a warm introduction"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="handovers")
    service = models.ForeignKey(ServiceDirectoryEntry, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=15, choices=Kind.choices)
    made_on = models.DateField(default=timezone.localdate)
    reason = models.TextField("Why this service", blank=True)
    consent_to_share = models.BooleanField("Client consents to share information", default=False)
    consent_covers_contact_details = models.BooleanField(
        "Consent covers the client's safe-contact details", default=False
    )
    information_shared = models.TextField("Exactly what was shared", blank=True)
    receiving_contact = models.CharField("Contact at the service", max_length=150, blank=True)
    acknowledged_on = models.DateField(null=True, blank=True)
    acknowledgement = models.CharField("Acknowledgement", max_length=300, blank=True)
    follow_up_task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    RECORDED_FIELDS = (
        "service",
        "kind",
        "made_on",
        "reason",
        "consent_to_share",
        "consent_covers_contact_details",
        "information_shared",
        "receiving_contact",
    )

    class Meta:
        ordering = ["-made_on", "-id"]
        indexes = [
            models.Index(fields=["case", "-made_on"], name="handover_case_on"),
            models.Index(fields=["service", "made_on"], name="handover_service_on"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="managed") | Q(consent_to_share=True),
                name="handover_managed_needs_consent",
            ),
            models.CheckConstraint(
                condition=Q(consent_covers_contact_details=False) | Q(consent_to_share=True),
                name="handover_contact_needs_consent",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.service}"

    @property
    def awaiting_acknowledgement(self) -> bool:
        return self.kind == self.Kind.MANAGED and self.acknowledged_on is None

    @property
    def may_include_contact_details(self) -> bool:
        return self.consent_to_share and self.consent_covers_contact_details
