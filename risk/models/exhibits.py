"""Exhibits: evidence attached to an incident."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cases.models.lifecycle import Case
from stalkingservice.personal_data import PersonalData, StoredFile

from .incidents import Incident

User = settings.AUTH_USER_MODEL

# Exhibit files are kept in this folder of PROTECTED_FILES_ROOT, named by `stored_name`.
EXHIBITS_FOLDER = "exhibits"


class Exhibit(models.Model):
    """A file kept as evidence (stored outside the web root under a random name) or a
    note of a physical item and where it is held."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="exhibits")
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="exhibits")
    reference = models.CharField(max_length=20)
    description = models.CharField(max_length=300, blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    stored_name = models.CharField(max_length=100, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    physical_item = models.CharField(max_length=300, blank=True)
    held_where = models.CharField("Where the original is held", max_length=300, blank=True)
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    # The file goes with the client's other data when they are anonymised (the generic
    # rules already empty the free text, the file's name and hash).
    personal_data = PersonalData(stored_files=(StoredFile("stored_name", EXHIBITS_FOLDER),))

    class Meta:
        ordering = ["incident", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "reference"], name="exhibit_case_reference")
        ]

    def __str__(self):
        return self.reference

    @property
    def is_file(self) -> bool:
        return bool(self.stored_name)
