"""Digital safety checks (DOMAIN 6). Reporting counts checks completed, so status and
completion time are indexed."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from stalkingservice.models import VersionedModel

User = settings.AUTH_USER_MODEL


class DigitalSafetyCheck(VersionedModel):
    """One dated check (DOMAIN 6). Each new check on a case gets the next number; edits
    are kept in history."""

    class Status(models.TextChoices):
        DRAFT = "draft", "In progress"
        COMPLETE = "complete", "Complete"

    class PhoneOS(models.TextChoices):
        ANDROID = "android", "Android"
        IOS = "ios", "iPhone (iOS)"
        OTHER = "other", "Other"
        UNKNOWN = "unknown", "Not known"

    class PaidBy(models.TextChoices):
        CLIENT = "client", "The client"
        PERPETRATOR = "perpetrator", "The person stalking them"
        SHARED = "shared", "Shared or family account"
        EMPLOYER = "employer", "Employer"
        OTHER = "other", "Someone else"
        UNKNOWN = "unknown", "Not known"

    class YesNoUnknown(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        UNKNOWN = "unknown", "Not known"

    class Stalkerware(models.TextChoices):
        NOT_SUSPECTED = "no", "Not suspected"
        SUSPECTED = "suspected", "Suspected"
        FOUND = "found", "Found"

    class RemovalDecision(models.TextChoices):
        NONE = "", "No decision needed"
        LEAVE = "leave", "Leave in place for now (safety plan first)"
        POLICE = "police", "Police to examine the device before anything is removed"
        REMOVE = "remove", "Remove it"
        REPLACE = "replace", "Stop using the device and use a new one"

    class ChildrenDevices(models.TextChoices):
        CHECKED = "checked", "Checked"
        NOT_CHECKED = "not_checked", "Not checked yet"
        NA = "na", "No children's devices"

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="digital_checks")
    number = models.PositiveIntegerField()
    checked_on = models.DateField("Date of check")
    checked_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    completed_at = models.DateTimeField(null=True, blank=True)

    phone_os = models.CharField(
        "Phone operating system", max_length=10, choices=PhoneOS.choices, default="unknown"
    )
    phone_paid_by = models.CharField(
        "Who pays for the phone", max_length=12, choices=PaidBy.choices, default="unknown"
    )
    perpetrator_had_access = models.CharField(
        "The person stalking them has ever had access to the phone",
        max_length=10,
        choices=YesNoUnknown.choices,
        default="unknown",
    )
    stalkerware = models.CharField(
        "Stalkerware", max_length=10, choices=Stalkerware.choices, default="no"
    )
    device_admin_checked = models.BooleanField("Device admin apps checked", default=False)
    profiles_checked = models.BooleanField("Configuration profiles checked", default=False)
    location_sharing_reviewed = models.BooleanField(default=False)
    tracker_found = models.BooleanField("Tracking device found", default=False)
    tracker_where = models.CharField("Where the tracker was found", max_length=200, blank=True)
    tracker_kept_as_evidence = models.BooleanField("Tracker kept as evidence", default=False)
    tracker_police_told = models.BooleanField("Police told about the tracker", default=False)
    email_compromised = models.BooleanField(
        "An email account is compromised (someone else can get into it)", default=False
    )
    social_compromised = models.BooleanField(
        "A social media or other online account is compromised", default=False
    )
    email_secured = models.BooleanField("Email accounts secured", default=False)
    social_secured = models.BooleanField("Social media accounts secured", default=False)
    cloud_secured = models.BooleanField("Cloud accounts secured", default=False)
    banking_secured = models.BooleanField("Banking apps secured", default=False)
    two_factor_on = models.BooleanField("Two-factor authentication switched on", default=False)
    smart_home_checked = models.BooleanField("Smart-home devices checked", default=False)
    car_telematics_checked = models.BooleanField("Car and telematics apps checked", default=False)
    childrens_devices = models.CharField(
        "Children's devices",
        max_length=12,
        choices=ChildrenDevices.choices,
        default="na",
    )
    platform_safety_check_run = models.BooleanField(
        "Platform safety check run (e.g. Google, Apple, Meta)", default=False
    )
    findings = models.TextField("Other findings", blank=True, max_length=4000)
    stalkerware_decision = models.CharField(
        "Decision on removing stalkerware",
        max_length=10,
        choices=RemovalDecision.choices,
        blank=True,
        default="",
    )
    stalkerware_decision_agreed_by = models.CharField(
        "Who agreed the decision",
        max_length=200,
        blank=True,
        help_text="For example: the client and caseworker, with DC Smith.",
    )
    history = HistoricalRecords()

    # What the check form edits, in its order; the number, who checked, the status and its
    # time are set by the service.
    EDITABLE_FIELDS = (
        "checked_on",
        "phone_os",
        "phone_paid_by",
        "perpetrator_had_access",
        "stalkerware",
        "device_admin_checked",
        "profiles_checked",
        "location_sharing_reviewed",
        "tracker_found",
        "tracker_where",
        "tracker_kept_as_evidence",
        "tracker_police_told",
        "email_compromised",
        "social_compromised",
        "email_secured",
        "social_secured",
        "cloud_secured",
        "banking_secured",
        "two_factor_on",
        "smart_home_checked",
        "car_telematics_checked",
        "childrens_devices",
        "platform_safety_check_run",
        "findings",
        "stalkerware_decision",
        "stalkerware_decision_agreed_by",
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="digitalcheck_unique_number")
        ]
        indexes = [
            models.Index(fields=["status", "completed_at"], name="digitalcheck_status_done"),
        ]

    def __str__(self):
        return f"Digital safety check {self.number}"

    @property
    def unsafe_routes(self) -> dict[str, list[str]]:
        """The contact routes this check's findings expose, by finding: stalkerware
        (suspected or found) can read everything on the phone; a compromised account,
        what goes through it."""
        found: dict[str, list[str]] = {}
        if self.stalkerware != self.Stalkerware.NOT_SUSPECTED:
            found[f"Stalkerware {self.get_stalkerware_display().lower()}"] = [
                "phone", "voicemail", "text", "email", "online",
            ]  # fmt: skip
        if self.email_compromised:
            found["Email account compromised"] = ["email"]
        if self.social_compromised:
            found["Online account compromised"] = ["online"]
        return found
