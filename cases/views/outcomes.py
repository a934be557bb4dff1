"""The outcomes tab: the client's ratings at entry and exit, side by side."""

from django.http import Http404
from django.shortcuts import render

from stalkingservice.access import capability_required
from stalkingservice.roles import Capability

from ..case_page import case_page_context, tab_form_page, with_case
from ..forms.outcomes import OutcomeForm
from ..models.outcomes import OutcomeAssessment
from ..selectors import outcomes as selectors
from ..services import outcomes as services


@capability_required(Capability.WORK_CASES)
@with_case
def outcomes(request, case):
    context = case_page_context(request, case, "outcomes", page_name="outcome measures")
    assessments, rows = selectors.outcome_rows(case=case)
    context.update({"assessments": assessments, "rows": rows})
    return render(request, "cases/outcomes/outcomes.html", context)


@capability_required(Capability.WORK_CASES)
@with_case
def outcome_record(request, case, stage):
    if stage not in OutcomeAssessment.Stage.values:
        raise Http404
    label = OutcomeAssessment.Stage(stage).label
    existing = case.outcome_assessments.filter(stage=stage).first()
    form = OutcomeForm(
        request.POST or None,
        stage=stage,
        measures=selectors.outcome_measures_for_stage(stage),
        assessment=existing,
    )
    return tab_form_page(
        request,
        case,
        tab="outcomes",
        form=form,
        title=f"Outcome measures: {label.lower()}",
        intro="Ask the client to rate each from 1 (not at all) to 5 (very much). Record "
        "'not asked' or 'declined' as they are: they are never counted as a score.",
        save=lambda form: services.outcomes_record(
            case=case,
            stage=stage,
            answers={m: form.cleaned_data[m] for m in form.measures},
            recorded_on=form.cleaned_data["recorded_on"],
            version=form.cleaned_data.get("version"),
            by=request.user,
        ),
        done=f"{label} outcome measures saved.",
    )
