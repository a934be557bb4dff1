"""Protective orders and bail conditions: their status history and breaches."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from stalkingservice.models import VersionedModel

from .lifecycle import Case, StatusChange

User = settings.AUTH_USER_MODEL


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

    # Set when the order is recorded; later changes go through the transition table.
    RECORDED_FIELDS = (
        "order_type",
        "status",
        "considered_on",
        "applied_on",
        "interim_on",
        "granted_on",
        "expires_on",
        "court",
        "conditions",
    )

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


class OrderStatusChange(StatusChange):
    order = models.ForeignKey(
        ProtectiveOrder, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=20, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=OrderStatus.choices)
    history = HistoricalRecords()

    class Meta(StatusChange.Meta):
        pass


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

    RECORDED_FIELDS = (
        "occurred_on",
        "description",
        "reported_to_police",
        "police_reference",
    )

    class Meta:
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["case", "occurred_on"], name="breach_case_on")]

    def __str__(self):
        return f"Breach on {self.occurred_on}"
