"""A case's own pages: the overview, allocation, access (the access log, break-glass,
restriction), exit planning, closure and a new episode. Every tab loads its case through
`with_case` and shows its form through `case_form_page`."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from stalkingservice.access import capability_required
from stalkingservice.redirects import local_path
from stalkingservice.roles import Capability

from ..case_page import case_form_page, case_page_context, save_form, tab_form_page, with_case
from ..events import REFERRAL_RECEIVED, TRIAGE_CHECKED, TRIAGE_DECIDED
from ..forms.lifecycle import (
    AllocateForm,
    BreakGlassForm,
    ClosureDecisionForm,
    ClosureRequestForm,
    ExitPlanForm,
    ReallocateForm,
    ReopenForm,
    RestrictForm,
)
from ..models.lifecycle import ClosureRequest, ExitPlan
from ..selectors import lifecycle as selectors
from ..selectors.caseload import caseworkers_with_caseload
from ..selectors.notes_tasks import case_tasks
from ..selectors.risk_level import risk_downgrade_pending_for_case
from ..services import lifecycle as services
from ..statuses import CaseStatus

# ---- The overview and allocation -----------------------------------------------------

# Timeline entries about the referral link to the overview's Referral section.
REFERRAL_EVENT_KINDS = (REFERRAL_RECEIVED, TRIAGE_CHECKED, TRIAGE_DECIDED)


@capability_required(Capability.WORK_CASES)
@with_case
def case_detail(request, case):
    context = case_page_context(request, case, "overview", page_name="overview")
    context["timeline"] = Paginator(selectors.case_timeline(case=case), 50).get_page(
        request.GET.get("page")
    )
    context["page"] = context["timeline"]
    context["due_items"], _ = case_tasks(case=case)
    context["suspects"] = list(case.suspects.all())
    context["referral"] = selectors.case_referral(case=case)
    context["referral_event_kinds"] = REFERRAL_EVENT_KINDS
    context["pending_downgrade"] = risk_downgrade_pending_for_case(case=case)
    context["can_sign_off_downgrade"] = request.user.can(Capability.APPROVE_RISK_DOWNGRADE)
    return render(request, "cases/lifecycle/detail.html", context)


@capability_required(Capability.ALLOCATE)
@with_case
def allocate(request, case):
    form = AllocateForm(request.POST or None)
    return case_form_page(
        request,
        case,
        tab="overview",
        form=form,
        title=f"Allocate {case.reference}",
        page_name="allocate",
        save=lambda form: services.case_allocate(
            case=case,
            worker=form.cleaned_data["worker"],
            co_worker=form.cleaned_data.get("co_worker"),
            by=request.user,
        ),
        done=lambda _: f"{case.reference} allocated to {form.cleaned_data['worker']}.",
        success_url=reverse("cases:waiting_list"),
        submit="Allocate",
        template="cases/lifecycle/allocate.html",
        extra_context={"caseworkers": caseworkers_with_caseload()},
    )


@capability_required(Capability.ALLOCATE)
@with_case
def reallocate(request, case):
    return case_form_page(
        request,
        case,
        tab="overview",
        form=ReallocateForm(request.POST or None, case=case),
        title=f"Reallocate {case.reference}",
        page_name="reallocate",
        save=lambda form: services.case_reallocate(
            case=case,
            worker=form.cleaned_data["worker"],
            co_worker=form.cleaned_data.get("co_worker"),
            reason=form.cleaned_data["reason"],
            version=form.cleaned_data.get("version"),
            by=request.user,
        ),
        done=f"{case.reference} reallocated.",
        submit="Reallocate",
        template="cases/lifecycle/reallocate.html",
        extra_context={"caseworkers": caseworkers_with_caseload()},
    )


# ---- Access ----------------------------------------------------------------------------


@capability_required(Capability.VIEW_ACCESS_LOG)
@with_case
def access_log(request, case):
    context = case_page_context(request, case, "access", page_name="access log")
    context["page"] = Paginator(selectors.case_access_log(case=case), 50).get_page(
        request.GET.get("page")
    )
    context["grants"] = list(selectors.case_break_glass_grants(case=case)[:50])
    return render(request, "cases/lifecycle/access_log.html", context)


@capability_required(Capability.BREAK_GLASS)
def break_glass(request, pk):
    case = selectors.case_break_glass_candidate(user=request.user, pk=pk)
    if case is None:
        # Either already theirs (go straight in) or not for them (404 via case_get_for_user).
        selectors.case_get_for_user(user=request.user, pk=pk)
        return redirect("cases:detail", pk=pk)
    form = BreakGlassForm(request.POST or None)
    nxt = local_path(request.GET.get("next") or request.POST.get("next"))
    if request.method == "POST":

        def opened(_grant) -> str:
            messages.warning(
                request,
                f"You have opened {case.reference} for {services.BREAK_GLASS_HOURS} hours. "
                "Your reason and every page you view are recorded and shown to managers.",
            )
            return ""  # the warning above is the message

        response, _ = save_form(
            request,
            form,
            save=lambda form: services.break_glass_grant(
                case=case, user=request.user, reason=form.cleaned_data["reason"], request=request
            ),
            done=opened,
            success_url=nxt or reverse("cases:detail", args=[case.pk]),
        )
        if response is not None:
            return response
    return render(
        request,
        "cases/lifecycle/break_glass.html",
        {"case_ref": case.reference, "form": form, "next": nxt},
    )


@capability_required(Capability.ALLOCATE)
@with_case
def restrict(request, case):
    return case_form_page(
        request,
        case,
        tab="overview",
        form=RestrictForm(request.POST or None, initial={"restricted": not case.restricted}),
        title=f"Restrict access to {case.reference}",
        intro="A restricted case (for example, the client is known to staff) can be opened "
        "only by its allocated workers and managers. Break-glass is refused, and any live "
        "break-glass access ends now.",
        page_name="restrict",
        save=lambda form: services.case_set_restricted(
            case=case,
            restricted=form.cleaned_data["restricted"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        ),
        done="Restriction saved.",
        template="cases/lifecycle/restrict.html",
    )


# ---- Exit and closure ----------------------------------------------------------------


@capability_required(Capability.WORK_CASES)
@with_case
def exit_page(request, case):
    context = case_page_context(request, case, "exit", page_name="exit and closure")
    context.update(selectors.exit_page(case=case))
    context["approval_reasons"] = services.closure_approval_reasons(case=case)
    context["can_plan"] = case.status in (CaseStatus.ACTIVE, CaseStatus.EXIT_PLANNING)
    context["can_request"] = (
        case.status in (CaseStatus.ALLOCATED, CaseStatus.ACTIVE, CaseStatus.EXIT_PLANNING)
        and context["pending_closure"] is None
    )
    context["can_approve"] = request.user.can(Capability.APPROVE_CLOSURE)
    return render(request, "cases/lifecycle/exit.html", context)


@capability_required(Capability.WORK_CASES)
@with_case
def exit_plan(request, case):
    instance = ExitPlan.objects.filter(case=case).first()
    return tab_form_page(
        request,
        case,
        tab="exit",
        form=ExitPlanForm(request.POST or None, instance=instance),
        title="Exit plan",
        intro="Saving the plan moves an active case into exit planning.",
        save=lambda form: services.exit_plan_save(
            case=case,
            data=form.cleaned_data,
            version=form.cleaned_data.get("version"),
            by=request.user,
        ),
        done="Exit plan saved.",
    )


def _closure_done(result: ClosureRequest) -> str:
    if result.status == ClosureRequest.Status.REQUESTED:
        return "Closure requested: it is waiting for a manager's approval."
    return "The case is closed."


@capability_required(Capability.WORK_CASES)
@with_case
def closure_request(request, case):
    form = ClosureRequestForm(
        request.POST or None, case=case, post_allowed=services.post_allowed(case)
    )
    return tab_form_page(
        request,
        case,
        tab="exit",
        form=form,
        title="Close the case",
        intro="High-risk cases and cases closing within 14 days of allocation need a "
        "manager's approval; the request goes to the managers' list.",
        save=lambda form: services.closure_request(
            case=case,
            reason=form.cleaned_data["reason"],
            summary=form.cleaned_data["summary"],
            carried_over=list(form.cleaned_data.get("carried_over") or []),
            send_letter=form.cleaned_data.get("send_letter", False),
            by=request.user,
        ),
        done=_closure_done,
        submit="Close the case",
    )


@capability_required(Capability.APPROVE_CLOSURE)
def closures_awaiting(request):
    items = selectors.closures_awaiting_approval(user=request.user).order_by("requested_at")
    page = Paginator(items, 25).get_page(request.GET.get("page"))
    return render(request, "cases/lifecycle/closures_awaiting.html", {"page": page})


@capability_required(Capability.APPROVE_CLOSURE)
@with_case
def closure_decide(request, case, item):
    closure = selectors.case_child_or_404(ClosureRequest, case=case, pk=item)

    def decide(form):
        decision = (
            services.closure_approve
            if form.cleaned_data["decision"] == "approve"
            else services.closure_return
        )
        return decision(request=closure, comment=form.cleaned_data["comment"], by=request.user)

    return tab_form_page(
        request,
        case,
        tab="exit",
        form=ClosureDecisionForm(request.POST or None),
        title="Approve or return the closure",
        save=decide,
        done="Decision recorded.",
        submit="Record decision",
        template="cases/lifecycle/closure_decide.html",
        # What the decision rests on, shown above the form (risk, orders, tasks, exit
        # plan, outcomes).
        extra_context=selectors.closure_decision(case=case, closure=closure),
    )


@capability_required(Capability.WORK_CASES)
@with_case
def closure_summary(request, case):
    """The closing summary; a letter is offered only where post is a safe route."""
    if case.status != CaseStatus.CLOSED:
        raise Http404
    context = case_page_context(request, case, "exit", page_name="closing summary")
    context["post_allowed"] = services.post_allowed(case)
    context["closure"] = (
        case.closure_requests.exclude(status__in=["requested", "returned"])
        .select_related("reason", "decided_by", "requested_by")
        .first()
    )
    return render(request, "cases/lifecycle/closure_summary.html", context)


@capability_required(Capability.WORK_CASES)
@with_case
def reopen(request, case):
    return tab_form_page(
        request,
        case,
        tab="exit",
        form=ReopenForm(request.POST or None),
        title="Open a new episode",
        intro="The closed case stays closed; a new case is opened for the same client.",
        page_name="reopen",
        save=lambda form: services.case_reopen(
            case=case, reason=form.cleaned_data["reason"], by=request.user
        ),
        done=lambda new: f"New episode {new.reference} opened.",
        success_url=lambda new: new.get_absolute_url(),
        submit="Open a new episode",
    )
