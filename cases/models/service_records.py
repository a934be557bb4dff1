"""Service-level records: awareness sessions, compliments and complaints."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from stalkingservice.models import VersionedModel

from .lifecycle import Case

User = settings.AUTH_USER_MODEL


class AwarenessSession(VersionedModel):
    class Audience(models.TextChoices):
        POLICE = "police", "Police"
        HEALTH = "health", "Health professionals"
        EDUCATION = "education", "Schools, colleges, universities"
        LOCAL_AUTHORITY = "local_authority", "Local authority staff"
        VOLUNTARY = "voluntary", "Voluntary sector"
        EMPLOYER = "employer", "Employers"
        COMMUNITY = "community", "Community groups and public"
        OTHER = "other", "Other"

    delivered_on = models.DateField()
    title = models.CharField("Session title or topic", max_length=200)
    audience_type = models.CharField(max_length=20, choices=Audience.choices)
    district = models.ForeignKey(
        "stalkingservice.District", null=True, blank=True, on_delete=models.PROTECT
    )
    attendees = models.PositiveIntegerField()
    delivered_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    RECORDED_FIELDS = (
        "delivered_on",
        "title",
        "audience_type",
        "district",
        "attendees",
        "delivered_by",
        "notes",
    )

    class Meta:
        ordering = ["-delivered_on", "-id"]
        indexes = [models.Index(fields=["delivered_on"], name="awareness_delivered_on")]

    def __str__(self):
        return f"{self.title} ({self.delivered_on})"


class Feedback(VersionedModel):
    class Kind(models.TextChoices):
        COMPLIMENT = "compliment", "Compliment"
        COMPLAINT = "complaint", "Complaint"

    class From(models.TextChoices):
        CLIENT = "client", "Client"
        FAMILY = "family", "Family or friend of a client"
        PROFESSIONAL = "professional", "Professional or partner agency"
        OTHER = "other", "Other"

    class Outcome(models.TextChoices):
        OPEN = "", "Not resolved yet"
        UPHELD = "upheld", "Upheld"
        PARTLY_UPHELD = "partly", "Partly upheld"
        NOT_UPHELD = "not_upheld", "Not upheld"
        WITHDRAWN = "withdrawn", "Withdrawn"
        SHARED = "shared", "Shared with the team (compliment)"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    received_from = models.CharField(max_length=15, choices=From.choices)
    received_on = models.DateField()
    acknowledged_on = models.DateField(null=True, blank=True)
    resolved_on = models.DateField(null=True, blank=True)
    summary = models.TextField()
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    outcome_notes = models.TextField(blank=True)
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="feedback"
    )
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    # The member of staff a complaint (or compliment) is about, if it names one. A complaint
    # is never shown to the member of staff it is about (cases.permissions.feedback_visible_to).
    about_staff = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="About a member of staff (optional)",
        help_text="If it is about one member of staff. They will not be able to read a "
        "complaint about themselves.",
    )
    history = HistoricalRecords()

    # Recorded and edited on the feedback pages; the linked case is given separately.
    EDITABLE_FIELDS = (
        "kind",
        "received_from",
        "received_on",
        "acknowledged_on",
        "resolved_on",
        "summary",
        "outcome",
        "outcome_notes",
        "about_staff",
    )

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["kind", "received_on"], name="feedback_kind_received")]
        verbose_name_plural = "feedback"

    def __str__(self):
        return f"{self.get_kind_display()} received {self.received_on}"
