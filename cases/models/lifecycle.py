from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from stalkingservice.crypto import EncryptedTextField
from stalkingservice.models import ReferenceItem, VersionedModel

from .. import equality
from ..statuses import CaseStatus, RiskLevel

User = settings.AUTH_USER_MODEL


class ClosureReason(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        pass


class Client(VersionedModel):
    """The person being supported. One client may have several cases (episodes)."""

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100, blank=True)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    age_at_referral = models.PositiveSmallIntegerField(null=True, blank=True)
    gender = models.CharField(
        max_length=20, choices=equality.Gender.choices, default=equality.NOT_ASKED
    )
    gender_self_description = models.CharField(max_length=100, blank=True)
    pronouns = models.CharField(max_length=40, blank=True)
    language = models.CharField(max_length=60, blank=True, default="English")
    interpreter_needed = models.BooleanField(default=False)
    access_needs = models.TextField(blank=True)
    district = models.ForeignKey(
        "stalkingservice.District", null=True, blank=True, on_delete=models.PROTECT
    )
    address = EncryptedTextField(blank=True)

    # Equality monitoring: optional, "not asked" unless the client answered.
    ethnicity = models.CharField(
        max_length=30, choices=equality.Ethnicity.choices, default=equality.NOT_ASKED
    )
    disability = models.CharField(
        max_length=20, choices=equality.YesNoPrefer.choices, default=equality.NOT_ASKED
    )
    sexual_orientation = models.CharField(
        max_length=20, choices=equality.SexualOrientation.choices, default=equality.NOT_ASKED
    )
    religion = models.CharField(
        max_length=20, choices=equality.Religion.choices, default=equality.NOT_ASKED
    )
    gender_reassignment = models.CharField(
        "Gender identity different from sex registered at birth",
        max_length=20,
        choices=equality.YesNoPrefer.choices,
        default=equality.NOT_ASKED,
    )
    marital_status = models.CharField(
        max_length=20, choices=equality.MaritalStatus.choices, default=equality.NOT_ASKED
    )
    pregnancy = models.CharField(
        "Pregnant or given birth in the last 26 weeks",
        max_length=20,
        choices=equality.YesNoPrefer.choices,
        default=equality.NOT_ASKED,
    )

    anonymised_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        indexes = [
            models.Index(fields=["last_name", "first_name"], name="client_name"),
            models.Index(fields=["date_of_birth"], name="client_dob"),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        """How the client is named on screens: preferred name first, then surname."""
        first = self.preferred_name or self.first_name
        return f"{first} {self.last_name}".strip()

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class SafeContact(VersionedModel):
    """How it is safe to contact the client. Nothing is sent or said by a route not
    confirmed here; the defaults are the safe answer ("no")."""

    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="safe_contact")
    safe_phone = EncryptedTextField(blank=True)
    safe_phone_index = models.CharField(max_length=40, blank=True, db_index=True)
    safe_times = models.CharField("Safe times to call", max_length=200, blank=True)
    phone_allowed = models.BooleanField("Calls allowed", default=False)
    voicemail_allowed = models.BooleanField(default=False)
    voicemail_wording = models.CharField("Agreed voicemail wording", max_length=300, blank=True)
    text_allowed = models.BooleanField("Texts allowed", default=False)
    email_allowed = models.BooleanField(default=False)
    email = EncryptedTextField(blank=True)
    email_index = models.CharField(max_length=40, blank=True, db_index=True)
    post_allowed = models.BooleanField(default=False)
    postal_address = EncryptedTextField("Safe postal address", blank=True)
    plain_envelope = models.BooleanField(default=True)
    code_word = EncryptedTextField(blank=True)
    others_who_may_answer = models.CharField(max_length=200, blank=True)
    confirmed_on = models.DateField("Date last confirmed", null=True, blank=True)
    notes = EncryptedTextField("Safe-contact notes", blank=True)
    history = HistoricalRecords()

    def __str__(self):
        return f"Safe contact for client {self.client_id}"


class Case(VersionedModel):
    """One episode of support for one client."""

    reference = models.CharField(max_length=20, unique=True)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="cases")
    episode = models.PositiveSmallIntegerField(default=1)
    previous_case = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_episode"
    )
    status = models.CharField(
        max_length=20, choices=CaseStatus.choices, default=CaseStatus.REFERRED
    )
    district = models.ForeignKey(
        "stalkingservice.District",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    allocated_to = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="allocated_cases"
    )
    co_worker = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="co_worked_cases"
    )
    restricted = models.BooleanField(
        default=False,
        help_text="Only the allocated workers and managers may open it; no break-glass.",
    )
    restricted_reason = models.CharField(max_length=200, blank=True)
    digital_element = models.BooleanField("Digital or cyber stalking", default=False)

    # Risk: the current level is the latest assessment's final level (set by risk services).
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    risk_level_at_intake = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    risk_assessed_at = models.DateTimeField(null=True, blank=True)
    next_review_due = models.DateField(null=True, blank=True)

    # Dates of each step, kept for timeliness and reporting.
    referred_at = models.DateTimeField(default=timezone.now)
    triaged_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    allocated_at = models.DateTimeField(null=True, blank=True)
    first_contact_due = models.DateField(null=True, blank=True)
    first_attempt_at = models.DateTimeField(null=True, blank=True)
    first_contact_at = models.DateTimeField(null=True, blank=True)
    last_contact_at = models.DateTimeField(null=True, blank=True)
    exit_planning_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closure_reason = models.ForeignKey(
        ClosureReason, null=True, blank=True, on_delete=models.PROTECT
    )
    closure_summary = models.TextField(blank=True)
    closure_approved_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-referred_at"]
        indexes = [
            models.Index(fields=["status", "referred_at"], name="case_status_referred"),
            models.Index(fields=["allocated_to", "status"], name="case_worker_status"),
            models.Index(fields=["co_worker", "status"], name="case_coworker_status"),
            models.Index(fields=["risk_level", "status"], name="case_risk_status"),
            models.Index(fields=["closed_at"], name="case_closed_at"),
            models.Index(fields=["first_contact_due"], name="case_first_contact_due"),
            models.Index(fields=["next_review_due"], name="case_next_review_due"),
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("cases:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED


class Suspect(VersionedModel):
    """The person the client says is stalking them, when known."""

    class Relationship(models.TextChoices):
        STRANGER = "stranger", "Stranger"
        ACQUAINTANCE = "acquaintance", "Acquaintance"
        NEIGHBOUR = "neighbour", "Neighbour"
        COLLEAGUE = "colleague", "Work colleague"
        ONLINE = "online", "Online contact only"
        CLIENT_OR_CUSTOMER = "customer", "Client, customer or patient"
        FRIEND = "friend", "Friend or former friend"
        EX_PARTNER = "ex_partner", "Ex-partner"
        PARTNER = "partner", "Partner"
        FAMILY = "family", "Family member"
        OTHER = "other", "Other"
        UNKNOWN = "unknown", "Not known"

    DOMESTIC_RELATIONSHIPS = frozenset({"ex_partner", "partner", "family"})

    class Sex(models.TextChoices):
        UNKNOWN = "unknown", "Not known"
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        OTHER = "other", "Other"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="suspects")
    name = models.CharField(max_length=150, blank=True)
    aliases = models.CharField(max_length=300, blank=True)
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    relationship = models.CharField(
        max_length=20, choices=Relationship.choices, default=Relationship.UNKNOWN
    )
    domestic_abuse_related = models.BooleanField(default=False)
    online_identifiers = models.TextField(
        blank=True, help_text="Handles, numbers, email addresses: one per line"
    )
    vehicle_registrations = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        indexes = [models.Index(fields=["name"], name="suspect_name")]

    def __str__(self):
        return self.name or "Unknown suspect"


class CaseEvent(models.Model):
    """A fact on the case timeline and for reports: status changes and every recorded
    piece of work. Written only by services, never edited."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL)
    kind = models.CharField(max_length=40)
    summary = models.CharField(max_length=300, blank=True)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["case", "-at"], name="event_case_at"),
            models.Index(fields=["kind", "at"], name="event_kind_at"),
        ]

    def __str__(self):
        from ..events import label_for

        return f"{self.case_id} {label_for(self.kind)} {self.at:%Y-%m-%d}"

    @property
    def label(self):
        from ..events import label_for

        return label_for(self.kind)


class BreakGlassGrant(models.Model):
    """A caseworker opened a case that is not theirs, giving a reason (e.g. duty cover).
    Time-limited; logged and shown to managers."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="break_glass_grants")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="break_glass_grants")
    reason = models.TextField()
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["user", "expires_at"], name="breakglass_user_expiry")]

    def __str__(self):
        return f"Break-glass on case {self.case_id} by user {self.user_id}"


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

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["case", "-occurred_at"], name="note_case_at")]

    def __str__(self):
        return f"{self.get_note_type_display()} on {self.occurred_at:%Y-%m-%d}"


class ContactAttempt(models.Model):
    class Method(models.TextChoices):
        PHONE = "phone", "Phone call"
        TEXT = "text", "Text message"
        EMAIL = "email", "Email"
        POST = "post", "Letter"
        VISIT = "visit", "Visit"

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
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["case", "at"], name="attempt_case_at")]

    def __str__(self):
        return f"{self.get_method_display()}: {self.get_outcome_display()}"


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
