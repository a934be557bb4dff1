"""Case tabs for the safety plan, care plan, interventions and digital safety, and the
group work pages. Thin: load through selectors, call one service, message, redirect."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cases.case_page import case_page_context
from cases.selectors.lifecycle import case_get_for_user
from stalkingservice.domain import DomainError
from stalkingservice.roles import Capability
from stalkingservice.views import capability_required

from . import plan_selectors as selectors
from . import plan_services as services
from .models import NeedDomain, SafetySection
from .plan_forms import (
    CareGoalForm,
    DigitalCheckForm,
    EnrolForm,
    GroupProgrammeForm,
    GroupSessionForm,
    NeedsAssessmentForm,
    ProgressNoteForm,
    RegisterForm,
    SafetyActionForm,
    SafetyPlanAgreeForm,
    SessionForm,
)

FORM_TEMPLATE = "risk/plan_form.html"
GROUP_FORM_TEMPLATE = "risk/group_form.html"


def _case(request, pk):
    return case_get_for_user(user=request.user, pk=pk)


def _case_form_page(request, case, tab, form, *, title, cancel, intro="", submit="Save"):
    context = case_page_context(request, case, tab, page_name=title.lower())
    context.update(
        {"form": form, "title": title, "cancel_url": cancel, "intro": intro, "submit": submit}
    )
    return render(request, FORM_TEMPLATE, context)


def _run(form, call):
    """Call a service; a refusal becomes a message on the form (never a 500)."""
    try:
        return call()
    except DomainError as exc:
        form.add_error(None, str(exc))
        return None


# ---- safety plan -------------------------------------------------------------------


@capability_required(Capability.WORK_CASES)
def safety_plan(request, pk):
    case = _case(request, pk)
    context = case_page_context(request, case, "safety", page_name="safety plan")
    plan = selectors.safety_plan_for_case(case=case)
    context.update(
        {
            "plan": plan,
            "sections": selectors.safety_plan_sections(plan=plan),
            "versions": list(plan.versions.select_related("agreed_by")[:20]) if plan else [],
        }
    )
    return render(request, "risk/safety_plan.html", context)


@capability_required(Capability.WORK_CASES)
def safety_action_add(request, pk):
    case = _case(request, pk)
    cancel = reverse("risk:safety_plan", args=[case.pk])
    section = request.GET.get("section")
    initial = {"section": section} if section in SafetySection.values else {}
    form = SafetyActionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _run(form, lambda: services.safety_action_add(case=case, data=data, by=request.user)):
            messages.success(request, "Action added to the safety plan.")
            return redirect(cancel)
    return _case_form_page(
        request,
        case,
        "safety",
        form,
        title="Add a safety plan action",
        cancel=cancel,
        submit="Add action",
    )


@capability_required(Capability.WORK_CASES)
def safety_action_edit(request, pk, action_pk):
    case = _case(request, pk)
    action = selectors.safety_action_get(case=case, pk=action_pk)
    cancel = reverse("risk:safety_plan", args=[case.pk])
    form = SafetyActionForm(request.POST or None, instance=action)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _run(
            form, lambda: services.safety_action_update(action=action, data=data, by=request.user)
        ):
            messages.success(request, "Safety plan action saved.")
            return redirect(cancel)
    return _case_form_page(
        request, case, "safety", form, title="Change a safety plan action", cancel=cancel
    )


@capability_required(Capability.WORK_CASES)
def safety_plan_agree(request, pk):
    case = _case(request, pk)
    cancel = reverse("risk:safety_plan", args=[case.pk])
    form = SafetyPlanAgreeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        plan = _run(
            form,
            lambda: services.safety_plan_agree(
                case=case,
                next_review_on=data["next_review_on"],
                review_note=data["review_note"],
                by=request.user,
            ),
        )
        if plan:
            messages.success(request, f"Version {plan.plan_version} of the safety plan agreed.")
            return redirect(cancel)
    return _case_form_page(
        request,
        case,
        "safety",
        form,
        title="Agree the safety plan with the client",
        cancel=cancel,
        intro="This keeps a copy of the plan as it is now and gives it the next version number.",
        submit="Record as agreed",
    )


@capability_required(Capability.WORK_CASES)
def safety_plan_version(request, pk, number):
    case = _case(request, pk)
    version = selectors.safety_plan_version_get(case=case, number=number)
    context = case_page_context(request, case, "safety", page_name=f"safety plan v{number}")
    context["version"] = version
    return render(request, "risk/safety_plan_version.html", context)


@capability_required(Capability.WORK_CASES)
def safety_plan_client_copy(request, pk):
    case = _case(request, pk)
    pdf = services.safety_plan_client_copy(case=case, by=request.user, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    # A neutral file name: the copy may be seen on the client's own device.
    response["Content-Disposition"] = 'attachment; filename="my-plan.pdf"'
    response["Cache-Control"] = "no-store"
    return response


# ---- care plan ---------------------------------------------------------------------


@capability_required(Capability.WORK_CASES)
def care_plan(request, pk):
    case = _case(request, pk)
    context = case_page_context(request, case, "care", page_name="care plan")
    latest = selectors.needs_assessment_latest(case=case)
    scores = {s.domain: s for s in latest.scores.all()} if latest else {}
    context.update(
        {
            "assessment": latest,
            "needs": [(code, label, scores.get(code)) for code, label in NeedDomain.choices],
            "earlier": list(selectors.needs_assessments_for_case(case=case)[1:11]),
            "goals": list(selectors.care_goals_for_case(case=case)),
        }
    )
    return render(request, "risk/care_plan.html", context)


@capability_required(Capability.WORK_CASES)
def needs_assessment_add(request, pk):
    case = _case(request, pk)
    cancel = reverse("risk:care_plan", args=[case.pk])
    latest = selectors.needs_assessment_latest(case=case)
    initial = {}
    if latest:
        for score in latest.scores.all():
            initial[f"rating_{score.domain}"] = score.rating
            initial[f"comment_{score.domain}"] = score.comment
    form = NeedsAssessmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _run(
            form,
            lambda: services.needs_assessment_record(
                case=case,
                assessed_on=data["assessed_on"],
                ratings=form.ratings(),
                notes=data["notes"],
                by=request.user,
            ),
        )
        if done:
            messages.success(request, "Needs assessment saved.")
            return redirect(cancel)
    return _case_form_page(
        request,
        case,
        "care",
        form,
        title="Needs assessment",
        cancel=cancel,
        intro="Rate each area of need with the client. The last assessment's ratings are filled in.",
    )


@capability_required(Capability.WORK_CASES)
def care_goal_add(request, pk):
    case = _case(request, pk)
    cancel = reverse("risk:care_plan", args=[case.pk])
    domain = request.GET.get("need")
    form = CareGoalForm(
        request.POST or None, initial={"domain": domain} if domain in NeedDomain.values else {}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _run(form, lambda: services.care_goal_add(case=case, data=data, by=request.user)):
            messages.success(request, "Goal added to the care plan.")
            return redirect(cancel)
    return _case_form_page(
        request, case, "care", form, title="Add a care plan goal", cancel=cancel, submit="Add goal"
    )


@capability_required(Capability.WORK_CASES)
def care_goal_edit(request, pk, goal_pk):
    case = _case(request, pk)
    goal = selectors.care_goal_get(case=case, pk=goal_pk)
    cancel = reverse("risk:care_plan", args=[case.pk])
    form = CareGoalForm(request.POST or None, instance=goal)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _run(form, lambda: services.care_goal_update(goal=goal, data=data, by=request.user)):
            messages.success(request, "Goal saved.")
            return redirect(cancel)
    return _case_form_page(request, case, "care", form, title="Change a goal", cancel=cancel)


@capability_required(Capability.WORK_CASES)
def care_goal_progress(request, pk, goal_pk):
    case = _case(request, pk)
    goal = selectors.care_goal_get(case=case, pk=goal_pk)
    cancel = reverse("risk:care_plan", args=[case.pk])
    form = ProgressNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        note = form.cleaned_data["note"]
        if _run(
            form, lambda: services.care_goal_progress_add(goal=goal, note=note, by=request.user)
        ):
            messages.success(request, "Progress note added.")
            return redirect(cancel)
    return _case_form_page(
        request,
        case,
        "care",
        form,
        title=f"Progress on: {goal.goal}",
        cancel=cancel,
        submit="Add note",
    )


# ---- interventions -----------------------------------------------------------------


@capability_required(Capability.WORK_CASES)
def interventions(request, pk):
    case = _case(request, pk)
    context = case_page_context(request, case, "interventions", page_name="interventions")
    programmes = selectors.programmes_open_for_enrolment(case=case)
    context.update(
        {
            "page": Paginator(selectors.sessions_for_case(case=case), 25).get_page(
                request.GET.get("page")
            ),
            "memberships": selectors.group_memberships_for_case(case=case),
            "attendance": list(selectors.group_attendance_for_case(case=case)[:50]),
            "enrol_form": EnrolForm(programmes=programmes),
            "enrol_url": reverse("risk:group_enrol", args=[case.pk]),
        }
    )
    return render(request, "risk/intervention_list.html", context)


@capability_required(Capability.WORK_CASES)
def session_add(request, pk):
    case = _case(request, pk)
    cancel = reverse("risk:interventions", args=[case.pk])
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _run(form, lambda: services.session_record(case=case, data=data, by=request.user)):
            messages.success(request, "Session recorded.")
            return redirect(cancel)
    return _case_form_page(
        request, case, "interventions", form, title="Record a one-to-one session", cancel=cancel
    )


@capability_required(Capability.WORK_CASES)
def session_edit(request, pk, session_pk):
    case = _case(request, pk)
    session = selectors.session_get(case=case, pk=session_pk)
    cancel = reverse("risk:interventions", args=[case.pk])
    form = SessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _run(form, lambda: services.session_update(session=session, data=data, by=request.user)):
            messages.success(request, "Session saved.")
            return redirect(cancel)
    return _case_form_page(
        request, case, "interventions", form, title="Change a session", cancel=cancel
    )


@capability_required(Capability.WORK_CASES)
def group_enrol(request, pk):
    case = _case(request, pk)
    cancel = reverse("risk:interventions", args=[case.pk])
    form = EnrolForm(
        request.POST or None, programmes=selectors.programmes_open_for_enrolment(case=case)
    )
    if request.method == "POST" and form.is_valid():
        programme = form.cleaned_data["programme"]
        if _run(
            form, lambda: services.group_enrol(case=case, programme=programme, by=request.user)
        ):
            messages.success(request, f"Enrolled on {programme.name}.")
            return redirect(cancel)
    return _case_form_page(
        request,
        case,
        "interventions",
        form,
        title="Enrol on group work",
        cancel=cancel,
        intro="Facilitators will see only the name the client likes to be called.",
        submit="Enrol",
    )


# ---- group work --------------------------------------------------------------------


def _group_form_page(request, form, *, title, cancel, programme=None, submit="Save"):
    return render(
        request,
        GROUP_FORM_TEMPLATE,
        {
            "form": form,
            "title": title,
            "cancel_url": cancel,
            "programme": programme,
            "submit": submit,
        },
    )


@capability_required(Capability.WORK_CASES)
def groups(request):
    programmes = selectors.programme_list_for_user(user=request.user)
    page = Paginator(programmes, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "risk/group_list.html",
        {"page": page, "can_manage": request.user.can(Capability.ALLOCATE)},
    )


@capability_required(Capability.ALLOCATE)
def group_add(request):
    cancel = reverse("risk:groups")
    form = GroupProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        programme = _run(
            form,
            lambda: services.group_programme_create(
                name=data["name"],
                kind=data["kind"],
                starts_on=data["starts_on"],
                description=data["description"],
                facilitators=data["facilitators"],
                by=request.user,
            ),
        )
        if programme:
            messages.success(request, "Group set up.")
            return redirect("risk:group_detail", group_pk=programme.pk)
    return _group_form_page(request, form, title="Set up a group", cancel=cancel)


@capability_required(Capability.ALLOCATE)
def group_edit(request, group_pk):
    programme = selectors.programme_get_for_user(user=request.user, pk=group_pk)
    cancel = reverse("risk:group_detail", args=[programme.pk])
    form = GroupProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _run(
            form,
            lambda: services.group_programme_update(
                programme=programme, data=data, by=request.user
            ),
        ):
            messages.success(request, "Group saved.")
            return redirect(cancel)
    return _group_form_page(
        request, form, title="Change the group", cancel=cancel, programme=programme
    )


@capability_required(Capability.WORK_CASES)
def group_detail(request, group_pk):
    programme = selectors.programme_get_for_user(user=request.user, pk=group_pk)
    return render(
        request,
        "risk/group_detail.html",
        {
            "programme": programme,
            "facilitators": list(programme.facilitators.all()),
            "attendees": selectors.programme_attendees(programme=programme),
            "page": Paginator(selectors.programme_sessions(programme=programme), 25).get_page(
                request.GET.get("page")
            ),
            "can_manage": request.user.can(Capability.ALLOCATE),
        },
    )


@capability_required(Capability.WORK_CASES)
def group_session_add(request, group_pk):
    programme = selectors.programme_get_for_user(user=request.user, pk=group_pk)
    cancel = reverse("risk:group_detail", args=[programme.pk])
    form = GroupSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        session = _run(
            form,
            lambda: services.group_session_add(programme=programme, data=data, by=request.user),
        )
        if session:
            messages.success(request, "Session added.")
            return redirect("risk:group_register", group_pk=programme.pk, session_pk=session.pk)
    return _group_form_page(
        request, form, title="Add a group session", cancel=cancel, programme=programme
    )


@capability_required(Capability.WORK_CASES)
def group_register(request, group_pk, session_pk):
    programme = selectors.programme_get_for_user(user=request.user, pk=group_pk)
    session = selectors.group_session_get(programme=programme, pk=session_pk)
    attendees = selectors.programme_attendees(programme=programme)
    form = RegisterForm(
        request.POST or None,
        attendees=attendees,
        current=selectors.session_attendance_map(session=session),
    )
    if request.method == "POST" and form.is_valid():
        marks = form.marks()
        if _run(
            form,
            lambda: services.group_attendance_record(session=session, marks=marks, by=request.user),
        ):
            messages.success(request, "Register saved.")
            return redirect("risk:group_detail", group_pk=programme.pk)
    return render(
        request,
        "risk/group_register.html",
        {"programme": programme, "session": session, "form": form, "attendees": attendees},
    )


# ---- digital safety ----------------------------------------------------------------


@capability_required(Capability.WORK_CASES)
def digital_safety(request, pk):
    case = _case(request, pk)
    context = case_page_context(request, case, "digital", page_name="digital safety")
    checks = list(selectors.digital_checks_for_case(case=case)[:50])
    shown = checks[0] if checks else None
    wanted = request.GET.get("check")
    if wanted:
        shown = next((c for c in checks if str(c.pk) == wanted), shown)
    context.update(
        {
            "checks": checks,
            "check": shown,
            "findings": selectors.digital_findings_with_state(shown) if shown else [],
        }
    )
    return render(request, "risk/digital_safety.html", context)


@capability_required(Capability.WORK_CASES)
def digital_check_add(request, pk):
    case = _case(request, pk)
    cancel = reverse("risk:digital_safety", args=[case.pk])
    # A repeat check starts from the last one's answers, so only changes need entering.
    latest = selectors.digital_checks_for_case(case=case).first()
    initial = selectors.digital_check_initial(latest) if latest else {}
    form = DigitalCheckForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        check = _run(
            form, lambda: services.digital_check_record(case=case, data=data, by=request.user)
        )
        if check:
            messages.success(request, f"Digital safety check {check.number} saved.")
            return redirect(f"{cancel}?check={check.pk}")
    return _case_form_page(
        request,
        case,
        "digital",
        form,
        title="Digital safety check",
        cancel=cancel,
        intro="Removing stalkerware can alert the person stalking and raise the risk: agree "
        "a decision with the client (and police where involved) before anything is removed.",
    )


@capability_required(Capability.WORK_CASES)
def digital_check_edit(request, pk, check_pk):
    case = _case(request, pk)
    check = selectors.digital_check_get(case=case, pk=check_pk)
    cancel = reverse("risk:digital_safety", args=[case.pk]) + f"?check={check.pk}"
    form = DigitalCheckForm(request.POST or None, instance=check)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _run(
            form, lambda: services.digital_check_update(check=check, data=data, by=request.user)
        ):
            messages.success(request, f"Digital safety check {check.number} saved.")
            return redirect(cancel)
    return _case_form_page(
        request,
        case,
        "digital",
        form,
        title=f"Digital safety check {check.number}",
        cancel=cancel,
    )


@capability_required(Capability.WORK_CASES)
@require_POST
def digital_finding_add(request, pk, check_pk, code):
    case = _case(request, pk)
    check = selectors.digital_check_get(case=case, pk=check_pk)
    try:
        services.digital_finding_add_to_plan(check=check, code=code, by=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Added to the safety plan.")
    return redirect(reverse("risk:digital_safety", args=[case.pk]) + f"?check={check.pk}")
