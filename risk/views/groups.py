"""Group work: enrolling a client (a case tab form), and the programme pages that belong
to no case (list, set up, change, sessions and the register). Thin: load through
selectors, call one service."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse

from cases.case_page import case_form_page, run_service, save_form, with_case
from stalkingservice.access import capability_required
from stalkingservice.roles import Capability

from ..forms.groups import EnrolForm, GroupProgrammeForm, GroupSessionForm, RegisterForm
from ..selectors import groups as group_selectors
from ..services import groups as group_services

GROUP_FORM_TEMPLATE = "risk/group_form.html"


@capability_required(Capability.WORK_CASES)
@with_case
def group_enrol(request, case):
    tab_url = reverse("risk:interventions", args=[case.pk])
    return case_form_page(
        request,
        case,
        tab="interventions",
        form=EnrolForm(
            request.POST or None,
            programmes=group_selectors.programmes_open_for_enrolment(case=case),
        ),
        title="Enrol on group work",
        intro="Facilitators will see only the name the client likes to be called.",
        save=lambda form: group_services.group_enrol(
            case=case, programme=form.cleaned_data["programme"], by=request.user
        ),
        done=lambda member: f"Enrolled on {member.programme.name}.",
        success_url=tab_url,
        cancel_url=tab_url,
        submit="Enrol",
    )


# ---- the programme pages (no case) ---------------------------------------------------


def _group_form_page(
    request,
    form,
    *,
    title: str,
    save: Callable[[Any], Any],
    done: str,
    success_url: Callable[[Any], str],
    cancel: str,
    programme=None,
):
    """The group pages' one form: like the case pages' (cases.case_page), under the
    group work breadcrumb instead of a case's identity bar."""
    extra: dict = {}
    if request.method == "POST":
        response, extra = save_form(
            request, form, save=save, done=done, success_url=success_url, replay_url=cancel
        )
        if response is not None:
            return response
    context = {
        "form": form,
        "title": title,
        "cancel_url": cancel,
        "programme": programme,
        **extra,
    }
    return render(request, GROUP_FORM_TEMPLATE, context)


@capability_required(Capability.WORK_CASES)
def groups(request):
    programmes = group_selectors.programme_list_for_user(user=request.user)
    page = Paginator(programmes, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "risk/group_list.html",
        {"page": page, "can_manage": request.user.can(Capability.ALLOCATE)},
    )


@capability_required(Capability.ALLOCATE)
def group_add(request):
    return _group_form_page(
        request,
        GroupProgrammeForm(request.POST or None),
        title="Set up a group",
        save=lambda form: group_services.group_programme_create(
            name=form.cleaned_data["name"],
            kind=form.cleaned_data["kind"],
            starts_on=form.cleaned_data["starts_on"],
            description=form.cleaned_data["description"],
            facilitators=form.cleaned_data["facilitators"],
            by=request.user,
        ),
        done="Group set up.",
        success_url=lambda programme: reverse("risk:group_detail", args=[programme.pk]),
        cancel=reverse("risk:groups"),
    )


@capability_required(Capability.ALLOCATE)
def group_edit(request, group_pk):
    programme = group_selectors.programme_get_for_user(user=request.user, pk=group_pk)
    detail_url = reverse("risk:group_detail", args=[programme.pk])
    return _group_form_page(
        request,
        GroupProgrammeForm(request.POST or None, instance=programme),
        title="Change the group",
        # A fresh copy: the bound form has already written its input onto `programme`.
        save=lambda form: group_services.group_programme_update(
            programme=group_selectors.programme_get_for_user(user=request.user, pk=group_pk),
            data=form.cleaned_data,
            by=request.user,
        ),
        done="Group saved.",
        success_url=lambda _: detail_url,
        cancel=detail_url,
        programme=programme,
    )


@capability_required(Capability.WORK_CASES)
def group_detail(request, group_pk):
    programme = group_selectors.programme_get_for_user(user=request.user, pk=group_pk)
    return render(
        request,
        "risk/group_detail.html",
        {
            "programme": programme,
            "facilitators": list(programme.facilitators.all()),
            "attendees": group_selectors.programme_attendees(programme=programme),
            "page": Paginator(group_selectors.programme_sessions(programme=programme), 25).get_page(
                request.GET.get("page")
            ),
            "can_manage": request.user.can(Capability.ALLOCATE),
        },
    )


@capability_required(Capability.WORK_CASES)
def group_session_add(request, group_pk):
    programme = group_selectors.programme_get_for_user(user=request.user, pk=group_pk)
    return _group_form_page(
        request,
        GroupSessionForm(request.POST or None),
        title="Add a group session",
        save=lambda form: group_services.group_session_add(
            programme=programme, data=form.cleaned_data, by=request.user
        ),
        done="Session added.",
        success_url=lambda session: reverse("risk:group_register", args=[programme.pk, session.pk]),
        cancel=reverse("risk:group_detail", args=[programme.pk]),
        programme=programme,
    )


@capability_required(Capability.WORK_CASES)
def group_register(request, group_pk, session_pk):
    programme = group_selectors.programme_get_for_user(user=request.user, pk=group_pk)
    session = group_selectors.group_session_get(programme=programme, pk=session_pk)
    attendees = group_selectors.programme_attendees(programme=programme)
    form = RegisterForm(
        request.POST or None,
        attendees=attendees,
        current=group_selectors.session_attendance_map(session=session),
    )
    extra: dict = {}
    if request.method == "POST" and form.is_valid():
        saved, _, extra = run_service(
            form,
            lambda: group_services.group_attendance_record(
                session=session, marks=form.marks(), by=request.user
            ),
        )
        if saved:
            messages.success(request, "Register saved.")
            return redirect("risk:group_detail", group_pk=programme.pk)
    return render(
        request,
        "risk/group_register.html",
        {
            "programme": programme,
            "session": session,
            "form": form,
            "attendees": attendees,
            **extra,
        },
    )
