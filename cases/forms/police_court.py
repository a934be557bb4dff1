"""Forms for advocacy and the end of support. They validate; services write. Rules that
users can break by typing are checked here too, so the message sits beside the field."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone

from cases.models.handover import HandoverReferral, ServiceDirectoryEntry
from cases.models.lifecycle import ClosureReason, ExitPlan
from cases.models.orders import ORDER_TRANSITIONS, OrderBreach, OrderStatus, ProtectiveOrder
from cases.models.outcomes import OutcomeAnswer, OutcomeAssessment, OutcomeMeasure
from cases.models.police_court import (
    INVESTIGATION_TRANSITIONS,
    CourtSupport,
    Hearing,
    InvestigationStatus,
    PoliceContact,
    PoliceInvestigation,
    VictimsCodeCheck,
    VictimsCodeRight,
)
from cases.models.service_records import AwarenessSession, Feedback
from cases.services.common import FUTURE_DATE
from cases.services.handover import (
    ACK_BEFORE_HANDOVER,
    CONTACT_CONSENT_NEEDS_SHARING_CONSENT,
    HANDOVER_NEEDS_CONSENT,
    HANDOVER_NEEDS_WHAT_SHARED,
)
from cases.services.lifecycle import (
    CLOSURE_OPEN_TASKS,
    CLOSURE_REASON_REQUIRED,
    CLOSURE_RETURN_NEEDS_COMMENT,
    CLOSURE_SUMMARY_REQUIRED,
)
from cases.services.orders import ORDER_GRANTED_BEFORE_APPLIED, ORDER_NEEDS_APPLICATION_DATE
from cases.services.outcomes import RATING_RANGE
from cases.services.police_court import HEARING_BEFORE_CHARGE, charge_date_for
from cases.services.service_records import FEEDBACK_DATE_ORDER
from stalkingservice.forms import BaseForm, BaseModelForm, VersionedFormMixin
from stalkingservice.models import District

from ..permissions import cases_visible_to


class Rebuilt:
    """Rebuild the crispy layout once the form's fields are final: fields added or removed
    after the base form's __init__ (the version field, per-measure ratings, a letter choice
    that is not offered) would otherwise be missing from, or break, the rendered form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._rebuild()

    def _rebuild(self):
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class NotFutureMixin:
    """Date fields listed in `not_future` cannot be after today."""

    not_future: tuple[str, ...] = ()

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        for name in self.not_future:
            value = cleaned.get(name)
            if value and value > today:
                self.add_error(name, FUTURE_DATE)
        return cleaned


def _dates(*names):
    return dict.fromkeys(names, DateInput())


# ---- police --------------------------------------------------------------------------


class InvestigationForm(Rebuilt, NotFutureMixin, BaseModelForm):
    not_future = ("reported_on",)

    class Meta:
        model = PoliceInvestigation
        fields = [
            "crime_reference",
            "force",
            "reported_on",
            "offences",
            "officer_name",
            "officer_collar_number",
            "officer_contact",
        ]
        widgets = _dates("reported_on")


class InvestigationEditForm(Rebuilt, VersionedFormMixin, NotFutureMixin, BaseModelForm):
    not_future = ("cps_decision_on",)

    class Meta:
        model = PoliceInvestigation
        fields = [
            "crime_reference",
            "force",
            "offences",
            "officer_name",
            "officer_collar_number",
            "officer_contact",
            "cps_decision",
            "cps_decision_on",
        ]
        widgets = _dates("cps_decision_on")


class InvestigationStatusForm(Rebuilt, NotFutureMixin, BaseForm):
    not_future = ("on",)
    to = forms.ChoiceField(label="New status")
    on = forms.DateField(label="Date of the change", widget=DateInput())
    note = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, investigation, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = INVESTIGATION_TRANSITIONS[investigation.status]
        self.fields["to"].choices = [
            (value, label) for value, label in InvestigationStatus.choices if value in allowed
        ]
        self.fields["on"].initial = timezone.localdate()


class PoliceContactForm(Rebuilt, NotFutureMixin, BaseModelForm):
    not_future = ("contacted_on",)
    follow_up_title = forms.CharField(
        label="Follow-up task (optional)",
        max_length=200,
        required=False,
        help_text="For example: call the officer back about bail conditions",
    )
    follow_up_due = forms.DateField(label="Follow-up due", required=False, widget=DateInput())

    class Meta:
        model = PoliceContact
        fields = ["investigation", "contacted_on", "who", "purpose", "outcome"]
        widgets = _dates("contacted_on")

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["investigation"].queryset = case.investigations.all()
        self.fields["investigation"].label = "Crime reference (optional)"


class VictimsCodeForm(Rebuilt, NotFutureMixin, BaseModelForm):
    not_future = ("checked_on",)
    right = forms.TypedChoiceField(coerce=int, choices=VictimsCodeRight.choices)

    class Meta:
        model = VictimsCodeCheck
        fields = ["explained", "checked_on", "met", "escalation", "escalation_result"]
        widgets = _dates("checked_on")

    field_order = ["right", "explained", "checked_on", "met", "escalation", "escalation_result"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("met") == VictimsCodeCheck.Met.NOT_MET and not cleaned.get("escalation"):
            self.add_error("escalation", "Where a right was not met, record the escalation made.")
        return cleaned


# ---- court ---------------------------------------------------------------------------


class HearingForm(Rebuilt, BaseModelForm):
    class Meta:
        model = Hearing
        fields = [
            "investigation",
            "hearing_type",
            "court",
            "hearing_on",
            "outcome",
            "caseworker_attended",
            "pre_trial_visit",
        ]
        widgets = _dates("hearing_on")

    def __init__(self, *args, case, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)
        self.fields["investigation"].queryset = case.investigations.all()
        self.fields["investigation"].label = "Crime reference (optional)"

    def clean(self):
        cleaned = super().clean()
        on, kind = cleaned.get("hearing_on"), cleaned.get("hearing_type")
        if on and kind in Hearing.CRIMINAL_TYPES:
            charged = charge_date_for(case=self.case, investigation=cleaned.get("investigation"))
            if charged and on < charged:
                self.add_error(
                    "hearing_on", HEARING_BEFORE_CHARGE.format(charged=f"{charged:%-d %B %Y}")
                )
        return cleaned


class CourtSupportForm(Rebuilt, VersionedFormMixin, NotFutureMixin, BaseModelForm):
    not_future = ("vps_offered_on", "vps_made_on", "witness_care_last_contact_on")

    class Meta:
        model = CourtSupport
        fields = [
            "special_measures_requested",
            "special_measures_status",
            "vps_offered_on",
            "vps_made_on",
            "witness_care_contact",
            "witness_care_last_contact_on",
        ]
        widgets = _dates("vps_offered_on", "vps_made_on", "witness_care_last_contact_on")


# ---- orders --------------------------------------------------------------------------

NEW_ORDER_STATUSES = [
    (s.value, s.label)
    for s in (OrderStatus.CONSIDERED, OrderStatus.APPLIED, OrderStatus.INTERIM, OrderStatus.GRANTED)
]


class OrderForm(Rebuilt, NotFutureMixin, BaseModelForm):
    not_future = ("considered_on", "applied_on", "interim_on", "granted_on")
    status = forms.ChoiceField(label="Stage reached", choices=NEW_ORDER_STATUSES)

    class Meta:
        model = ProtectiveOrder
        fields = [
            "order_type",
            "status",
            "considered_on",
            "applied_on",
            "interim_on",
            "granted_on",
            "expires_on",
            "court",
            "conditions",
        ]
        widgets = _dates("considered_on", "applied_on", "interim_on", "granted_on", "expires_on")

    def clean(self):
        cleaned = super().clean()
        status, applied = cleaned.get("status"), cleaned.get("applied_on")
        if status in (OrderStatus.INTERIM, OrderStatus.GRANTED) and not applied:
            self.add_error("applied_on", ORDER_NEEDS_APPLICATION_DATE)
        for name in ("interim_on", "granted_on"):
            value = cleaned.get(name)
            if value and applied and value < applied:
                self.add_error(
                    name, ORDER_GRANTED_BEFORE_APPLIED.format(applied=f"{applied:%-d %B %Y}")
                )
        return cleaned


class OrderStatusForm(Rebuilt, NotFutureMixin, BaseForm):
    not_future = ("on",)
    to = forms.ChoiceField(label="New status")
    on = forms.DateField(label="Date", widget=DateInput())
    conditions = forms.CharField(
        label="Conditions (if they changed)", widget=forms.Textarea, required=False
    )
    expires_on = forms.DateField(label="Due to expire on", required=False, widget=DateInput())
    note = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, order, **kwargs):
        self.order = order
        super().__init__(*args, **kwargs)
        allowed = ORDER_TRANSITIONS[order.status]
        self.fields["to"].choices = [(v, lbl) for v, lbl in OrderStatus.choices if v in allowed]
        self.fields["on"].initial = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        to, on, applied = cleaned.get("to"), cleaned.get("on"), self.order.applied_on
        if to in (OrderStatus.GRANTED, OrderStatus.INTERIM) and on and applied and on < applied:
            self.add_error(
                "on", ORDER_GRANTED_BEFORE_APPLIED.format(applied=f"{applied:%-d %B %Y}")
            )
        return cleaned


class BreachForm(Rebuilt, NotFutureMixin, BaseModelForm):
    not_future = ("occurred_on",)

    class Meta:
        model = OrderBreach
        fields = ["occurred_on", "description", "reported_to_police", "police_reference"]
        widgets = _dates("occurred_on")


# ---- handover ------------------------------------------------------------------------


class HandoverForm(Rebuilt, NotFutureMixin, BaseModelForm):
    not_future = ("made_on",)

    class Meta:
        model = HandoverReferral
        fields = [
            "service",
            "kind",
            "made_on",
            "reason",
            "consent_to_share",
            "consent_covers_contact_details",
            "information_shared",
            "receiving_contact",
        ]
        widgets = {**_dates("made_on"), "kind": forms.RadioSelect}
        help_texts = {
            "consent_covers_contact_details": "Only then are the client's safe phone, "
            "email or postal address shown on the handover summary.",
            "information_shared": "Exactly what you told the service, in the words you used.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = ServiceDirectoryEntry.objects.filter(active=True)

    def clean(self):
        cleaned = super().clean()
        consent = cleaned.get("consent_to_share")
        if cleaned.get("kind") == HandoverReferral.Kind.MANAGED and not consent:
            self.add_error("consent_to_share", HANDOVER_NEEDS_CONSENT)
        if cleaned.get("consent_covers_contact_details") and not consent:
            self.add_error("consent_covers_contact_details", CONTACT_CONSENT_NEEDS_SHARING_CONSENT)
        if consent and not (cleaned.get("information_shared") or "").strip():
            self.add_error("information_shared", HANDOVER_NEEDS_WHAT_SHARED)
        return cleaned


class HandoverAckForm(Rebuilt, NotFutureMixin, BaseForm):
    not_future = ("acknowledged_on",)
    acknowledged_on = forms.DateField(label="Acknowledged on", widget=DateInput())
    acknowledgement = forms.CharField(
        label="How they acknowledged it", max_length=300, required=False
    )

    def __init__(self, *args, handover, **kwargs):
        self.handover = handover
        super().__init__(*args, **kwargs)
        self.fields["acknowledged_on"].initial = timezone.localdate()

    def clean_acknowledged_on(self):
        value = self.cleaned_data["acknowledged_on"]
        if value < self.handover.made_on:
            raise forms.ValidationError(ACK_BEFORE_HANDOVER)
        return value


# ---- outcomes ------------------------------------------------------------------------

RATING_CHOICES = [
    ("1", "1 - Not at all"),
    ("2", "2"),
    ("3", "3"),
    ("4", "4"),
    ("5", "5 - Very much"),
    (OutcomeAnswer.Response.NOT_ASKED, "Not asked"),
    (OutcomeAnswer.Response.DECLINED, "Declined to answer"),
]


class OutcomeForm(Rebuilt, NotFutureMixin, BaseForm):
    not_future = ("recorded_on",)
    recorded_on = forms.DateField(label="Date asked", widget=DateInput())

    def __init__(self, *args, stage, measures, existing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stage = stage
        self.fields["recorded_on"].initial = timezone.localdate()
        self.measures = measures
        for measure in measures:
            choices = list(RATING_CHOICES)
            if measure == OutcomeMeasure.JUSTICE:
                choices.append((OutcomeAnswer.Response.NOT_RELEVANT, "Not relevant to this client"))
            field = forms.ChoiceField(
                label=OutcomeMeasure(measure).label,
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": RATING_RANGE},
            )
            answer = (existing or {}).get(measure)
            if answer is not None:
                field.initial = str(answer.rating) if answer.rating else answer.response
            self.fields[measure] = field
        # The required message names the measure; "not asked" is an answer too.
        for measure in measures:
            self.fields[measure].error_messages["required"] = (
                f"Choose a rating for {OutcomeMeasure(measure).label.lower()}, "
                "or 'not asked' or 'declined'"
            )
        self._rebuild()

    @property
    def is_exit(self):
        return self.stage == OutcomeAssessment.Stage.EXIT


# ---- exit and closure ----------------------------------------------------------------


class ExitPlanForm(Rebuilt, VersionedFormMixin, BaseModelForm):
    class Meta:
        model = ExitPlan
        fields = [
            "readiness",
            "ongoing_safety",
            "who_to_contact",
            "how_to_come_back",
            "agreed_with_client",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("readiness", "ongoing_safety", "who_to_contact", "how_to_come_back")
        }


class ClosureRequestForm(Rebuilt, BaseForm):
    reason = forms.ModelChoiceField(
        label="Reason for closing",
        queryset=ClosureReason.objects.filter(active=True),
        error_messages={"required": CLOSURE_REASON_REQUIRED},
    )
    summary = forms.CharField(
        label="Closing summary",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={"required": CLOSURE_SUMMARY_REQUIRED},
    )
    carried_over = forms.ModelMultipleChoiceField(
        label="Open tasks to carry over after closing",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Every open task must be done or carried over before the case closes.",
    )
    send_letter = forms.BooleanField(label="Send a closing letter", required=False)

    def __init__(self, *args, case, post_allowed: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.post_allowed = post_allowed
        self.fields["carried_over"].queryset = case.tasks.filter(done_at__isnull=True)
        if not post_allowed:
            # No letter where post is not a safe route: the choice is not offered at all.
            del self.fields["send_letter"]
        if not self.fields["carried_over"].queryset.exists():
            del self.fields["carried_over"]
        self._rebuild()

    def clean(self):
        cleaned = super().clean()
        if "carried_over" in self.fields and "carried_over" not in self.errors:
            carried = {t.pk for t in cleaned.get("carried_over") or []}
            blocking = [t for t in self.fields["carried_over"].queryset if t.pk not in carried]
            if blocking:
                self.add_error(
                    "carried_over",
                    CLOSURE_OPEN_TASKS.format(titles=", ".join(t.title for t in blocking)),
                )
        return cleaned


class ClosureDecisionForm(Rebuilt, BaseForm):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve and close the case"), ("return", "Return to the caseworker")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="Comment", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "return" and not cleaned.get("comment", "").strip():
            self.add_error("comment", CLOSURE_RETURN_NEEDS_COMMENT)
        return cleaned


class ReopenForm(Rebuilt, BaseForm):
    reason = forms.CharField(
        label="Why the client is coming back", max_length=250, widget=forms.TextInput
    )


# ---- service level -------------------------------------------------------------------


class AwarenessSessionForm(Rebuilt, NotFutureMixin, BaseModelForm):
    not_future = ("delivered_on",)

    class Meta:
        model = AwarenessSession
        fields = [
            "delivered_on",
            "title",
            "audience_type",
            "district",
            "attendees",
            "delivered_by",
            "notes",
        ]
        widgets = _dates("delivered_on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from stalkingservice.models import User
        from stalkingservice.roles import Role

        self.fields["delivered_by"].queryset = User.objects.filter(
            is_active=True, role__in=[Role.CASEWORKER, Role.MANAGER]
        )
        self.fields["district"].queryset = District.objects.all()


class FeedbackForm(Rebuilt, NotFutureMixin, BaseModelForm):
    not_future = ("received_on", "acknowledged_on", "resolved_on")
    case_reference = forms.CharField(
        label="Case reference (optional)",
        max_length=20,
        required=False,
        help_text="For example STK-2026-00012",
    )

    class Meta:
        model = Feedback
        fields = [
            "kind",
            "received_from",
            "received_on",
            "acknowledged_on",
            "resolved_on",
            "summary",
            "outcome",
            "outcome_notes",
        ]
        widgets = _dates("received_on", "acknowledged_on", "resolved_on")

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        linked = self.instance.case if self.instance.pk and self.instance.case_id else None
        if linked is not None:
            if not cases_visible_to(user).filter(pk=linked.pk).exists():
                # Linked to a case this user may not open: keep the link, never show it.
                del self.fields["case_reference"]
            elif not self.is_bound:
                self.initial["case_reference"] = linked.reference
        self._rebuild()

    def clean_case_reference(self):
        reference = self.cleaned_data["case_reference"].strip().upper()
        if not reference:
            return None
        # Only a case the user may see can be linked; any other is "not found".
        case = cases_visible_to(self.user).filter(reference=reference).first()
        if case is None:
            raise forms.ValidationError("No case with that reference that you can open")
        return case

    def clean(self):
        cleaned = super().clean()
        received = cleaned.get("received_on")
        for name, what in (("acknowledged_on", "acknowledged"), ("resolved_on", "resolved")):
            value = cleaned.get(name)
            if value and received and value < received:
                self.add_error(name, FEEDBACK_DATE_ORDER.format(what=what))
        return cleaned


class FeedbackEditForm(VersionedFormMixin, FeedbackForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._rebuild()
