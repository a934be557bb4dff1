"""The safety plan tab: actions by section, agreeing a version with the client, earlier
versions and the client's own copy. Thin: load through selectors, call one service."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from cases.case_page import case_form_page, case_page_context, with_case
from stalkingservice.access import capability_required
from stalkingservice.roles import Capability

from ..forms.safety_plan import (
    SafetyActionForm,
    SafetyPlanAgreeForm,
    SafetyPlanCopyConsentForm,
)
from ..models.safety_plan import SafetySection
from ..selectors import safety_plan as safety_plan_selectors
from ..services import safety_plan as safety_plan_services


@capability_required(Capability.WORK_CASES)
@with_case
def safety_plan(request, case):
    context = case_page_context(request, case, "safety", page_name="safety plan")
    plan = safety_plan_selectors.safety_plan_for_case(case=case)
    context.update(
        {
            "plan": plan,
            "sections": safety_plan_selectors.safety_plan_sections(plan=plan),
            "versions": list(plan.versions.select_related("agreed_by")[:20]) if plan else [],
        }
    )
    return render(request, "risk/safety_plan.html", context)


@capability_required(Capability.WORK_CASES)
@with_case
def safety_action_add(request, case):
    plan_url = reverse("risk:safety_plan", args=[case.pk])
    section = request.GET.get("section")
    initial = {"section": section} if section in SafetySection.values else {}
    return case_form_page(
        request,
        case,
        tab="safety",
        form=SafetyActionForm(request.POST or None, initial=initial),
        title="Add a safety plan action",
        save=lambda form: safety_plan_services.safety_action_add(
            case=case, data=form.cleaned_data, by=request.user
        ),
        done="Action added to the safety plan.",
        success_url=plan_url,
        cancel_url=plan_url,
        submit="Add action",
    )


@capability_required(Capability.WORK_CASES)
@with_case
def safety_action_edit(request, case, action_pk):
    plan_url = reverse("risk:safety_plan", args=[case.pk])
    return case_form_page(
        request,
        case,
        tab="safety",
        form=SafetyActionForm(
            request.POST or None,
            instance=safety_plan_selectors.safety_action_get(case=case, pk=action_pk),
        ),
        title="Change a safety plan action",
        # A fresh copy: the bound form has already written its input onto its instance,
        # and the service compares against the saved values to know what changed.
        save=lambda form: safety_plan_services.safety_action_update(
            action=safety_plan_selectors.safety_action_get(case=case, pk=action_pk),
            data=form.cleaned_data,
            by=request.user,
        ),
        done="Safety plan action saved.",
        success_url=plan_url,
        cancel_url=plan_url,
    )


@capability_required(Capability.WORK_CASES)
@with_case
def safety_plan_agree(request, case):
    plan_url = reverse("risk:safety_plan", args=[case.pk])
    return case_form_page(
        request,
        case,
        tab="safety",
        form=SafetyPlanAgreeForm(request.POST or None),
        title="Agree the safety plan with the client",
        intro="This keeps a copy of the plan as it is now and gives it the next version number.",
        save=lambda form: safety_plan_services.safety_plan_agree(
            case=case,
            next_review_on=form.cleaned_data["next_review_on"],
            review_note=form.cleaned_data["review_note"],
            by=request.user,
        ),
        done=lambda plan: f"Version {plan.plan_version} of the safety plan agreed.",
        success_url=plan_url,
        cancel_url=plan_url,
        submit="Record as agreed",
    )


@capability_required(Capability.WORK_CASES)
@with_case
def safety_plan_version(request, case, number):
    version = safety_plan_selectors.safety_plan_version_get(case=case, number=number)
    context = case_page_context(request, case, "safety", page_name=f"safety plan v{number}")
    context["version"] = version
    return render(request, "risk/safety_plan_version.html", context)


@capability_required(Capability.WORK_CASES)
@with_case
def safety_plan_client_copy(request, case):
    pdf = safety_plan_services.safety_plan_client_copy(case=case, by=request.user, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    # A neutral file name: the copy may be seen on the client's own device.
    response["Content-Disposition"] = 'attachment; filename="my-plan.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@capability_required(Capability.WORK_CASES)
@with_case
def safety_plan_copy_consent(request, case):
    plan_url = reverse("risk:safety_plan", args=[case.pk])
    plan = safety_plan_selectors.safety_plan_for_case(case=case)
    initial = {"police_details_on_copy": bool(plan and plan.police_details_on_copy)}
    return case_form_page(
        request,
        case,
        tab="safety",
        form=SafetyPlanCopyConsentForm(request.POST or None, initial=initial),
        title="What goes on the client's copy",
        intro=(
            "The client's copy always has who to call (999 and 55, this service and the "
            "National Stalking Helpline) and the actions they agreed to take away. It never "
            "has their address, phone number, email or code word."
        ),
        save=lambda form: safety_plan_services.safety_plan_copy_consent_set(
            case=case,
            police_details_on_copy=form.cleaned_data["police_details_on_copy"],
            by=request.user,
        ),
        done="What goes on the client's copy is saved.",
        success_url=plan_url,
        cancel_url=plan_url,
    )
