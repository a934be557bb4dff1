"""Case notes (the contact log) and tasks."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from stalkingservice.models import VersionedModel
from stalkingservice.personal_data import PersonalData

from .lifecycle import Case

User = settings.AUTH_USER_MODEL


class CaseNote(VersionedModel):
    class NoteType(models.TextChoices):
        CALL = "call", "Phone call"
        VISIT = "visit", "Visit"
        TEXT = "text", "Text message"
        EMAIL = "email", "Email"
        LETTER = "letter", "Letter"
        MEETING = "meeting", "Meeting"
        OTHER_AGENCY = "agency", "Other agency"
        OTHER = "other", "Other"

    class Direction(models.TextChoices):
        OUTGOING = "out", "Outgoing"
        INCOMING = "in", "Incoming"
        NOT_APPLICABLE = "na", "Not applicable"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    occurred_at = models.DateTimeField(default=timezone.now)
    note_type = models.CharField(max_length=10, choices=NoteType.choices)
    direction = models.CharField(
        max_length=3, choices=Direction.choices, default=Direction.NOT_APPLICABLE
    )
    duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    summary = models.TextField()
    sensitive = models.BooleanField(
        default=False, help_text="Seen only by the allocated workers and managers."
    )
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    personal_data = PersonalData(erase=("summary",))

    EDITABLE_FIELDS = (
        "note_type",
        "direction",
        "occurred_at",
        "duration_minutes",
        "summary",
        "sensitive",
    )

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["case", "-occurred_at"], name="note_case_at")]

    def __str__(self):
        return f"{self.get_note_type_display()} on {self.occurred_at:%Y-%m-%d}"


class Task(VersionedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(max_length=200)
    due_on = models.DateField()
    assignee = models.ForeignKey(User, on_delete=models.PROTECT, related_name="tasks")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            # A caseworker's open tasks in due order (their home page): a partial index
            # read in order, so the first ten need no sort of everything they ever had.
            models.Index(
                fields=["assignee", "due_on", "id"],
                condition=models.Q(done_at__isnull=True),
                name="task_open_assignee_due",
            ),
            models.Index(fields=["case", "done_at"], name="task_case_open"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_done(self):
        return self.done_at is not None
