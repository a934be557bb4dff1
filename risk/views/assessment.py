"""Risk tab (assessments, level history, MARAC, reviews) and the manager's list of
high-risk cases due a review. Thin: load, call a service, redirect."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cases.case_page import case_form_page, case_page_context, save_form, with_case
from cases.selectors.risk_level import risk_downgrades_for_case
from cases.services.risk_level import held_level
from stalkingservice.access import capability_required
from stalkingservice.domain import StaleEdit
from stalkingservice.roles import Capability

from ..forms.assessment import AssessmentForm, MaracReferralForm, MaracUpdateForm
from ..models.assessment import RiskAssessment
from ..models.tools import Answer
from ..selectors import assessment as assessment_selectors
from ..selectors.tools import risk_tool_get, risk_tools_offered
from ..services import assessment as assessment_services

# ---- risk tab ------------------------------------------------------------------------


@capability_required(Capability.WORK_CASES)
@with_case
def case_risk(request, case):
    context = case_page_context(request, case, "risk", page_name="risk")
    history = assessment_selectors.risk_history(case=case)
    page = Paginator(assessment_selectors.assessments_for_case(case=case), 20).get_page(
        request.GET.get("page")
    )
    context.update(
        {
            "tools": risk_tools_offered(),
            "page": page,
            "history": history,
            "chart": assessment_selectors.risk_chart(history=history),
            "prompts": assessment_selectors.marac_prompts(case=case),
            "referrals": assessment_selectors.marac_referrals_for_case(case=case),
            "review": assessment_selectors.review_status(case=case),
            "downgrades": list(risk_downgrades_for_case(case=case)[:20]),
            "can_sign_off_downgrade": request.user.can(Capability.APPROVE_RISK_DOWNGRADE),
        }
    )
    context["pending_downgrade"] = next((d for d in context["downgrades"] if d.is_pending), None)
    return render(request, "risk/assessment_tab.html", context)


def _draft_initial(assessment: RiskAssessment) -> dict:
    """A saved draft, as the form shows it."""
    initial = {
        "assessed_on": assessment.assessed_on,
        "assessor_level": assessment.assessor_level,
        "judgement_level": assessment.judgement_level,
        "judgement_reason": assessment.judgement_reason,
        "summary_ratings": assessment.summary_ratings,
        "received_tool": assessment.received_tool,
        "received_version": assessment.received_version,
        "received_score": assessment.score,
        "received_level": assessment.received_level,
        "received_from": assessment.received_from,
        "notes": assessment.notes,
        "downgrade_reason": assessment.downgrade_reason,
        "version": assessment.version,
    }
    for item_id, (answer, comment) in assessment_selectors.assessment_answers(
        assessment=assessment
    ).items():
        initial[f"q_{item_id}"] = answer
        initial[f"c_{item_id}"] = comment
    return initial


def _comparable(current: RiskAssessment) -> RiskAssessment:
    """The saved draft with its answers under the form's field names, so the stale-edit
    comparison shows the other person's answers beside the user's (not blanks)."""
    for item_id, (answer, comment) in assessment_selectors.assessment_answers(
        assessment=current
    ).items():
        setattr(current, f"q_{item_id}", Answer(answer).label if answer else "")
        setattr(current, f"c_{item_id}", comment)
    current.received_score = current.score
    return current


def _assessment_saved_messages(request, tool, result, complete) -> str:
    """The messages after a save (given here: there may be a warning as well)."""
    saved = result.assessment
    if saved.is_complete:
        level = saved.get_final_level_display()
        messages.success(
            request, f"{tool.name} completed" + (f": {level.lower()} risk." if level else ".")
        )
        downgrade = result.downgrade
        if downgrade is not None:
            messages.warning(
                request,
                assessment_services.DOWNGRADE_PENDING.format(
                    proposed=downgrade.get_proposed_level_display().lower(),
                    held=downgrade.get_from_level_display().lower(),
                ),
            )
        return ""
    if complete and result.missing:
        numbers = ", ".join(str(n) for n in result.missing)
        messages.warning(request, assessment_services.ASSESSMENT_INCOMPLETE.format(numbers=numbers))
    else:
        messages.success(request, "Draft saved. No risk level is set until it is complete.")
    return ""


def _assessment_saved_url(case, result) -> str:
    saved = result.assessment
    if saved.is_complete:
        return reverse("risk:case_risk", args=[case.pk])
    return reverse("risk:assessment", args=[case.pk, saved.pk])


def _assessment_page(request, case, tool, assessment=None):
    """The one assessment form (two submit buttons: complete, or keep as a draft)."""
    items = list(tool.items.all()) if tool.has_items else []
    initial = _draft_initial(assessment) if assessment is not None else {}
    form = AssessmentForm(
        request.POST or None,
        tool=tool,
        items=items,
        initial=initial,
        held_level=held_level(case),
    )
    extra: dict = {}
    if request.method == "POST":
        complete = request.POST.get("action") == "complete"

        def save(form):
            try:
                return assessment_services.assessment_save(
                    case=case,
                    tool=tool,
                    by=request.user,
                    complete=complete,
                    assessment=assessment,
                    **form.service_kwargs(),
                )
            except StaleEdit as exc:
                if exc.current is not None:
                    exc.current = _comparable(exc.current)
                raise

        response, extra = save_form(
            request,
            form,
            save=save,
            done=lambda result: _assessment_saved_messages(request, tool, result, complete),
            success_url=lambda result: _assessment_saved_url(case, result),
            replay_url=reverse("risk:case_risk", args=[case.pk]),
        )
        if response is not None:
            return response
    context = case_page_context(request, case, "risk", page_name=f"risk assessment {tool.code}")
    yes = sum(1 for i in items if (form[f"q_{i.pk}"].value() or "") == "yes")
    context.update(
        {
            "form": form,
            "tool": tool,
            "assessment": assessment,
            "yes_count": yes,
            "item_count": len(items),
            **extra,
        }
    )
    return render(request, "risk/assessment_form.html", context)


@capability_required(Capability.WORK_CASES)
@require_http_methods(["GET", "POST"])
@with_case
def assessment_new(request, case, tool_code):
    return _assessment_page(request, case, risk_tool_get(code=tool_code))


@capability_required(Capability.WORK_CASES)
@require_http_methods(["GET", "POST"])
@with_case
def assessment_detail(request, case, assessment_pk):
    assessment = assessment_selectors.assessment_get(case=case, pk=assessment_pk)
    if assessment.status == RiskAssessment.Status.DRAFT:
        return _assessment_page(request, case, assessment.tool, assessment)
    if request.method == "POST":
        messages.error(request, assessment_services.ASSESSMENT_ALREADY_COMPLETE)
        return redirect("risk:assessment", case.pk, assessment.pk)
    context = case_page_context(request, case, "risk", page_name="risk assessment")
    answers = list(assessment.answers.select_related("item").order_by("item__number"))
    context.update({"assessment": assessment, "answers": answers})
    return render(request, "risk/assessment_detail.html", context)


# ---- MARAC ---------------------------------------------------------------------------

MARAC_TEMPLATE = "risk/assessment_marac_form.html"


@capability_required(Capability.WORK_CASES)
@require_http_methods(["GET", "POST"])
@with_case
def marac_new(request, case):
    prompts = assessment_selectors.marac_prompts(case=case)
    initial = {"referred_on": timezone.localdate(), **{p.code: True for p in prompts}}
    form = MaracReferralForm(request.POST or None, initial=initial)
    return case_form_page(
        request,
        case,
        tab="risk",
        form=form,
        title="Record a MARAC referral",
        save=lambda form: assessment_services.marac_refer(
            case=case,
            referred_on=form.cleaned_data["referred_on"],
            criteria={c: form.cleaned_data.get(c) for c in assessment_services.MARAC_CRITERIA},
            reason=form.cleaned_data.get("reason") or "",
            meeting_on=form.cleaned_data.get("meeting_on"),
            by=request.user,
        ),
        done="MARAC referral recorded.",
        success_url=reverse("risk:case_risk", args=[case.pk]),
        cancel_url=reverse("risk:case_risk", args=[case.pk]),
        template=MARAC_TEMPLATE,
        page_name="MARAC referral",
        extra_context={"prompts": prompts},
    )


@capability_required(Capability.WORK_CASES)
@require_http_methods(["GET", "POST"])
@with_case
def marac_edit(request, case, marac_pk):
    referral = assessment_selectors.marac_get(case=case, pk=marac_pk)
    form = MaracUpdateForm(request.POST or None, instance=referral)
    return case_form_page(
        request,
        case,
        tab="risk",
        form=form,
        title=f"MARAC referral of {referral.referred_on:%-d %B %Y}",
        # A fresh copy: the bound form has already written its input onto `referral`.
        save=lambda form: assessment_services.marac_update(
            referral=assessment_selectors.marac_get(case=case, pk=marac_pk),
            meeting_on=form.cleaned_data.get("meeting_on"),
            actions=form.cleaned_data.get("actions") or "",
            outcome=form.cleaned_data.get("outcome") or "",
            version=form.cleaned_data.get("version"),
            by=request.user,
        ),
        done="MARAC referral updated.",
        success_url=reverse("risk:case_risk", args=[case.pk]),
        cancel_url=reverse("risk:case_risk", args=[case.pk]),
        template=MARAC_TEMPLATE,
        page_name="MARAC referral",
        extra_context={"referral": referral},
    )


# ---- manager's review list -------------------------------------------------------------


@capability_required(Capability.SEE_ALL_CASES)
def high_risk_reviews(request):
    today = timezone.localdate()
    page = Paginator(assessment_selectors.high_risk_cases_needing_review(today=today), 25).get_page(
        request.GET.get("page")
    )
    for case in page:
        case.review = assessment_selectors.review_status(case=case, today=today)
    return render(request, "risk/assessment_review_list.html", {"page": page, "today": today})
