"""Forms for police liaison and court. They validate; services write. Rules that users
can break by typing are checked here too, so the message sits beside the field."""

from django import forms
from django.utils import timezone

from stalkingservice.forms import BaseForm, BaseModelForm, VersionedFormMixin
from stalkingservice.once import OnceOnlyFormMixin

from ..models.police_court import (
    INVESTIGATION_TRANSITIONS,
    CourtSupport,
    Hearing,
    InvestigationStatus,
    PoliceContact,
    PoliceInvestigation,
    VictimsCodeCheck,
    VictimsCodeRight,
)
from ..services.police_court import (
    HEARING_BEFORE_CHARGE,
    VICTIMS_CODE_NEEDS_ESCALATION,
    charge_date_for,
)
from .common import DateInput, NotFutureMixin, Rebuilt, date_widgets


class InvestigationForm(OnceOnlyFormMixin, Rebuilt, NotFutureMixin, BaseModelForm):
    not_future = ("reported_on",)

    class Meta:
        model = PoliceInvestigation
        fields = PoliceInvestigation.RECORDED_FIELDS
        widgets = date_widgets("reported_on")


class InvestigationEditForm(Rebuilt, VersionedFormMixin, NotFutureMixin, BaseModelForm):
    not_future = ("cps_decision_on",)

    class Meta:
        model = PoliceInvestigation
        fields = PoliceInvestigation.EDITABLE_FIELDS
        widgets = date_widgets("cps_decision_on")


class InvestigationStatusForm(OnceOnlyFormMixin, Rebuilt, NotFutureMixin, BaseForm):
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


class PoliceContactForm(OnceOnlyFormMixin, Rebuilt, NotFutureMixin, BaseModelForm):
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
        fields = PoliceContact.RECORDED_FIELDS
        widgets = date_widgets("contacted_on")

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["investigation"].queryset = case.investigations.all()
        self.fields["investigation"].label = "Crime reference (optional)"


class VictimsCodeForm(OnceOnlyFormMixin, Rebuilt, NotFutureMixin, BaseModelForm):
    not_future = ("checked_on",)
    right = forms.TypedChoiceField(coerce=int, choices=VictimsCodeRight.choices)

    class Meta:
        model = VictimsCodeCheck
        fields = VictimsCodeCheck.RECORDED_FIELDS
        widgets = date_widgets("checked_on")

    field_order = ["right", "explained", "checked_on", "met", "escalation", "escalation_result"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("met") == VictimsCodeCheck.Met.NOT_MET and not cleaned.get("escalation"):
            self.add_error("escalation", VICTIMS_CODE_NEEDS_ESCALATION)
        return cleaned


# ---- court ---------------------------------------------------------------------------


class HearingForm(OnceOnlyFormMixin, Rebuilt, BaseModelForm):
    class Meta:
        model = Hearing
        fields = Hearing.RECORDED_FIELDS
        widgets = date_widgets("hearing_on")

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


class CourtSupportForm(
    OnceOnlyFormMixin, Rebuilt, VersionedFormMixin, NotFutureMixin, BaseModelForm
):
    not_future = ("vps_offered_on", "vps_made_on", "witness_care_last_contact_on")

    class Meta:
        model = CourtSupport
        fields = CourtSupport.EDITABLE_FIELDS
        widgets = date_widgets("vps_offered_on", "vps_made_on", "witness_care_last_contact_on")
