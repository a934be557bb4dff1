"""Safety plans, needs and care plans, interventions and group work, digital safety.

Reporting counts read the dated fields here (safety plans agreed, digital checks completed,
sessions delivered, group attendances), so each has an index on its status/date."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from stalkingservice.models import VersionedModel

User = settings.AUTH_USER_MODEL

__all__ = [
    "SafetySection",
    "ActionOwner",
    "ActionStatus",
    "SafetyPlan",
    "SafetyAction",
    "SafetyPlanVersion",
    "NeedDomain",
    "NeedRating",
    "NeedsAssessment",
    "NeedScore",
    "CareGoal",
    "GoalProgressNote",
    "SessionType",
    "SessionMode",
    "SessionStatus",
    "OneToOneSession",
    "GroupProgramme",
    "GroupMember",
    "GroupSession",
    "GroupAttendance",
    "DigitalSafetyCheck",
]

# ---- safety plan -------------------------------------------------------------------


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
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

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


# ---- needs assessment and care plan ------------------------------------------------


class NeedDomain(models.TextChoices):
    SAFETY = "safety", "Safety"
    HEALTH = "health", "Health and wellbeing"
    COPING = "coping", "Coping with everyday life"
    HOUSING = "housing", "Housing"
    MONEY = "money", "Money"
    WORK = "work", "Work or education"
    CRIMINAL_JUSTICE = "cjs", "Criminal justice"
    DIGITAL = "digital", "Digital safety"
    FAMILY = "family", "Family and children"
    SOCIAL = "social", "Social support"


class NeedRating(models.TextChoices):
    NONE = "none", "No need"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class NeedsAssessment(VersionedModel):
    """A dated needs assessment; the newest is the current picture, older ones are kept."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="needs_assessments"
    )
    assessed_on = models.DateField()
    assessed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(blank=True, max_length=4000)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-assessed_on", "-id"]
        indexes = [models.Index(fields=["case", "-assessed_on"], name="needs_case_date")]

    def __str__(self):
        return f"Needs assessment {self.assessed_on:%Y-%m-%d}"


class NeedScore(models.Model):
    assessment = models.ForeignKey(NeedsAssessment, on_delete=models.CASCADE, related_name="scores")
    domain = models.CharField(max_length=10, choices=NeedDomain.choices)
    rating = models.CharField(max_length=10, choices=NeedRating.choices)
    comment = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "domain"], name="needscore_unique")
        ]

    def __str__(self):
        return f"{self.get_domain_display()}: {self.get_rating_display()}"


class CareGoal(VersionedModel):
    class Status(models.TextChoices):
        OPEN = "open", "Working on it"
        ACHIEVED = "achieved", "Achieved"
        PARTLY = "partly", "Partly achieved"
        NOT_ACHIEVED = "not_achieved", "Not achieved"
        WITHDRAWN = "withdrawn", "No longer wanted"

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="care_goals")
    domain = models.CharField("Need", max_length=10, choices=NeedDomain.choices)
    goal = models.CharField(max_length=300)
    planned_interventions = models.TextField(max_length=2000)
    review_on = models.DateField("Review date")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["review_on", "id"]
        indexes = [
            models.Index(fields=["case", "status"], name="caregoal_case_status"),
            models.Index(fields=["status", "review_on"], name="caregoal_status_review"),
        ]

    def __str__(self):
        return self.goal


class GoalProgressNote(models.Model):
    goal = models.ForeignKey(CareGoal, on_delete=models.CASCADE, related_name="progress_notes")
    written_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(max_length=4000)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-written_at", "-id"]

    def __str__(self):
        return f"Progress on goal {self.goal_id}"


# ---- interventions -----------------------------------------------------------------


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

    class Meta:
        ordering = ["-session_date", "-id"]
        indexes = [
            models.Index(fields=["case", "-session_date"], name="session_case_date"),
            models.Index(fields=["status", "session_date"], name="session_status_date"),
        ]

    def __str__(self):
        return f"{self.get_session_type_display()} on {self.session_date:%Y-%m-%d}"


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


# ---- digital safety ----------------------------------------------------------------


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
