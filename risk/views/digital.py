"""The digital safety tab: dated checks, what each found, and putting a finding on the
safety plan. Thin: load through selectors, call one service."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cases.case_page import case_form_page, case_page_context, with_case
from stalkingservice.domain import DomainError
from stalkingservice.roles import Capability
from stalkingservice.views import capability_required

from ..forms.digital import DigitalCheckForm
from ..selectors import digital as digital_selectors
from ..services import digital as digital_services


def _tab_url(case, check=None) -> str:
    url = reverse("risk:digital_safety", args=[case.pk])
    return f"{url}?check={check.pk}" if check is not None else url


@capability_required(Capability.WORK_CASES)
@with_case
def digital_safety(request, case):
    context = case_page_context(request, case, "digital", page_name="digital safety")
    checks = list(digital_selectors.digital_checks_for_case(case=case)[:50])
    shown = checks[0] if checks else None
    wanted = request.GET.get("check")
    if wanted:
        shown = next((c for c in checks if str(c.pk) == wanted), shown)
    context.update(
        {
            "checks": checks,
            "check": shown,
            "findings": digital_selectors.digital_findings_with_state(shown) if shown else [],
        }
    )
    return render(request, "risk/digital_safety.html", context)


@capability_required(Capability.WORK_CASES)
@with_case
def digital_check_add(request, case):
    # A repeat check starts from the last one's answers, so only changes need entering.
    latest = digital_selectors.digital_checks_for_case(case=case).first()
    initial = digital_selectors.digital_check_initial(latest) if latest else {}
    return case_form_page(
        request,
        case,
        tab="digital",
        form=DigitalCheckForm(request.POST or None, initial=initial),
        title="Digital safety check",
        intro="Removing stalkerware can alert the person stalking and raise the risk: agree "
        "a decision with the client (and police where involved) before anything is removed.",
        save=lambda form: digital_services.digital_check_record(
            case=case, data=form.cleaned_data, by=request.user
        ),
        done=lambda check: f"Digital safety check {check.number} saved.",
        success_url=lambda check: _tab_url(case, check),
        cancel_url=_tab_url(case),
    )


@capability_required(Capability.WORK_CASES)
@with_case
def digital_check_edit(request, case, check_pk):
    check = digital_selectors.digital_check_get(case=case, pk=check_pk)
    return case_form_page(
        request,
        case,
        tab="digital",
        form=DigitalCheckForm(request.POST or None, instance=check),
        title=f"Digital safety check {check.number}",
        # A fresh copy: the bound form has already written its input onto `check`.
        save=lambda form: digital_services.digital_check_update(
            check=digital_selectors.digital_check_get(case=case, pk=check_pk),
            data=form.cleaned_data,
            by=request.user,
        ),
        done=f"Digital safety check {check.number} saved.",
        success_url=_tab_url(case, check),
        cancel_url=_tab_url(case, check),
    )


@capability_required(Capability.WORK_CASES)
@require_POST
@with_case
def digital_finding_add(request, case, check_pk, code):
    check = digital_selectors.digital_check_get(case=case, pk=check_pk)
    try:
        digital_services.digital_finding_add_to_plan(check=check, code=code, by=request.user)
    except DomainError as exc:
        # One button, no form: the refusal is shown as a message on the tab.
        messages.error(request, str(exc))
    else:
        messages.success(request, "Added to the safety plan.")
    return redirect(_tab_url(case, check))
