"""Reads for the safety plan, reached through a case the user may see."""

from django.http import Http404

from ..models.safety_plan import SafetyAction, SafetyPlan, SafetySection


def safety_plan_for_case(*, case) -> SafetyPlan | None:
    return SafetyPlan.objects.select_related("agreed_by").filter(case=case).first()


def safety_plan_sections(*, plan: SafetyPlan | None) -> list[dict]:
    """Every section in order, each with its actions (one query)."""
    actions = []
    if plan is not None:
        actions = list(plan.actions.select_related("source_check").order_by("due_on", "id"))
    by_section: dict[str, list[SafetyAction]] = {code: [] for code in SafetySection.values}
    for action in actions:
        by_section[action.section].append(action)
    return [
        {"code": code, "label": label, "actions": by_section[code]}
        for code, label in SafetySection.choices
    ]


def safety_action_get(*, case, pk) -> SafetyAction:
    try:
        return SafetyAction.objects.select_related("plan").get(plan__case=case, pk=pk)
    except (SafetyAction.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def safety_plan_version_get(*, case, number):
    plan = safety_plan_for_case(case=case)
    if plan is None:
        raise Http404
    version = plan.versions.select_related("agreed_by").filter(number=number).first()
    if version is None:
        raise Http404
    return version
