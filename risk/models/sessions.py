"""One-to-one sessions (interventions). Reporting counts sessions delivered, so status
and date are indexed."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from stalkingservice.models import VersionedModel

User = settings.AUTH_USER_MODEL


class SessionType(models.TextChoices):
    EMOTIONAL = "emotional", "Emotional support"
    PRACTICAL = "practical", "Practical support"
    ADVOCACY = "advocacy", "Advocacy"
    DIGITAL = "digital", "Digital safety"
    MOTIVATIONAL = "motivational", "Motivational interviewing"
    PEER = "peer", "Peer support"
    OTHER = "other", "Other"


class SessionMode(models.TextChoices):
    FACE_TO_FACE = "face", "Face to face"
    PHONE = "phone", "Phone"
    VIDEO = "video", "Video"


class SessionStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    DELIVERED = "delivered", "Delivered"
    CANCELLED = "cancelled", "Cancelled"


class OneToOneSession(VersionedModel):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="sessions")
    session_type = models.CharField("Type", max_length=15, choices=SessionType.choices)
    session_date = models.DateField("Date")
    duration_minutes = models.PositiveSmallIntegerField("Duration (minutes)")
    mode = models.CharField(max_length=6, choices=SessionMode.choices)
    status = models.CharField(
        max_length=10, choices=SessionStatus.choices, default=SessionStatus.DELIVERED
    )
    notes = models.TextField(blank=True, max_length=6000)
    worker = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    # What the session form edits (the service copies these and nothing else).
    EDITABLE_FIELDS = (
        "session_type",
        "session_date",
        "duration_minutes",
        "mode",
        "status",
        "notes",
    )

    class Meta:
        ordering = ["-session_date", "-id"]
        indexes = [
            models.Index(fields=["case", "-session_date"], name="session_case_date"),
            models.Index(fields=["status", "session_date"], name="session_status_date"),
        ]

    def __str__(self):
        return f"{self.get_session_type_display()} on {self.session_date:%Y-%m-%d}"
