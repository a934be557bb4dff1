"""Managers' sign-off of a lower risk level: the list of those waiting and the decision
page on the case. Thin: load through the user's scope, call one service."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse

from stalkingservice.access import capability_required
from stalkingservice.roles import Capability

from ..case_page import case_form_page, with_case
from ..forms.risk_level import RiskDowngradeDecisionForm
from ..models.risk_level import RiskDowngrade
from ..selectors import risk_level as selectors
from ..selectors.lifecycle import case_child_or_404
from ..services import risk_level as services


@capability_required(Capability.APPROVE_RISK_DOWNGRADE)
def risk_downgrades_awaiting(request):
    page = Paginator(selectors.risk_downgrades_pending(user=request.user), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "cases/risk_level/downgrades_awaiting.html", {"page": page})


@capability_required(Capability.APPROVE_RISK_DOWNGRADE)
@with_case
def risk_downgrade_decide(request, case, item):
    downgrade = case_child_or_404(RiskDowngrade, case=case, pk=item)
    if not downgrade.is_pending:
        messages.info(request, services.DOWNGRADE_NOT_PENDING)
        return redirect("cases:detail", case.pk)

    def decide(form):
        if form.cleaned_data["decision"] == "approve":
            return services.risk_downgrade_approve(
                downgrade=downgrade, note=form.cleaned_data.get("note") or "", by=request.user
            )
        return services.risk_downgrade_reject(
            downgrade=downgrade, note=form.cleaned_data.get("note") or "", by=request.user
        )

    return case_form_page(
        request,
        case,
        tab="risk",
        form=RiskDowngradeDecisionForm(request.POST or None),
        title="Sign off a lower risk level",
        intro=(
            f"{downgrade.proposed_by} proposed lowering the risk level from "
            f"{downgrade.get_from_level_display().lower()} to "
            f"{downgrade.get_proposed_level_display().lower()}"
            f"{' (' + downgrade.source + ')' if downgrade.source else ''} on "
            f"{downgrade.proposed_at:%-d %B %Y}. Reason given: \u201c{downgrade.reason}\u201d. "
            f"The case stays {downgrade.get_from_level_display().lower()} until you decide."
        ),
        save=decide,
        done=lambda d: (
            f"Signed off: the case is now {d.get_proposed_level_display().lower()} risk."
            if d.status == RiskDowngrade.Status.APPROVED
            else f"Kept at {d.get_from_level_display().lower()} risk."
        ),
        success_url=reverse("cases:detail", args=[case.pk]),
        cancel_url=reverse("cases:risk_downgrades_awaiting"),
        page_name="risk downgrade sign-off",
        submit="Record decision",
    )
