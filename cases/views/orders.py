"""Protective orders on the police and court tab: recording one, moving its status and
recording a breach."""

from django.contrib import messages
from django.shortcuts import redirect

from stalkingservice.access import capability_required
from stalkingservice.roles import Capability

from ..case_page import tab_form_page, with_case
from ..forms.orders import BreachForm, OrderForm, OrderStatusForm
from ..models.orders import ORDER_TRANSITIONS
from ..selectors.orders import order_for_case
from ..services import orders as services


@capability_required(Capability.WORK_CASES)
@with_case
def order_add(request, case):
    return tab_form_page(
        request,
        case,
        tab="police",
        form=OrderForm(request.POST or None),
        title="Add a protective order or bail conditions",
        save=lambda form: services.order_create(case=case, data=form.cleaned_data, by=request.user),
        done="Order added.",
    )


@capability_required(Capability.WORK_CASES)
@with_case
def order_status(request, case, item):
    order = order_for_case(case=case, pk=item)
    if not ORDER_TRANSITIONS[order.status]:
        messages.info(request, "This order has reached its final status.")
        return redirect("cases:police", case.pk)
    return tab_form_page(
        request,
        case,
        tab="police",
        form=OrderStatusForm(request.POST or None, order=order),
        title=f"Change the status of the {order.get_order_type_display().lower()}",
        intro=f"Now: {order.get_status_display()}.",
        save=lambda form: services.order_transition(
            order=order,
            to=form.cleaned_data["to"],
            on=form.cleaned_data["on"],
            conditions=form.cleaned_data["conditions"],
            expires_on=form.cleaned_data["expires_on"],
            note=form.cleaned_data["note"],
            by=request.user,
        ),
        done="Order status changed.",
    )


@capability_required(Capability.WORK_CASES)
@with_case
def breach_add(request, case, item):
    order = order_for_case(case=case, pk=item)
    return tab_form_page(
        request,
        case,
        tab="police",
        form=BreachForm(request.POST or None),
        title=f"Record a breach of the {order.get_order_type_display().lower()}",
        save=lambda form: services.order_breach_create(
            order=order, data=form.cleaned_data, by=request.user
        ),
        done="Breach recorded.",
    )
