"""Forms for protective orders, their status and breaches."""

from django import forms
from django.utils import timezone

from stalkingservice.forms import BaseForm, BaseModelForm
from stalkingservice.once import OnceOnlyFormMixin

from ..models.orders import ORDER_TRANSITIONS, OrderBreach, OrderStatus, ProtectiveOrder
from ..services.orders import ORDER_GRANTED_BEFORE_APPLIED, ORDER_NEEDS_APPLICATION_DATE
from .common import DateInput, NotFutureMixin, Rebuilt, date_widgets

NEW_ORDER_STATUSES = [
    (s.value, s.label)
    for s in (OrderStatus.CONSIDERED, OrderStatus.APPLIED, OrderStatus.INTERIM, OrderStatus.GRANTED)
]


class OrderForm(OnceOnlyFormMixin, Rebuilt, NotFutureMixin, BaseModelForm):
    not_future = ("considered_on", "applied_on", "interim_on", "granted_on")
    status = forms.ChoiceField(label="Stage reached", choices=NEW_ORDER_STATUSES)

    class Meta:
        model = ProtectiveOrder
        fields = ProtectiveOrder.RECORDED_FIELDS
        widgets = date_widgets(
            "considered_on", "applied_on", "interim_on", "granted_on", "expires_on"
        )

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


class OrderStatusForm(OnceOnlyFormMixin, Rebuilt, NotFutureMixin, BaseForm):
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


class BreachForm(OnceOnlyFormMixin, Rebuilt, NotFutureMixin, BaseModelForm):
    not_future = ("occurred_on",)

    class Meta:
        model = OrderBreach
        fields = OrderBreach.RECORDED_FIELDS
        widgets = date_widgets("occurred_on")
