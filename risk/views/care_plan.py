"""The care plan tab: the latest needs assessment, goals and progress notes. Thin: load
through selectors, call one service."""

from django.shortcuts import render
from django.urls import reverse

from cases.case_page import case_form_page, case_page_context, with_case
from stalkingservice.roles import Capability
from stalkingservice.views import capability_required

from ..forms.care_plan import CareGoalForm, NeedsAssessmentForm, ProgressNoteForm
from ..models.care_plan import NeedDomain
from ..selectors import care_plan as care_plan_selectors
from ..services import care_plan as care_plan_services


@capability_required(Capability.WORK_CASES)
@with_case
def care_plan(request, case):
    context = case_page_context(request, case, "care", page_name="care plan")
    latest = care_plan_selectors.needs_assessment_latest(case=case)
    scores = {s.domain: s for s in latest.scores.all()} if latest else {}
    context.update(
        {
            "assessment": latest,
            "needs": [(code, label, scores.get(code)) for code, label in NeedDomain.choices],
            "earlier": list(care_plan_selectors.needs_assessments_for_case(case=case)[1:11]),
            "goals": list(care_plan_selectors.care_goals_for_case(case=case)),
        }
    )
    return render(request, "risk/care_plan.html", context)


@capability_required(Capability.WORK_CASES)
@with_case
def needs_assessment_add(request, case):
    plan_url = reverse("risk:care_plan", args=[case.pk])
    latest = care_plan_selectors.needs_assessment_latest(case=case)
    initial = {}
    if latest:
        for score in latest.scores.all():
            initial[f"rating_{score.domain}"] = score.rating
            initial[f"comment_{score.domain}"] = score.comment
    return case_form_page(
        request,
        case,
        tab="care",
        form=NeedsAssessmentForm(request.POST or None, initial=initial),
        title="Needs assessment",
        intro="Rate each area of need with the client. The last assessment's ratings are filled in.",
        save=lambda form: care_plan_services.needs_assessment_record(
            case=case,
            assessed_on=form.cleaned_data["assessed_on"],
            ratings=form.ratings(),
            notes=form.cleaned_data["notes"],
            by=request.user,
        ),
        done="Needs assessment saved.",
        success_url=plan_url,
        cancel_url=plan_url,
    )


@capability_required(Capability.WORK_CASES)
@with_case
def care_goal_add(request, case):
    plan_url = reverse("risk:care_plan", args=[case.pk])
    domain = request.GET.get("need")
    initial = {"domain": domain} if domain in NeedDomain.values else {}
    return case_form_page(
        request,
        case,
        tab="care",
        form=CareGoalForm(request.POST or None, initial=initial),
        title="Add a care plan goal",
        save=lambda form: care_plan_services.care_goal_add(
            case=case, data=form.cleaned_data, by=request.user
        ),
        done="Goal added to the care plan.",
        success_url=plan_url,
        cancel_url=plan_url,
        submit="Add goal",
    )


@capability_required(Capability.WORK_CASES)
@with_case
def care_goal_edit(request, case, goal_pk):
    plan_url = reverse("risk:care_plan", args=[case.pk])
    return case_form_page(
        request,
        case,
        tab="care",
        form=CareGoalForm(
            request.POST or None, instance=care_plan_selectors.care_goal_get(case=case, pk=goal_pk)
        ),
        title="Change a goal",
        # A fresh copy: the bound form has already written its input onto its instance.
        save=lambda form: care_plan_services.care_goal_update(
            goal=care_plan_selectors.care_goal_get(case=case, pk=goal_pk),
            data=form.cleaned_data,
            by=request.user,
        ),
        done="Goal saved.",
        success_url=plan_url,
        cancel_url=plan_url,
    )


@capability_required(Capability.WORK_CASES)
@with_case
def care_goal_progress(request, case, goal_pk):
    plan_url = reverse("risk:care_plan", args=[case.pk])
    goal = care_plan_selectors.care_goal_get(case=case, pk=goal_pk)
    return case_form_page(
        request,
        case,
        tab="care",
        form=ProgressNoteForm(request.POST or None),
        title=f"Progress on: {goal.goal}",
        save=lambda form: care_plan_services.care_goal_progress_add(
            goal=goal, note=form.cleaned_data["note"], by=request.user
        ),
        done="Progress note added.",
        success_url=plan_url,
        cancel_url=plan_url,
        submit="Add note",
    )
