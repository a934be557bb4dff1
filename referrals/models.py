import json

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cases.models.client import SafeContact, window_text
from risk.models.incidents import Behaviour
from risk.models.tools import ReceivedRiskTool
from stalkingservice.crypto import EncryptedTextField
from stalkingservice.models import ReferenceItem, VersionedModel
from stalkingservice.personal_data import PersonalData

User = settings.AUTH_USER_MODEL


class ReferralSource(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        pass


class DeclineReason(ReferenceItem):
    """Why a referral was not taken up (also used for 'not contactable' reasons)."""

    class Meta(ReferenceItem.Meta):
        pass


# About the referrer, not the person referred.
REFERRER_FIELDS = (
    "referrer_name",
    "referrer_organisation",
    "referrer_role",
    "referrer_phone",
    "referrer_email",
)


def reported_contact_label(name: str) -> str:
    label = str(SafeContact._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


def reported_contact_display(name: str, value) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if name == "safe_windows":
        return "; ".join(window_text(w) for w in value or [])
    return str(value)


class Referral(VersionedModel):
    """The referral as received, and its triage. One referral starts one case episode."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "Awaiting triage"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        SIGNPOSTED = "signposted", "Signposted or handed over"

    class PoliceInvolvement(models.TextChoices):
        UNKNOWN = "unknown", "Not known"
        NOT_REPORTED = "no", "Not reported to police"
        REPORTED = "yes", "Reported to police"

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="referral")
    reference = models.CharField(
        max_length=20, unique=True, help_text="Shown to self-referrers; contains no data."
    )
    source = models.ForeignKey(ReferralSource, on_delete=models.PROTECT)
    received_at = models.DateTimeField(default=timezone.now)
    is_self_referral = models.BooleanField(default=False)
    referrer_name = models.CharField(max_length=150, blank=True)
    referrer_organisation = models.CharField(max_length=150, blank=True)
    referrer_role = models.CharField(max_length=100, blank=True)
    referrer_phone = EncryptedTextField(blank=True)
    referrer_email = EncryptedTextField(blank=True)

    consent_to_contact = models.BooleanField(default=False)
    consent_to_share = models.BooleanField(default=False)

    behaviours = models.JSONField(default=list, blank=True)
    digital_element = models.BooleanField("Digital or cyber element", default=False)
    duration = models.CharField("How long it has been going on", max_length=100, blank=True)
    summary = models.TextField("What is happening", blank=True)
    police_involvement = models.CharField(
        max_length=10, choices=PoliceInvolvement.choices, default=PoliceInvolvement.UNKNOWN
    )
    crime_reference = models.CharField(max_length=50, blank=True)
    risk_tool = models.CharField(max_length=10, choices=ReceivedRiskTool.choices, blank=True)
    risk_tool_version = models.CharField(max_length=30, blank=True)
    risk_score = models.PositiveSmallIntegerField(null=True, blank=True)
    risk_level_received = models.CharField(max_length=20, blank=True)

    # Triage
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.PENDING)
    in_area = models.BooleanField(null=True, blank=True)
    meets_age_policy = models.BooleanField(null=True, blank=True)
    domestic_abuse_related = models.BooleanField(null=True, blank=True)
    duplicate_checked = models.BooleanField(default=False)
    conflict_flag = models.BooleanField(default=False)
    conflict_detail = models.TextField(blank=True)
    # A caseworker's duplicate check found a possible match with a client whose cases they
    # cannot open: the link decision is a manager's, so the referral leaves caseworkers'
    # triage scope (referrals.permissions.referrals_for_triage).
    duplicate_for_manager = models.BooleanField(default=False)
    decline_reason = models.ForeignKey(
        DeclineReason, null=True, blank=True, on_delete=models.PROTECT
    )
    signposted_to = models.CharField(max_length=200, blank=True)
    decision_notes = models.TextField(blank=True)
    triaged_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    triaged_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The hidden token of the intake form that created this referral: a second submit of
    # the same form finds it instead of creating a duplicate (unique, so a race loses too).
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # Safe-contact details this referral brought for a client we already knew (linked at
    # triage): reported, not confirmed. Anyone can send a referral, so none of them is a
    # route until a worker confirms it with the client, one by one
    # (services.referral_reported_contact_resolve). Encrypted JSON:
    # {field: {"value": ..., "status": "pending" | "used" | "discarded", "by": id, "at": iso}}
    reported_contact = EncryptedTextField(blank=True)
    history = HistoricalRecords()

    personal_data = PersonalData(
        erase=(
            *REFERRER_FIELDS,
            "summary",
            "duration",
            "crime_reference",
            "conflict_detail",
            "signposted_to",
            "decision_notes",
            "reported_contact",
        ),
        # The references say nothing about the person; the risk level as received is a fact
        # the reports count; so are the behaviours reported (a list of codes).
        keep=("reference", "risk_tool_version", "risk_level_received", "behaviours"),
        third_party=REFERRER_FIELDS,
    )

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["outcome", "received_at"], name="referral_outcome_received"),
            models.Index(fields=["received_at"], name="referral_received"),
        ]

    def __str__(self):
        return self.reference

    @property
    def reported_contact_details(self) -> dict[str, dict]:
        """The safe-contact details reported on this referral, by SafeContact field."""
        if not self.reported_contact:
            return {}
        try:
            details = json.loads(self.reported_contact)
        except ValueError:
            return {}
        return details if isinstance(details, dict) else {}

    @property
    def reported_contact_pending(self) -> list[dict]:
        """The reported details not yet confirmed or discarded, in the order the safe-contact
        form asks them, each with its label and its value in words (for the case page)."""
        details = self.reported_contact_details
        return [
            {"field": name, "label": reported_contact_label(name), "value": shown}
            for name in SafeContact.personal_data.fields
            if (detail := details.get(name)) and detail.get("status") == "pending"
            for shown in [reported_contact_display(name, detail.get("value"))]
        ]

    @property
    def behaviour_labels(self) -> list[str]:
        """The behaviours ticked at referral, in words (the triage page and the case's
        Referral section show the same list)."""
        labels = dict(Behaviour.choices)
        return [labels.get(b, b) for b in self.behaviours or []]


class SelfReferralAttempt(models.Model):
    """Rate limiting of the public form by a hash of the sender's address; no content."""

    client_hash = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self):
        return f"Self-referral attempt at {self.at:%Y-%m-%d %H:%M}"
