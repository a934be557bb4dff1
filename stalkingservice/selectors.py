from django import forms

from .forms import BaseForm
from .models import AuditEvent, User
from .roles import Capability


class AuditFilterForm(BaseForm):
    user = forms.ModelChoiceField(
        queryset=User.objects.all(), required=False, label="Member of staff"
    )
    case = forms.IntegerField(required=False, label="Case number (internal id)", min_value=1)
    action = forms.ChoiceField(
        choices=[("", "Any action"), *AuditEvent.Action.choices], required=False
    )
    date_from = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )


def audit_events_filtered(*, user, params):
    """The audit trail as managers may search it: by user, case and date."""
    if not user.can(Capability.VIEW_AUDIT):
        return AuditEvent.objects.none(), AuditFilterForm()
    form = AuditFilterForm(params or None)
    qs = AuditEvent.objects.select_related("user")
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data.get("user"):
            qs = qs.filter(user=data["user"])
        if data.get("case"):
            qs = qs.filter(case_id=data["case"])
        if data.get("action"):
            qs = qs.filter(action=data["action"])
        if data.get("date_from"):
            qs = qs.filter(at__date__gte=data["date_from"])
        if data.get("date_to"):
            qs = qs.filter(at__date__lte=data["date_to"])
    return qs, form
