"""Police liaison (crime reports, contacts with police, the Victims' Code) and court
(hearings, court support)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from stalkingservice.models import VersionedModel

from .lifecycle import Case, StatusChange
from .notes_tasks import Task

User = settings.AUTH_USER_MODEL


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


def crime_reference_key(value: str | None) -> str:
    """A crime reference as compared: spaces and letter case do not make a new one
    ("sp/123/26 " is SP/123/26)."""
    return "".join((value or "").split()).upper()


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

    # Set when the crime report is recorded; the status moves only by transition.
    RECORDED_FIELDS = (
        "crime_reference",
        "force",
        "reported_on",
        "offences",
        "officer_name",
        "officer_collar_number",
        "officer_contact",
    )

    EDITABLE_FIELDS = (
        "crime_reference",
        "force",
        "offences",
        "officer_name",
        "officer_collar_number",
        "officer_contact",
        "cps_decision",
        "cps_decision_on",
    )

    class Meta:
        ordering = ["-reported_on", "-id"]
        indexes = [
            models.Index(fields=["case", "status"], name="investigation_case_status"),
            models.Index(fields=["status", "status_changed_on"], name="investigation_status_on"),
        ]

    def __str__(self):
        return self.crime_reference


class InvestigationStatusChange(StatusChange):
    investigation = models.ForeignKey(
        PoliceInvestigation, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=20, choices=InvestigationStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=InvestigationStatus.choices)
    history = HistoricalRecords()

    class Meta(StatusChange.Meta):
        pass


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

    RECORDED_FIELDS = (
        "investigation",
        "contacted_on",
        "who",
        "purpose",
        "outcome",
    )

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

    RECORDED_FIELDS = (
        "explained",
        "checked_on",
        "met",
        "escalation",
        "escalation_result",
    )

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

    RECORDED_FIELDS = (
        "investigation",
        "hearing_type",
        "court",
        "hearing_on",
        "outcome",
        "caseworker_attended",
        "pre_trial_visit",
    )

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

    EDITABLE_FIELDS = (
        "special_measures_requested",
        "special_measures_status",
        "vps_offered_on",
        "vps_made_on",
        "witness_care_contact",
        "witness_care_last_contact_on",
    )

    def __str__(self):
        return f"Court support for case {self.case_id}"
