"""Safety plans: the agreed actions, by section, and a frozen copy of each version agreed
with the client. Reporting counts plans agreed (first_agreed_at is indexed)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from stalkingservice.models import VersionedModel

User = settings.AUTH_USER_MODEL


class SafetySection(models.TextChoices):
    HOME = "home", "Home"
    WORK = "work", "Work or education"
    TRAVEL = "travel", "Travel and routine"
    ONLINE = "online", "Online and devices"
    CHILDREN = "children", "Children and dependants"
    PETS = "pets", "Pets"
    CONTACTS = "contacts", "Emergency contacts and code words"
    POLICE = "police", "Police markers, alarms and personal safety apps"


# Plain-language headings for the client's own copy.
CLIENT_SECTION_HEADINGS = {
    SafetySection.HOME: "At home",
    SafetySection.WORK: "At work, school or college",
    SafetySection.TRAVEL: "Getting about and your daily routine",
    SafetySection.ONLINE: "Online, your phone and other devices",
    SafetySection.CHILDREN: "Children and people you look after",
    SafetySection.PETS: "Pets",
    SafetySection.CONTACTS: "People to contact in an emergency",
    SafetySection.POLICE: "Police, alarms and safety apps",
}


class ActionOwner(models.TextChoices):
    CLIENT = "client", "Client"
    CASEWORKER = "caseworker", "Caseworker"
    POLICE = "police", "Police"
    OTHER_AGENCY = "agency", "Other agency"


CLIENT_OWNER_WORDS = {
    ActionOwner.CLIENT: "You",
    ActionOwner.CASEWORKER: "Your caseworker",
    ActionOwner.POLICE: "The police",
    ActionOwner.OTHER_AGENCY: "Another service",
}


class ActionStatus(models.TextChoices):
    TO_DO = "to_do", "To do"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    NOT_NEEDED = "not_needed", "No longer needed"


class SafetyPlan(VersionedModel):
    """One safety plan per case. `plan_version` counts the versions agreed with the client
    (bumped on each agreement/review); every agreed version is also kept as a snapshot."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft (not yet agreed)"
        AGREED = "agreed", "Agreed with the client"
        CHANGED = "changed", "Changed since last agreed"

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="safety_plan")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    plan_version = models.PositiveIntegerField(default=0)
    first_agreed_at = models.DateTimeField(null=True, blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True)
    agreed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    next_review_on = models.DateField(null=True, blank=True)
    # The client's recorded consent: the copy they carry may be found by the person
    # stalking them, so the police details go on it only when they said yes.
    police_details_on_copy = models.BooleanField(
        "The client agreed to have the police officer and crime reference on their copy",
        default=False,
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    # What the "client's copy" form edits.
    COPY_CONSENT_FIELDS = ("police_details_on_copy",)

    class Meta:
        indexes = [
            models.Index(fields=["first_agreed_at"], name="safetyplan_first_agreed"),
            models.Index(fields=["status", "next_review_on"], name="safetyplan_status_review"),
        ]

    def __str__(self):
        return f"Safety plan for case {self.case_id}"


class SafetyAction(VersionedModel):
    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="actions")
    section = models.CharField(max_length=10, choices=SafetySection.choices)
    description = models.CharField("What will be done", max_length=500)
    owner = models.CharField("Who will do it", max_length=10, choices=ActionOwner.choices)
    owner_detail = models.CharField(
        "Agency or person",
        max_length=150,
        blank=True,
        help_text="For example the name of the other agency or the officer.",
    )
    due_on = models.DateField("Due by", null=True, blank=True)
    status = models.CharField(max_length=12, choices=ActionStatus.choices, default="to_do")
    completed_on = models.DateField(null=True, blank=True)
    client_may_take_copy = models.BooleanField(
        "The client agreed to take a copy of this action",
        default=False,
        help_text="Only these actions appear on the client's printed copy.",
    )
    source_check = models.ForeignKey(
        "DigitalSafetyCheck",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_actions",
    )
    source_finding = models.CharField(max_length=40, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    # What the action form edits (the service copies these and nothing else).
    EDITABLE_FIELDS = (
        "section",
        "description",
        "owner",
        "owner_detail",
        "due_on",
        "status",
        "client_may_take_copy",
    )

    class Meta:
        ordering = ["section", "due_on", "id"]
        indexes = [
            models.Index(fields=["plan", "section"], name="safetyaction_plan_section"),
            models.Index(fields=["status", "due_on"], name="safetyaction_status_due"),
        ]

    def __str__(self):
        return self.description


class SafetyPlanVersion(models.Model):
    """A frozen copy of the plan as agreed with the client (never edited)."""

    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    agreed_at = models.DateTimeField(default=timezone.now)
    agreed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    review_note = models.TextField(blank=True, max_length=2000)
    snapshot = models.JSONField(default=list)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="safetyplanversion_unique")
        ]

    def __str__(self):
        return f"Version {self.number}"
