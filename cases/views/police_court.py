"""The police and court tab: crime reports and their status, contacts with police, the
Victims' Code, hearings and court support. (Orders share the tab: views/orders.py.)"""

from django.contrib import messages
from django.shortcuts import redirect, render

from stalkingservice.access import capability_required
from stalkingservice.roles import Capability

from ..case_page import case_page_context, tab_form_page, with_case
from ..forms.police_court import (
    CourtSupportForm,
    HearingForm,
    InvestigationEditForm,
    InvestigationForm,
    InvestigationStatusForm,
    PoliceContactForm,
    VictimsCodeForm,
)
from ..models.police_court import INVESTIGATION_TRANSITIONS, CourtSupport, VictimsCodeCheck
from ..selectors import police_court as selectors
from ..services import police_court as services


@capability_required(Capability.WORK_CASES)
@with_case
def police(request, case):
    context = case_page_context(request, case, "police", page_name="police and court")
    context.update(selectors.police_page(case=case))
    return render(request, "cases/police_court/police.html", context)


def _from_query(request) -> dict:
    """A crime report started from an incident comes with its reference, officer and date
    in the query string: the form opens filled in (the worker checks it and saves)."""
    return {
        name: request.GET[name][:200]
        for name in ("crime_reference", "officer_name", "reported_on")
        if request.GET.get(name)
    }


@capability_required(Capability.WORK_CASES)
@with_case
def investigation_add(request, case):
    return tab_form_page(
        request,
        case,
        tab="police",
        form=InvestigationForm(request.POST or None, initial=_from_query(request)),
        title="Add a crime report",
        save=lambda form: services.investigation_create(
            case=case, data=form.cleaned_data, by=request.user
        ),
        done="Crime report added.",
    )


@capability_required(Capability.WORK_CASES)
@with_case
def investigation_edit(request, case, item):
    investigation = selectors.investigation_for_case(case=case, pk=item)
    return tab_form_page(
        request,
        case,
        tab="police",
        form=InvestigationEditForm(request.POST or None, instance=investigation),
        title=f"Police details for {investigation.crime_reference}",
        save=lambda form: services.investigation_update(
            investigation=investigation,
            data=form.cleaned_data,
            version=form.cleaned_data.get("version"),
            by=request.user,
        ),
        done="Police details saved.",
    )


@capability_required(Capability.WORK_CASES)
@with_case
def investigation_status(request, case, item):
    investigation = selectors.investigation_for_case(case=case, pk=item)
    if not INVESTIGATION_TRANSITIONS[investigation.status]:
        messages.info(request, "This investigation has reached its final status.")
        return redirect("cases:police", case.pk)
    return tab_form_page(
        request,
        case,
        tab="police",
        form=InvestigationStatusForm(request.POST or None, investigation=investigation),
        title=f"Change the status of {investigation.crime_reference}",
        intro=f"Now: {investigation.get_status_display()} since "
        f"{investigation.status_changed_on:%-d %B %Y}.",
        save=lambda form: services.investigation_transition(
            investigation=investigation,
            to=form.cleaned_data["to"],
            on=form.cleaned_data["on"],
            note=form.cleaned_data["note"],
            by=request.user,
        ),
        done="Investigation status changed.",
    )


@capability_required(Capability.WORK_CASES)
@with_case
def police_contact_add(request, case):
    return tab_form_page(
        request,
        case,
        tab="police",
        form=PoliceContactForm(request.POST or None, case=case),
        title="Log a contact with police",
        save=lambda form: services.police_contact_create(
            case=case,
            data=form.cleaned_data,
            follow_up_title=form.cleaned_data["follow_up_title"],
            follow_up_due=form.cleaned_data["follow_up_due"],
            by=request.user,
        ),
        done="Police contact logged.",
    )


def _victims_code_form(request, case) -> VictimsCodeForm:
    """The form, opened on the right asked for (?right=N) with what is recorded for it."""
    data = request.POST or None
    form = VictimsCodeForm(data)
    right = request.GET.get("right")
    # isdigit() alone lets "²" through to int(), a server error: ASCII digits only.
    if data is None and right and right.isascii() and right.isdigit():
        form.initial["right"] = int(right)
        existing = case.victims_code_checks.filter(right=int(right)).first()
        if existing:
            for name in VictimsCodeCheck.RECORDED_FIELDS:
                form.initial[name] = getattr(existing, name)
    return form


@capability_required(Capability.WORK_CASES)
@with_case
def victims_code_add(request, case):
    return tab_form_page(
        request,
        case,
        tab="police",
        form=_victims_code_form(request, case),
        title="Victims' Code: record a right",
        save=lambda form: services.victims_code_record(
            case=case, right=form.cleaned_data["right"], data=form.cleaned_data, by=request.user
        ),
        done="Victims' Code right recorded.",
    )


@capability_required(Capability.WORK_CASES)
@with_case
def hearing_add(request, case):
    return tab_form_page(
        request,
        case,
        tab="police",
        form=HearingForm(request.POST or None, case=case),
        title="Add a court hearing",
        save=lambda form: services.hearing_create(
            case=case, data=form.cleaned_data, by=request.user
        ),
        done="Hearing added.",
    )


@capability_required(Capability.WORK_CASES)
@with_case
def court_support(request, case):
    instance = CourtSupport.objects.filter(case=case).first()
    return tab_form_page(
        request,
        case,
        tab="police",
        form=CourtSupportForm(request.POST or None, instance=instance),
        title="Court support: special measures, VPS, Witness Care",
        save=lambda form: services.court_support_save(
            case=case,
            data=form.cleaned_data,
            version=form.cleaned_data.get("version"),
            by=request.user,
        ),
        done="Court support saved.",
    )
