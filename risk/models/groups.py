"""Group work: programmes, their members (by case), sessions and the register.
Reporting counts group attendances, so attendance status is indexed."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from stalkingservice.models import VersionedModel

from .sessions import SessionStatus

User = settings.AUTH_USER_MODEL


class GroupProgramme(VersionedModel):
    class Kind(models.TextChoices):
        RECOVERY = "recovery", "Recovery and coping group"
        PEER = "peer", "Peer support group"
        DIGITAL = "digital", "Digital safety workshop"
        OTHER = "other", "Other group work"

    name = models.CharField(max_length=150, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    description = models.TextField(blank=True, max_length=2000)
    starts_on = models.DateField()
    active = models.BooleanField(default=True)
    facilitators = models.ManyToManyField(User, related_name="facilitated_groups")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    # What the programme form edits besides the facilitators (the service copies these
    # and nothing else).
    EDITABLE_FIELDS = ("name", "kind", "description", "starts_on", "active")

    class Meta:
        ordering = ["-active", "-starts_on", "name"]

    def __str__(self):
        return self.name


class GroupMember(models.Model):
    """A client (by their case) enrolled on a programme."""

    programme = models.ForeignKey(GroupProgramme, on_delete=models.CASCADE, related_name="members")
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="group_memberships"
    )
    enrolled_on = models.DateField(default=timezone.localdate)
    enrolled_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "case"], name="groupmember_unique")
        ]

    def __str__(self):
        return f"Case {self.case_id} in {self.programme_id}"


class GroupSession(VersionedModel):
    programme = models.ForeignKey(GroupProgramme, on_delete=models.CASCADE, related_name="sessions")
    session_date = models.DateField("Date")
    topic = models.CharField(max_length=200)
    duration_minutes = models.PositiveSmallIntegerField("Duration (minutes)")
    status = models.CharField(
        max_length=10, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    history = HistoricalRecords()

    # What the session form edits (the service copies these and nothing else).
    EDITABLE_FIELDS = ("session_date", "topic", "duration_minutes", "status")

    class Meta:
        ordering = ["-session_date", "-id"]
        indexes = [
            models.Index(fields=["status", "session_date"], name="groupsession_status_date"),
        ]

    def __str__(self):
        return f"{self.topic} ({self.session_date:%Y-%m-%d})"


class GroupAttendance(models.Model):
    class Status(models.TextChoices):
        ATTENDED = "attended", "Attended"
        APOLOGIES = "apologies", "Apologies"
        DID_NOT_ATTEND = "dna", "Did not attend"

    session = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="attendance")
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="group_attendance"
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "case"], name="groupattendance_unique")
        ]
        indexes = [models.Index(fields=["status", "session"], name="groupattendance_status")]

    def __str__(self):
        return f"{self.get_status_display()}: case {self.case_id}"
