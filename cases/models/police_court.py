"""Police and court liaison, orders, signposting and handover, outcome measures, exit and
closure, and service-level records (awareness sessions, compliments and complaints)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from stalkingservice.models import ReferenceItem, VersionedModel

from .lifecycle import Case, ClosureReason, Task

User = settings.AUTH_USER_MODEL

# ---- police liaison ------------------------------------------------------------------


class InvestigationStatus(models.TextChoices):
    REPORTED = "reported", "Reported"
    UNDER_INVESTIGATION = "investigating", "Under investigation"
    RELEASED_UNDER_INVESTIGATION = "rui", "Released under investigation"
    BAILED = "bailed", "Bailed with conditions"
    NO_FURTHER_ACTION = "nfa", "No further action"
    CHARGED = "charged", "Charged"


_I = InvestigationStatus

# Police can re-open an NFA on new evidence; a charge is final for the investigation (what
# follows is the court's, recorded as hearings).
INVESTIGATION_TRANSITIONS: dict[str, frozenset[str]] = {
    _I.REPORTED: frozenset({_I.UNDER_INVESTIGATION, _I.NO_FURTHER_ACTION, _I.CHARGED}),
    _I.UNDER_INVESTIGATION: frozenset(
        {_I.RELEASED_UNDER_INVESTIGATION, _I.BAILED, _I.NO_FURTHER_ACTION, _I.CHARGED}
    ),
    _I.RELEASED_UNDER_INVESTIGATION: frozenset(
        {_I.UNDER_INVESTIGATION, _I.BAILED, _I.NO_FURTHER_ACTION, _I.CHARGED}
    ),
    _I.BAILED: frozenset(
        {_I.UNDER_INVESTIGATION, _I.RELEASED_UNDER_INVESTIGATION, _I.NO_FURTHER_ACTION, _I.CHARGED}
    ),
    _I.NO_FURTHER_ACTION: frozenset({_I.UNDER_INVESTIGATION}),
    _I.CHARGED: frozenset(),
}


class PoliceInvestigation(VersionedModel):
    """One crime report (crime reference) and who is dealing with it."""

    class CpsDecision(models.TextChoices):
        NOT_REFERRED = "", "Not referred to the CPS"
        AWAITING = "awaiting", "Awaiting CPS decision"
        CHARGE = "charge", "Charge authorised"
        NO_CHARGE = "no_charge", "No charge"
        CAUTION = "caution", "Out-of-court disposal"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="investigations")
    crime_reference = models.CharField(max_length=40)
    force = models.CharField(max_length=100, default="Staffordshire Police")
    officer_name = models.CharField("Officer in case", max_length=150, blank=True)
    officer_collar_number = models.CharField("Collar number", max_length=20, blank=True)
    officer_contact = models.CharField("Officer's contact details", max_length=200, blank=True)
    status = models.CharField(
        max_length=20, choices=InvestigationStatus.choices, default=InvestigationStatus.REPORTED
    )
    status_changed_on = models.DateField(default=timezone.localdate)
    reported_on = models.DateField(default=timezone.localdate)
    charged_on = models.DateField(null=True, blank=True)
    cps_decision = models.CharField(
        "CPS decision", max_length=20, choices=CpsDecision.choices, blank=True
    )
    cps_decision_on = models.DateField("Date of CPS decision", null=True, blank=True)
    offences = models.CharField("Offences", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-reported_on", "-id"]
        indexes = [
            models.Index(fields=["case", "status"], name="investigation_case_status"),
            models.Index(fields=["status", "status_changed_on"], name="investigation_status_on"),
        ]

    def __str__(self):
        return self.crime_reference


class InvestigationStatusChange(models.Model):
    investigation = models.ForeignKey(
        PoliceInvestigation, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=20, choices=InvestigationStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=InvestigationStatus.choices)
    changed_on = models.DateField()
    note = models.CharField(max_length=300, blank=True)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["changed_on", "id"]

    def __str__(self):
        return f"{self.from_status} -> {self.to_status} on {self.changed_on}"


class PoliceContact(VersionedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="police_contacts")
    investigation = models.ForeignKey(
        PoliceInvestigation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacts",
    )
    contacted_on = models.DateField(default=timezone.localdate)
    who = models.CharField("Who (name, role)", max_length=150)
    purpose = models.CharField(max_length=300)
    outcome = models.TextField(blank=True)
    follow_up_task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-contacted_on", "-id"]
        indexes = [models.Index(fields=["case", "-contacted_on"], name="policecontact_case_on")]

    def __str__(self):
        return f"{self.who} on {self.contacted_on}"


class VictimsCodeRight(models.IntegerChoices):
    UNDERSTAND = 1, "1. To be able to understand and to be understood"
    CRIME_RECORDED = 2, "2. To have the details of the crime recorded without unjustified delay"
    INFORMATION_ON_REPORTING = 3, "3. To be provided with information when reporting the crime"
    REFERRAL_TO_SUPPORT = 4, "4. To be referred to support services and have needs assessed"
    COMPENSATION = 5, "5. To be provided with information about compensation"
    INVESTIGATION_INFO = 6, "6. To be given information about the investigation and prosecution"
    VPS = 7, "7. To make a Victim Personal Statement"
    TRIAL_INFO = 8, "8. To be given information about the trial and your role as a witness"
    OUTCOME_INFO = 9, "9. To be given information about the outcome of the case and any appeals"
    EXPENSES = 10, "10. To be paid expenses and have property returned"
    OFFENDER_INFO = 11, "11. To be given information about the offender after conviction"
    COMPLAIN = 12, "12. To make a complaint about your rights not being met"


class VictimsCodeCheck(VersionedModel):
    """For one right on one case: explained to the client? checked with police/courts?
    Where it was not met, the escalation made and its result."""

    class Met(models.TextChoices):
        NOT_CHECKED = "", "Not checked yet"
        MET = "met", "Met"
        NOT_MET = "not_met", "Not met"
        NOT_APPLICABLE = "na", "Does not apply yet"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="victims_code_checks")
    right = models.PositiveSmallIntegerField(choices=VictimsCodeRight.choices)
    explained = models.BooleanField("Explained to the client", default=False)
    checked_on = models.DateField(null=True, blank=True)
    met = models.CharField("Was the right met?", max_length=10, choices=Met.choices, blank=True)
    escalation = models.TextField("Escalation made", blank=True)
    escalation_result = models.TextField("Result of the escalation", blank=True)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["right"]
        constraints = [
            models.UniqueConstraint(fields=["case", "right"], name="victims_code_one_per_right")
        ]

    def __str__(self):
        return f"Right {self.right} on case {self.case_id}"


# ---- court ---------------------------------------------------------------------------


class Hearing(VersionedModel):
    class HearingType(models.TextChoices):
        FIRST = "first", "First hearing"
        PLEA = "plea", "Plea hearing"
        TRIAL = "trial", "Trial"
        SENTENCE = "sentence", "Sentencing"
        ORDER_APPLICATION = "order", "Order application"

    CRIMINAL_TYPES = frozenset({"first", "plea", "trial", "sentence"})

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="hearings")
    investigation = models.ForeignKey(
        PoliceInvestigation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hearing_type = models.CharField(max_length=10, choices=HearingType.choices)
    court = models.CharField(max_length=150)
    hearing_on = models.DateField("Date of hearing")
    outcome = models.TextField(blank=True)
    caseworker_attended = models.BooleanField("Caseworker attended court", default=False)
    pre_trial_visit = models.BooleanField("Pre-trial visit arranged", default=False)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["hearing_on", "id"]
        indexes = [models.Index(fields=["case", "hearing_on"], name="hearing_case_on")]

    def __str__(self):
        return f"{self.get_hearing_type_display()} on {self.hearing_on}"


class CourtSupport(VersionedModel):
    """What the client is offered for court, once per case."""

    class SpecialMeasures(models.TextChoices):
        NOT_REQUESTED = "", "Not requested"
        REQUESTED = "requested", "Requested, decision awaited"
        GRANTED = "granted", "Granted"
        PART_GRANTED = "part", "Partly granted"
        REFUSED = "refused", "Refused"

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="court_support")
    special_measures_requested = models.CharField(
        "Special measures requested", max_length=300, blank=True
    )
    special_measures_status = models.CharField(
        "Special measures decision", max_length=10, choices=SpecialMeasures.choices, blank=True
    )
    vps_offered_on = models.DateField("Victim Personal Statement offered on", null=True, blank=True)
    vps_made_on = models.DateField("Victim Personal Statement made on", null=True, blank=True)
    witness_care_contact = models.TextField("Witness Care Unit contact", blank=True)
    witness_care_last_contact_on = models.DateField(
        "Last contact with Witness Care", null=True, blank=True
    )
    history = HistoricalRecords()

    def __str__(self):
        return f"Court support for case {self.case_id}"


# ---- orders --------------------------------------------------------------------------


class OrderStatus(models.TextChoices):
    CONSIDERED = "considered", "Considered"
    APPLIED = "applied", "Applied for"
    INTERIM = "interim", "Interim order made"
    GRANTED = "granted", "Granted"
    REFUSED = "refused", "Refused"
    VARIED = "varied", "Varied"
    EXPIRED = "expired", "Expired"


_O = OrderStatus

ORDER_TRANSITIONS: dict[str, frozenset[str]] = {
    _O.CONSIDERED: frozenset({_O.APPLIED}),
    _O.APPLIED: frozenset({_O.INTERIM, _O.GRANTED, _O.REFUSED}),
    _O.INTERIM: frozenset({_O.GRANTED, _O.REFUSED, _O.VARIED, _O.EXPIRED}),
    _O.GRANTED: frozenset({_O.VARIED, _O.EXPIRED}),
    _O.VARIED: frozenset({_O.VARIED, _O.EXPIRED}),
    # Refused and expired are the end of that order; a new application is a new record.
    _O.REFUSED: frozenset(),
    _O.EXPIRED: frozenset(),
}
ORDER_IN_FORCE = frozenset({_O.INTERIM, _O.GRANTED, _O.VARIED})


class ProtectiveOrder(VersionedModel):
    class OrderType(models.TextChoices):
        SPO = "spo", "Stalking Protection Order"
        INTERIM_SPO = "interim_spo", "Interim Stalking Protection Order"
        RESTRAINING = "restraining", "Restraining order"
        NON_MOLESTATION = "non_molestation", "Non-molestation order"
        BAIL = "bail", "Bail conditions"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="orders")
    order_type = models.CharField(max_length=20, choices=OrderType.choices)
    status = models.CharField(max_length=20, choices=OrderStatus.choices)
    considered_on = models.DateField(null=True, blank=True)
    applied_on = models.DateField("Applied for on", null=True, blank=True)
    interim_on = models.DateField("Interim order made on", null=True, blank=True)
    granted_on = models.DateField(null=True, blank=True)
    refused_on = models.DateField(null=True, blank=True)
    varied_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField("Due to expire on", null=True, blank=True)
    expired_on = models.DateField(null=True, blank=True)
    court = models.CharField(max_length=150, blank=True)
    conditions = models.TextField(blank=True)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["case", "status"], name="order_case_status"),
            models.Index(fields=["order_type", "status"], name="order_type_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(granted_on__isnull=True)
                | Q(applied_on__isnull=True)
                | Q(granted_on__gte=models.F("applied_on")),
                name="order_granted_after_applied",
            )
        ]

    def __str__(self):
        return f"{self.get_order_type_display()} ({self.get_status_display()})"

    @property
    def in_force(self) -> bool:
        return self.status in ORDER_IN_FORCE


class OrderStatusChange(models.Model):
    order = models.ForeignKey(
        ProtectiveOrder, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=20, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=OrderStatus.choices)
    changed_on = models.DateField()
    note = models.CharField(max_length=300, blank=True)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["changed_on", "id"]

    def __str__(self):
        return f"{self.from_status} -> {self.to_status} on {self.changed_on}"


class OrderBreach(VersionedModel):
    # The lead adds a nullable link to the incident log (risk app) after merge.
    order = models.ForeignKey(ProtectiveOrder, on_delete=models.CASCADE, related_name="breaches")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="order_breaches")
    occurred_on = models.DateField()
    description = models.TextField()
    reported_to_police = models.BooleanField(default=False)
    police_reference = models.CharField(max_length=40, blank=True)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["case", "occurred_on"], name="breach_case_on")]

    def __str__(self):
        return f"Breach on {self.occurred_on}"


# ---- signposting and handover ---------------------------------------------------------


class ServiceDirectoryEntry(ReferenceItem):
    """A local or national service clients are signposted or handed over to."""

    class Category(models.TextChoices):
        DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse (IDVA)"
        VICTIM_SUPPORT = "victim_support", "Victim support"
        SEXUAL_VIOLENCE = "sexual_violence", "Sexual violence (ISVA)"
        STALKING = "stalking", "Stalking"
        MENTAL_HEALTH = "mental_health", "Mental health and wellbeing"
        HOUSING = "housing", "Housing"
        LEGAL = "legal", "Legal advice"
        OTHER = "other", "Other"

    class Scope(models.TextChoices):
        LOCAL = "local", "Local"
        NATIONAL = "national", "National"

    category = models.CharField(max_length=20, choices=Category.choices)
    scope = models.CharField(max_length=10, choices=Scope.choices)
    phone = models.CharField(max_length=60, blank=True)
    email = models.CharField(max_length=150, blank=True)
    website = models.URLField(blank=True)
    referral_route = models.TextField("How to refer", blank=True)
    accepts_managed_handover = models.BooleanField(default=True)

    class Meta(ReferenceItem.Meta):
        verbose_name_plural = "service directory entries"


class HandoverReferral(VersionedModel):
    class Kind(models.TextChoices):
        INFORMATION = "information", "Information given (signposting)"
        MANAGED = "managed", "Managed handover with a warm introduction"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="handovers")
    service = models.ForeignKey(ServiceDirectoryEntry, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=15, choices=Kind.choices)
    made_on = models.DateField(default=timezone.localdate)
    reason = models.TextField("Why this service", blank=True)
    consent_to_share = models.BooleanField("Client consents to share information", default=False)
    consent_covers_contact_details = models.BooleanField(
        "Consent covers the client's safe-contact details", default=False
    )
    information_shared = models.TextField("Exactly what was shared", blank=True)
    receiving_contact = models.CharField("Contact at the service", max_length=150, blank=True)
    acknowledged_on = models.DateField(null=True, blank=True)
    acknowledgement = models.CharField("Acknowledgement", max_length=300, blank=True)
    follow_up_task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-made_on", "-id"]
        indexes = [
            models.Index(fields=["case", "-made_on"], name="handover_case_on"),
            models.Index(fields=["service", "made_on"], name="handover_service_on"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="managed") | Q(consent_to_share=True),
                name="handover_managed_needs_consent",
            ),
            models.CheckConstraint(
                condition=Q(consent_covers_contact_details=False) | Q(consent_to_share=True),
                name="handover_contact_needs_consent",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.service}"

    @property
    def awaiting_acknowledgement(self) -> bool:
        return self.kind == self.Kind.MANAGED and self.acknowledged_on is None

    @property
    def may_include_contact_details(self) -> bool:
        return self.consent_to_share and self.consent_covers_contact_details


# ---- outcome measures ----------------------------------------------------------------


class OutcomeMeasure(models.TextChoices):
    SAFER = "safer", "Feeling safer"
    HEALTH = "health", "Health and wellbeing"
    COPING = "coping", "Coping with everyday life"
    INFORMED = "informed", "Informed and empowered"
    JUSTICE = "justice", "Able to engage with the criminal justice system"
    SATISFACTION = "satisfaction", "Satisfaction with the service"


ENTRY_MEASURES = [m for m in OutcomeMeasure if m != OutcomeMeasure.SATISFACTION]
EXIT_MEASURES = list(OutcomeMeasure)


class OutcomeAssessment(VersionedModel):
    class Stage(models.TextChoices):
        ENTRY = "entry", "Entry (after first assessment)"
        EXIT = "exit", "Exit"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="outcome_assessments")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    recorded_on = models.DateField(default=timezone.localdate)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "stage"]
        constraints = [
            models.UniqueConstraint(fields=["case", "stage"], name="outcome_one_per_stage")
        ]
        indexes = [models.Index(fields=["stage", "recorded_on"], name="outcome_stage_on")]

    def __str__(self):
        return f"{self.get_stage_display()} outcomes for case {self.case_id}"


class OutcomeAnswer(models.Model):
    """One measure at one stage. A rating only when the client gave one: "not asked",
    "declined" and "not relevant" are kept as such and never counted as a score."""

    class Response(models.TextChoices):
        RATED = "rated", "Rated"
        NOT_ASKED = "not_asked", "Not asked"
        DECLINED = "declined", "Declined to answer"
        NOT_RELEVANT = "not_relevant", "Not relevant"

    assessment = models.ForeignKey(
        OutcomeAssessment, on_delete=models.CASCADE, related_name="answers"
    )
    measure = models.CharField(max_length=20, choices=OutcomeMeasure.choices)
    response = models.CharField(max_length=15, choices=Response.choices)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "measure"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "measure"], name="outcome_answer_one_per_measure"
            ),
            models.CheckConstraint(
                condition=(Q(response="rated") & Q(rating__gte=1) & Q(rating__lte=5))
                | (~Q(response="rated") & Q(rating__isnull=True)),
                name="outcome_rating_1_to_5_only_when_rated",
            ),
        ]
        indexes = [models.Index(fields=["measure", "response"], name="outcome_measure_response")]

    def __str__(self):
        return f"{self.measure}: {self.rating or self.response}"


# ---- exit and closure ----------------------------------------------------------------


class ExitPlan(VersionedModel):
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="exit_plan")
    readiness = models.TextField("Readiness to end support")
    ongoing_safety = models.TextField("Ongoing safety arrangements")
    who_to_contact = models.TextField("Who to contact after support ends")
    how_to_come_back = models.TextField("How to come back to the service")
    agreed_with_client = models.BooleanField("Agreed with the client", default=False)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    def __str__(self):
        return f"Exit plan for case {self.case_id}"


class ClosureRequest(VersionedModel):
    class Status(models.TextChoices):
        REQUESTED = "requested", "Awaiting manager approval"
        APPROVED = "approved", "Approved and closed"
        RETURNED = "returned", "Returned to the caseworker"
        CLOSED = "closed", "Closed (no approval needed)"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="closure_requests")
    reason = models.ForeignKey(ClosureReason, on_delete=models.PROTECT, related_name="+")
    summary = models.TextField("Closing summary")
    approval_needed_because = models.CharField(max_length=200, blank=True)
    carried_over_tasks = models.ManyToManyField(Task, blank=True, related_name="+")
    send_letter = models.BooleanField("Send a closing letter", default=False)
    status = models.CharField(max_length=10, choices=Status.choices)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    manager_comment = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["status", "requested_at"], name="closure_status_at")]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status="requested"),
                name="closure_one_pending_per_case",
            )
        ]

    def __str__(self):
        return f"Closure of case {self.case_id}: {self.get_status_display()}"


# ---- service level -------------------------------------------------------------------


class AwarenessSession(VersionedModel):
    class Audience(models.TextChoices):
        POLICE = "police", "Police"
        HEALTH = "health", "Health professionals"
        EDUCATION = "education", "Schools, colleges, universities"
        LOCAL_AUTHORITY = "local_authority", "Local authority staff"
        VOLUNTARY = "voluntary", "Voluntary sector"
        EMPLOYER = "employer", "Employers"
        COMMUNITY = "community", "Community groups and public"
        OTHER = "other", "Other"

    delivered_on = models.DateField()
    title = models.CharField("Session title or topic", max_length=200)
    audience_type = models.CharField(max_length=20, choices=Audience.choices)
    district = models.ForeignKey(
        "stalkingservice.District", null=True, blank=True, on_delete=models.PROTECT
    )
    attendees = models.PositiveIntegerField()
    delivered_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-delivered_on", "-id"]
        indexes = [models.Index(fields=["delivered_on"], name="awareness_delivered_on")]

    def __str__(self):
        return f"{self.title} ({self.delivered_on})"


class Feedback(VersionedModel):
    class Kind(models.TextChoices):
        COMPLIMENT = "compliment", "Compliment"
        COMPLAINT = "complaint", "Complaint"

    class From(models.TextChoices):
        CLIENT = "client", "Client"
        FAMILY = "family", "Family or friend of a client"
        PROFESSIONAL = "professional", "Professional or partner agency"
        OTHER = "other", "Other"

    class Outcome(models.TextChoices):
        OPEN = "", "Not resolved yet"
        UPHELD = "upheld", "Upheld"
        PARTLY_UPHELD = "partly", "Partly upheld"
        NOT_UPHELD = "not_upheld", "Not upheld"
        WITHDRAWN = "withdrawn", "Withdrawn"
        SHARED = "shared", "Shared with the team (compliment)"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    received_from = models.CharField(max_length=15, choices=From.choices)
    received_on = models.DateField()
    acknowledged_on = models.DateField(null=True, blank=True)
    resolved_on = models.DateField(null=True, blank=True)
    summary = models.TextField()
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    outcome_notes = models.TextField(blank=True)
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="feedback"
    )
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["kind", "received_on"], name="feedback_kind_received")]
        verbose_name_plural = "feedback"

    def __str__(self):
        return f"{self.get_kind_display()} received {self.received_on}"
