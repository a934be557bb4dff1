"""Attempts to contact the client, each by one route."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .lifecycle import Case

User = settings.AUTH_USER_MODEL


class ContactAttempt(models.Model):
    class Method(models.TextChoices):
        PHONE = "phone", "Phone call"
        TEXT = "text", "Text message"
        EMAIL = "email", "Email"
        POST = "post", "Letter"
        VISIT = "visit", "Home visit"
        ONLINE = "online", "Social media or online message"

    class Outcome(models.TextChoices):
        REACHED = "reached", "Reached the client"
        NO_ANSWER = "no_answer", "No answer"
        UNSAFE = "unsafe", "Unsafe (someone else answered or not safe to talk)"
        WRONG_NUMBER = "wrong_number", "Wrong number or address"
        SENT = "sent", "Sent (no reply yet)"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contact_attempts")
    at = models.DateTimeField(default=timezone.now)
    method = models.CharField(max_length=10, choices=Method.choices)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    voicemail_left = models.BooleanField(default=False)
    agreed_wording_used = models.BooleanField(default=False)
    unsafe_route_reason = models.TextField(
        blank=True, help_text="Why an unconfirmed route was used (required to override)."
    )
    notes = models.TextField(blank=True)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    # When the system recorded the attempt (never edited): timeliness is measured from it,
    # so a back-dated `at` cannot improve a first-contact figure.
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["case", "at"], name="attempt_case_at")]

    def __str__(self):
        return f"{self.get_method_display()}: {self.get_outcome_display()}"
