"""Forms for the service-level records: awareness sessions, compliments and complaints."""

from django import forms

from stalkingservice.forms import BaseModelForm, VersionedFormMixin
from stalkingservice.models import District, User
from stalkingservice.once import OnceOnlyFormMixin
from stalkingservice.roles import Role

from ..models.service_records import AwarenessSession, Feedback
from ..permissions import cases_visible_to
from ..services.service_records import FEEDBACK_DATE_ORDER
from .common import NotFutureMixin, Rebuilt, date_widgets


class AwarenessSessionForm(OnceOnlyFormMixin, Rebuilt, NotFutureMixin, BaseModelForm):
    not_future = ("delivered_on",)

    class Meta:
        model = AwarenessSession
        fields = AwarenessSession.RECORDED_FIELDS
        widgets = date_widgets("delivered_on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["delivered_by"].queryset = User.objects.filter(
            is_active=True, role__in=[Role.CASEWORKER, Role.MANAGER]
        )
        self.fields["district"].queryset = District.objects.all()


class FeedbackForm(OnceOnlyFormMixin, Rebuilt, NotFutureMixin, BaseModelForm):
    not_future = ("received_on", "acknowledged_on", "resolved_on")
    case_reference = forms.CharField(
        label="Case reference (optional)",
        max_length=20,
        required=False,
        help_text="For example STK-2026-00012",
    )

    class Meta:
        model = Feedback
        fields = Feedback.EDITABLE_FIELDS
        widgets = date_widgets("received_on", "acknowledged_on", "resolved_on")

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["about_staff"].queryset = User.objects.filter(
            is_active=True, role__in=[Role.CASEWORKER, Role.MANAGER]
        ).order_by("first_name", "last_name")
        linked = self.instance.case if self.instance.pk and self.instance.case_id else None
        if linked is not None:
            if not cases_visible_to(user).filter(pk=linked.pk).exists():
                # Linked to a case this user may not open: keep the link, never show it.
                del self.fields["case_reference"]
            elif not self.is_bound:
                self.initial["case_reference"] = linked.reference
        self._rebuild()

    def saved_values(self, current: Feedback) -> dict[str, str]:
        """The linked case on record, by reference (for a stale-edit comparison)."""
        return {"case_reference": current.case.reference if current.case_id else ""}

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
