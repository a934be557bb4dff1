from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

User = settings.AUTH_USER_MODEL


def protected_storage():
    """Generated returns live under PROTECTED_FILES_ROOT and are served only through the
    permission-checked, audited download view."""
    return FileSystemStorage(location=settings.PROTECTED_FILES_ROOT)


def _return_path(instance, filename):
    return f"returns/{instance.quarter}/v{instance.version}/{filename}"


class QuarterlyReturn(models.Model):
    """One version of the Commissioner's return for one financial-year quarter. Figures
    are computed once, at generation, and stored; a finalised version never changes
    (a correction is a new version with a reason)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        FINALISED = "finalised", "Finalised"

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being produced"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    quarter = models.CharField(max_length=7)
    period_start = models.DateField()
    period_end = models.DateField()
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    reason = models.TextField("Reason for this version", blank=True)

    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    progress_message = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)

    data = models.JSONField(default=dict, blank=True)
    json_file = models.FileField(storage=protected_storage, upload_to=_return_path, blank=True)
    json_sha256 = models.CharField(max_length=64, blank=True)
    pdf_file = models.FileField(storage=protected_storage, upload_to=_return_path, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    csv_file = models.FileField(storage=protected_storage, upload_to=_return_path, blank=True)
    csv_sha256 = models.CharField(max_length=64, blank=True)

    requested_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    generated_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    generated_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    finalised_at = models.DateTimeField(null=True, blank=True)

    highlights = models.TextField(blank=True)
    challenges = models.TextField(blank=True)
    case_study = models.TextField(
        blank=True, help_text="No names, places, dates or details that could identify anyone."
    )
    edit_version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["progress", "progress_message"])

    class Meta:
        ordering = ["-quarter", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["quarter", "version"], name="return_quarter_version"),
            models.CheckConstraint(
                condition=~models.Q(status="finalised") | models.Q(finalised_at__isnull=False),
                name="return_finalised_has_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "quarter"], name="return_status_quarter")]

    def __str__(self):
        return f"{self.quarter} version {self.version} ({self.get_status_display()})"

    @property
    def is_finalised(self) -> bool:
        return self.status == self.Status.FINALISED

    @property
    def is_ready(self) -> bool:
        return self.state == self.State.READY

    def file_for(self, fmt: str):
        return {"pdf": self.pdf_file, "csv": self.csv_file, "json": self.json_file}[fmt]

    def sha_for(self, fmt: str) -> str:
        return {"pdf": self.pdf_sha256, "csv": self.csv_sha256, "json": self.json_sha256}[fmt]


class Notification(models.Model):
    """An in-app message to one user (e.g. a commissioner: a return was finalised)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    message = models.CharField(max_length=300)
    url = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_read")]

    def __str__(self):
        return self.message
