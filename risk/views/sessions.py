"""The interventions tab (one-to-one sessions, group memberships and attendance) and the
session forms. Thin: load through selectors, call one service."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse

from cases.case_page import case_form_page, case_page_context, with_case
from stalkingservice.roles import Capability
from stalkingservice.views import capability_required

from ..forms.groups import EnrolForm
from ..forms.sessions import SessionForm
from ..selectors import groups as group_selectors
from ..selectors import sessions as session_selectors
from ..services import sessions as session_services


@capability_required(Capability.WORK_CASES)
@with_case
def interventions(request, case):
    context = case_page_context(request, case, "interventions", page_name="interventions")
    programmes = group_selectors.programmes_open_for_enrolment(case=case)
    context.update(
        {
            "page": Paginator(session_selectors.sessions_for_case(case=case), 25).get_page(
                request.GET.get("page")
            ),
            "memberships": group_selectors.group_memberships_for_case(case=case),
            "attendance": list(group_selectors.group_attendance_for_case(case=case)[:50]),
            "enrol_form": EnrolForm(programmes=programmes),
            "enrol_url": reverse("risk:group_enrol", args=[case.pk]),
        }
    )
    return render(request, "risk/intervention_list.html", context)


@capability_required(Capability.WORK_CASES)
@with_case
def session_add(request, case):
    tab_url = reverse("risk:interventions", args=[case.pk])
    return case_form_page(
        request,
        case,
        tab="interventions",
        form=SessionForm(request.POST or None),
        title="Record a one-to-one session",
        save=lambda form: session_services.session_record(
            case=case, data=form.cleaned_data, by=request.user
        ),
        done="Session recorded.",
        success_url=tab_url,
        cancel_url=tab_url,
    )


@capability_required(Capability.WORK_CASES)
@with_case
def session_edit(request, case, session_pk):
    tab_url = reverse("risk:interventions", args=[case.pk])
    return case_form_page(
        request,
        case,
        tab="interventions",
        form=SessionForm(
            request.POST or None, instance=session_selectors.session_get(case=case, pk=session_pk)
        ),
        title="Change a session",
        # A fresh copy: the bound form has already written its input onto its instance.
        save=lambda form: session_services.session_update(
            session=session_selectors.session_get(case=case, pk=session_pk),
            data=form.cleaned_data,
            by=request.user,
        ),
        done="Session saved.",
        success_url=tab_url,
        cancel_url=tab_url,
    )
