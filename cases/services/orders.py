"""Protective orders and bail conditions: recorded at the stage they reached, moved along
the transition table, and their breaches."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from stalkingservice.domain import DomainError, bump_version
from stalkingservice.updates import only, save_with_reason

from .. import events
from ..models.lifecycle import Case
from ..models.orders import (
    ORDER_TRANSITIONS,
    OrderBreach,
    OrderStatus,
    OrderStatusChange,
    ProtectiveOrder,
)
from .common import not_future
from .lifecycle import case_record_event

ORDER_MOVE = "An order that is {current} cannot move to {target}."
ORDER_GRANTED_BEFORE_APPLIED = "An order cannot be granted before it was applied for ({applied})."
ORDER_NEEDS_APPLICATION_DATE = "Enter the date the order was applied for before it is granted."
ORDER_NEW_STAGE = "A new order starts as considered, applied for, interim or granted."

_ORDER_DATE_FIELD: dict[str, str] = {
    OrderStatus.CONSIDERED: "considered_on",
    OrderStatus.APPLIED: "applied_on",
    OrderStatus.INTERIM: "interim_on",
    OrderStatus.GRANTED: "granted_on",
    OrderStatus.REFUSED: "refused_on",
    OrderStatus.VARIED: "varied_on",
    OrderStatus.EXPIRED: "expired_on",
}


def order_can_move(current: str, target: str) -> bool:
    return target in ORDER_TRANSITIONS.get(current, frozenset())


def _check_order_dates(order: ProtectiveOrder):
    for name in _ORDER_DATE_FIELD.values():
        not_future(getattr(order, name), field=name)
    if order.status in (OrderStatus.GRANTED, OrderStatus.INTERIM) and not order.applied_on:
        raise DomainError(ORDER_NEEDS_APPLICATION_DATE, field="applied_on")
    for name in ("interim_on", "granted_on"):
        value = getattr(order, name)
        if value and order.applied_on and value < order.applied_on:
            raise DomainError(
                ORDER_GRANTED_BEFORE_APPLIED.format(applied=f"{order.applied_on:%-d %B %Y}"),
                field=name,
            )


@transaction.atomic
def order_create(*, case: Case, data: dict, by) -> ProtectiveOrder:
    """Record an order at the stage it has reached (considered, applied, interim, granted);
    the dates up to that stage are checked."""
    order = ProtectiveOrder(case=case, by=by, **only(data, ProtectiveOrder.RECORDED_FIELDS))
    if order.status not in (
        OrderStatus.CONSIDERED,
        OrderStatus.APPLIED,
        OrderStatus.INTERIM,
        OrderStatus.GRANTED,
    ):
        raise DomainError(ORDER_NEW_STAGE, field="status")
    date_field = _ORDER_DATE_FIELD[order.status]
    if getattr(order, date_field) is None:
        setattr(order, date_field, timezone.localdate())
    _check_order_dates(order)
    save_with_reason(order, "Order recorded")
    OrderStatusChange.objects.create(
        order=order, to_status=order.status, changed_on=getattr(order, date_field), by=by
    )
    case_record_event(
        case=case,
        kind=events.ORDER_RECORDED,
        by=by,
        summary=str(order),
        data={"order_type": order.order_type, "status": order.status},
    )
    return order


@transaction.atomic
def order_transition(
    *,
    order: ProtectiveOrder,
    to: str,
    on: dt.date,
    conditions: str = "",
    expires_on: dt.date | None = None,
    note: str = "",
    by,
) -> ProtectiveOrder:
    """Move an order along the transition table; granted/interim/varied may bring new
    conditions and an expiry date."""
    order = ProtectiveOrder.objects.select_for_update().get(pk=order.pk)
    current = order.status
    if not order_can_move(current, to):
        raise DomainError(
            ORDER_MOVE.format(
                current=OrderStatus(current).label.lower(), target=OrderStatus(to).label.lower()
            )
        )
    order.status = to
    setattr(order, _ORDER_DATE_FIELD[to], on)
    if conditions:
        order.conditions = conditions
    if expires_on:
        order.expires_on = expires_on
    _check_order_dates(order)
    bump_version(order)
    save_with_reason(order, f"Status {current} -> {to}")
    OrderStatusChange.objects.create(
        order=order, from_status=current, to_status=to, changed_on=on, note=note[:300], by=by
    )
    case_record_event(
        case=order.case,
        kind=events.ORDER_STATUS,
        by=by,
        summary=f"{order.get_order_type_display()}: {OrderStatus(to).label}",
        data={"order_type": order.order_type, "from": current, "to": to},
    )
    return order


@transaction.atomic
def order_breach_create(*, order: ProtectiveOrder, data: dict, by) -> OrderBreach:
    """Record a breach of an order (and whether it was reported to police)."""
    not_future(data.get("occurred_on"), field="occurred_on")
    breach = OrderBreach(
        order=order, case=order.case, by=by, **only(data, OrderBreach.RECORDED_FIELDS)
    )
    save_with_reason(breach, "Breach recorded")
    case_record_event(
        case=order.case,
        kind=events.ORDER_BREACH,
        by=by,
        summary=f"Breach of {order.get_order_type_display().lower()}"
        + (" reported to police" if breach.reported_to_police else ""),
    )
    return breach
