"""Forms for signposting and handover."""

from django import forms
from django.utils import timezone

from stalkingservice.forms import BaseForm, BaseModelForm
from stalkingservice.once import OnceOnlyFormMixin

from ..models.handover import HandoverReferral, ServiceDirectoryEntry
from ..services.handover import (
    ACK_BEFORE_HANDOVER,
    CONTACT_CONSENT_NEEDS_SHARING_CONSENT,
    HANDOVER_NEEDS_CONSENT,
    HANDOVER_NEEDS_WHAT_SHARED,
)
from .common import DateInput, NotFutureMixin, Rebuilt, carry_version, date_widgets


class HandoverForm(OnceOnlyFormMixin, Rebuilt, NotFutureMixin, BaseModelForm):
    not_future = ("made_on",)

    class Meta:
        model = HandoverReferral
        fields = HandoverReferral.RECORDED_FIELDS
        widgets = {**date_widgets("made_on"), "kind": forms.RadioSelect}
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
        carry_version(self, handover)
        self._rebuild()

    def clean_acknowledged_on(self):
        value = self.cleaned_data["acknowledged_on"]
        if value < self.handover.made_on:
            raise forms.ValidationError(ACK_BEFORE_HANDOVER)
        return value
