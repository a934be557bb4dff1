"""Signposting and handover: the tab, recording a handover, its acknowledgement, the
summary shared with the receiving service, and the services directory."""

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from stalkingservice.access import capability_required
from stalkingservice.audit import audit_record
from stalkingservice.models import AuditEvent
from stalkingservice.roles import Capability

from ..case_page import case_page_context, tab_form_page, with_case
from ..forms.handover import HandoverAckForm, HandoverForm
from ..selectors import handover as selectors
from ..services import handover as services
from ..services.client import safe_contact_of


@capability_required(Capability.WORK_CASES)
@with_case
def handovers(request, case):
    context = case_page_context(request, case, "handover", page_name="signposting and handover")
    context["handovers"] = selectors.handovers_for_case(case=case)
    return render(request, "cases/handover/handovers.html", context)


@capability_required(Capability.WORK_CASES)
@with_case
def handover_add(request, case):
    return tab_form_page(
        request,
        case,
        tab="handover",
        form=HandoverForm(request.POST or None),
        title="Signpost or hand over to another service",
        intro="A managed handover needs the client's consent to share. The client's "
        "safe-contact details are only shared when the consent covers them.",
        save=lambda form: services.handover_create(
            case=case, data=form.cleaned_data, by=request.user
        ),
        done="Handover recorded.",
        submit="Record handover",
    )


@capability_required(Capability.WORK_CASES)
@with_case
def handover_acknowledge(request, case, item):
    handover = selectors.handover_for_case(case=case, pk=item)
    return tab_form_page(
        request,
        case,
        tab="handover",
        form=HandoverAckForm(request.POST or None, handover=handover),
        title=f"Acknowledgement from {handover.service}",
        save=lambda form: services.handover_acknowledge(
            handover=handover,
            acknowledged_on=form.cleaned_data["acknowledged_on"],
            acknowledgement=form.cleaned_data["acknowledgement"],
            version=form.cleaned_data.get("version"),
            by=request.user,
        ),
        done="Acknowledgement recorded.",
    )


@capability_required(Capability.WORK_CASES)
@with_case
def handover_summary(request, case, item):
    """The summary to read out or send to the receiving service. Safe-contact details
    appear only when the client's consent covers them."""
    handover = selectors.handover_for_case(case=case, pk=item)
    context = case_page_context(request, case, "handover", page_name="handover summary")
    services.handover_summary_logged(handover=handover, by=request.user)
    context["handover"] = handover
    context["safe_contact"] = (
        safe_contact_of(case.client) if handover.may_include_contact_details else None
    )
    if request.GET.get("format") == "text":
        audit_record(
            action=AuditEvent.Action.DOWNLOAD,
            request=request,
            case_id=case.pk,
            detail=f"Handover summary {handover.pk} as text",
        )
        response = HttpResponse(
            render_to_string("cases/handover/handover_summary.txt", context),
            content_type="text/plain; charset=utf-8",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="handover-{case.reference}-{handover.pk}.txt"'
        )
        return response
    return render(request, "cases/handover/handover_summary.html", context)


@capability_required(Capability.WORK_CASES)
def service_directory(request):
    return render(
        request, "cases/handover/directory.html", {"services": selectors.service_directory()}
    )
