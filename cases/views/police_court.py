"""Thin views for advocacy and the end of support: load through selectors, call one
service, show the message. A refused action is shown on the form, never a 500."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse

from cases.case_page import case_page_context
from cases.models.lifecycle import ClosureRequest
from cases.models.outcomes import OutcomeAssessment
from cases.services import handover as handover_services
from cases.services import lifecycle as lifecycle_services
from cases.services.handover import handover_create, handover_summary_logged
from cases.services.lifecycle import (
    case_reopen,
    closure_approval_reasons,
    closure_approve,
    closure_return,
    exit_plan_save,
)
from cases.services.orders import order_breach_create, order_create, order_transition
from cases.services.outcomes import outcomes_record
from cases.services.police_court import (
    court_support_save,
    hearing_create,
    investigation_create,
    investigation_transition,
    investigation_update,
    police_contact_create,
    victims_code_record,
)
from cases.services.service_records import (
    awareness_session_create,
    feedback_create,
    feedback_update,
)
from stalkingservice.audit import audit_record
from stalkingservice.domain import DomainError, StaleEdit
from stalkingservice.models import AuditEvent
from stalkingservice.roles import Capability
from stalkingservice.views import capability_required

from ..forms import police_court as f
from ..selectors import case_get_for_user
from ..selectors import police_court as sel
from ..statuses import CaseStatus

TAB_URLS = {
    "police": "cases:police",
    "handover": "cases:handovers",
    "outcomes": "cases:outcomes",
    "exit": "cases:exit",
}


def _case_form(request, pk, *, tab, title, form_factory, save, done, submit="Save", intro=""):
    """The shared shape of a form on a case: GET shows it, POST validates, calls one
    service and redirects; a DomainError is shown on the form with the input kept."""
    case = case_get_for_user(user=request.user, pk=pk)
    form = form_factory(case, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = save(case, form)
        except StaleEdit as exc:
            form.add_error(None, str(exc))
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, done(result) if callable(done) else done)
            return redirect(TAB_URLS[tab], case.pk)
    context = case_page_context(request, case, tab, page_name=title)
    context.update(
        {
            "form": form,
            "title": title,
            "submit_label": submit,
            "intro": intro,
            "cancel_url": reverse(TAB_URLS[tab], args=[case.pk]),
        }
    )
    return render(request, "cases/advocacy/form.html", context)


def _data(form, *names):
    return {n: form.cleaned_data.get(n) for n in names}


def _model_data(form):
    return {n: form.cleaned_data[n] for n in form._meta.fields if n in form.cleaned_data}


# ---- police and court ----------------------------------------------------------------


@capability_required(Capability.WORK_CASES)
def police(request, pk):
    case = case_get_for_user(user=request.user, pk=pk)
    context = case_page_context(request, case, "police", page_name="police and court")
    context.update(sel.police_page(case=case))
    return render(request, "cases/advocacy/police.html", context)


@capability_required(Capability.WORK_CASES)
def investigation_add(request, pk):
    return _case_form(
        request,
        pk,
        tab="police",
        title="Add a crime report",
        form_factory=lambda case, data: f.InvestigationForm(data),
        save=lambda case, form: investigation_create(
            case=case, data=_model_data(form), by=request.user
        ),
        done="Crime report added.",
    )


@capability_required(Capability.WORK_CASES)
def investigation_edit(request, pk, item):
    case = case_get_for_user(user=request.user, pk=pk)
    investigation = sel.investigation_for_case(case=case, pk=item)
    return _case_form(
        request,
        pk,
        tab="police",
        title=f"Police details for {investigation.crime_reference}",
        form_factory=lambda case, data: f.InvestigationEditForm(data, instance=investigation),
        save=lambda case, form: investigation_update(
            investigation=investigation,
            data=_model_data(form),
            version=form.cleaned_data.get("version"),
            by=request.user,
        ),
        done="Police details saved.",
    )


@capability_required(Capability.WORK_CASES)
def investigation_status(request, pk, item):
    case = case_get_for_user(user=request.user, pk=pk)
    investigation = sel.investigation_for_case(case=case, pk=item)
    if not f.INVESTIGATION_TRANSITIONS[investigation.status]:
        messages.info(request, "This investigation has reached its final status.")
        return redirect("cases:police", case.pk)
    return _case_form(
        request,
        pk,
        tab="police",
        title=f"Change the status of {investigation.crime_reference}",
        intro=f"Now: {investigation.get_status_display()} since "
        f"{investigation.status_changed_on:%-d %B %Y}.",
        form_factory=lambda case, data: f.InvestigationStatusForm(
            data, investigation=investigation
        ),
        save=lambda case, form: investigation_transition(
            investigation=investigation, by=request.user, **_data(form, "to", "on", "note")
        ),
        done="Investigation status changed.",
    )


@capability_required(Capability.WORK_CASES)
def police_contact_add(request, pk):
    return _case_form(
        request,
        pk,
        tab="police",
        title="Log a contact with police",
        form_factory=lambda case, data: f.PoliceContactForm(data, case=case),
        save=lambda case, form: police_contact_create(
            case=case,
            data=_model_data(form),
            follow_up_title=form.cleaned_data["follow_up_title"],
            follow_up_due=form.cleaned_data["follow_up_due"],
            by=request.user,
        ),
        done="Police contact logged.",
    )


@capability_required(Capability.WORK_CASES)
def victims_code_add(request, pk):
    def factory(case, data):
        form = f.VictimsCodeForm(data)
        right = request.GET.get("right")
        # isdigit() alone lets "²" through to int(), a server error: ASCII digits only.
        if data is None and right and right.isascii() and right.isdigit():
            form.initial["right"] = int(right)
            existing = case.victims_code_checks.filter(right=int(right)).first()
            if existing:
                for name in form._meta.fields:
                    form.initial[name] = getattr(existing, name)
        return form

    return _case_form(
        request,
        pk,
        tab="police",
        title="Victims' Code: record a right",
        form_factory=factory,
        save=lambda case, form: victims_code_record(
            case=case, right=form.cleaned_data["right"], data=_model_data(form), by=request.user
        ),
        done="Victims' Code right recorded.",
    )


@capability_required(Capability.WORK_CASES)
def hearing_add(request, pk):
    return _case_form(
        request,
        pk,
        tab="police",
        title="Add a court hearing",
        form_factory=lambda case, data: f.HearingForm(data, case=case),
        save=lambda case, form: hearing_create(case=case, data=_model_data(form), by=request.user),
        done="Hearing added.",
    )


@capability_required(Capability.WORK_CASES)
def court_support(request, pk):
    case = case_get_for_user(user=request.user, pk=pk)
    instance = sel.CourtSupport.objects.filter(case=case).first()
    return _case_form(
        request,
        pk,
        tab="police",
        title="Court support: special measures, VPS, Witness Care",
        form_factory=lambda case, data: f.CourtSupportForm(data, instance=instance),
        save=lambda case, form: court_support_save(
            case=case,
            data=_model_data(form),
            version=form.cleaned_data.get("version"),
            by=request.user,
        ),
        done="Court support saved.",
    )


@capability_required(Capability.WORK_CASES)
def order_add(request, pk):
    return _case_form(
        request,
        pk,
        tab="police",
        title="Add a protective order or bail conditions",
        form_factory=lambda case, data: f.OrderForm(data),
        save=lambda case, form: order_create(case=case, data=_model_data(form), by=request.user),
        done="Order added.",
    )


@capability_required(Capability.WORK_CASES)
def order_status(request, pk, item):
    case = case_get_for_user(user=request.user, pk=pk)
    order = sel.order_for_case(case=case, pk=item)
    if not f.ORDER_TRANSITIONS[order.status]:
        messages.info(request, "This order has reached its final status.")
        return redirect("cases:police", case.pk)
    return _case_form(
        request,
        pk,
        tab="police",
        title=f"Change the status of the {order.get_order_type_display().lower()}",
        intro=f"Now: {order.get_status_display()}.",
        form_factory=lambda case, data: f.OrderStatusForm(data, order=order),
        save=lambda case, form: order_transition(
            order=order,
            by=request.user,
            **_data(form, "to", "on", "conditions", "expires_on", "note"),
        ),
        done="Order status changed.",
    )


@capability_required(Capability.WORK_CASES)
def breach_add(request, pk, item):
    case = case_get_for_user(user=request.user, pk=pk)
    order = sel.order_for_case(case=case, pk=item)
    return _case_form(
        request,
        pk,
        tab="police",
        title=f"Record a breach of the {order.get_order_type_display().lower()}",
        form_factory=lambda case, data: f.BreachForm(data),
        save=lambda case, form: order_breach_create(
            order=order, data=_model_data(form), by=request.user
        ),
        done="Breach recorded.",
    )


# ---- signposting and handover --------------------------------------------------------


@capability_required(Capability.WORK_CASES)
def handovers(request, pk):
    case = case_get_for_user(user=request.user, pk=pk)
    context = case_page_context(request, case, "handover", page_name="signposting and handover")
    context["handovers"] = sel.handovers_for_case(case=case)
    return render(request, "cases/advocacy/handovers.html", context)


@capability_required(Capability.WORK_CASES)
def handover_add(request, pk):
    return _case_form(
        request,
        pk,
        tab="handover",
        title="Signpost or hand over to another service",
        intro="A managed handover needs the client's consent to share. The client's "
        "safe-contact details are only shared when the consent covers them.",
        form_factory=lambda case, data: f.HandoverForm(data),
        save=lambda case, form: handover_create(case=case, data=_model_data(form), by=request.user),
        done="Handover recorded.",
        submit="Record handover",
    )


@capability_required(Capability.WORK_CASES)
def handover_acknowledge(request, pk, item):
    case = case_get_for_user(user=request.user, pk=pk)
    handover = sel.handover_for_case(case=case, pk=item)
    return _case_form(
        request,
        pk,
        tab="handover",
        title=f"Acknowledgement from {handover.service}",
        form_factory=lambda case, data: f.HandoverAckForm(data, handover=handover),
        save=lambda case, form: handover_services.handover_acknowledge(
            handover=handover,
            by=request.user,
            **_data(form, "acknowledged_on", "acknowledgement"),
        ),
        done="Acknowledgement recorded.",
    )


@capability_required(Capability.WORK_CASES)
def handover_summary(request, pk, item):
    """The summary to read out or send to the receiving service. Safe-contact details
    appear only when the client's consent covers them."""
    case = case_get_for_user(user=request.user, pk=pk)
    handover = sel.handover_for_case(case=case, pk=item)
    context = case_page_context(request, case, "handover", page_name="handover summary")
    handover_summary_logged(handover=handover, by=request.user)
    context["handover"] = handover
    context["safe_contact"] = (
        getattr(case.client, "safe_contact", None) if handover.may_include_contact_details else None
    )
    if request.GET.get("format") == "text":
        audit_record(
            action=AuditEvent.Action.DOWNLOAD,
            request=request,
            case_id=case.pk,
            detail=f"Handover summary {handover.pk} as text",
        )
        response = HttpResponse(
            render_to_string("cases/advocacy/handover_summary.txt", context),
            content_type="text/plain; charset=utf-8",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="handover-{case.reference}-{handover.pk}.txt"'
        )
        return response
    return render(request, "cases/advocacy/handover_summary.html", context)


@capability_required(Capability.WORK_CASES)
def service_directory(request):
    return render(request, "cases/advocacy/directory.html", {"services": sel.service_directory()})


# ---- outcomes ------------------------------------------------------------------------


@capability_required(Capability.WORK_CASES)
def outcomes(request, pk):
    case = case_get_for_user(user=request.user, pk=pk)
    context = case_page_context(request, case, "outcomes", page_name="outcome measures")
    assessments, rows = sel.outcome_rows(case=case)
    context.update({"assessments": assessments, "rows": rows})
    return render(request, "cases/advocacy/outcomes.html", context)


@capability_required(Capability.WORK_CASES)
def outcome_record(request, pk, stage):
    if stage not in OutcomeAssessment.Stage.values:
        raise Http404
    label = OutcomeAssessment.Stage(stage).label

    def factory(case, data):
        existing = case.outcome_assessments.filter(stage=stage).first()
        answers = {a.measure: a for a in existing.answers.all()} if existing else {}
        return f.OutcomeForm(
            data,
            stage=stage,
            measures=sel.outcome_measures_for_stage(stage),
            existing=answers,
        )

    return _case_form(
        request,
        pk,
        tab="outcomes",
        title=f"Outcome measures: {label.lower()}",
        intro="Ask the client to rate each from 1 (not at all) to 5 (very much). Record "
        "'not asked' or 'declined' as they are: they are never counted as a score.",
        form_factory=factory,
        save=lambda case, form: outcomes_record(
            case=case,
            stage=stage,
            answers={m: form.cleaned_data[m] for m in form.measures},
            recorded_on=form.cleaned_data["recorded_on"],
            by=request.user,
        ),
        done=f"{label} outcome measures saved.",
    )


# ---- exit and closure ----------------------------------------------------------------


@capability_required(Capability.WORK_CASES)
def exit_page(request, pk):
    case = case_get_for_user(user=request.user, pk=pk)
    context = case_page_context(request, case, "exit", page_name="exit and closure")
    context.update(sel.exit_page(case=case))
    context["approval_reasons"] = closure_approval_reasons(case=case)
    context["can_plan"] = case.status in (CaseStatus.ACTIVE, CaseStatus.EXIT_PLANNING)
    context["can_request"] = (
        case.status in (CaseStatus.ALLOCATED, CaseStatus.ACTIVE, CaseStatus.EXIT_PLANNING)
        and context["pending_closure"] is None
    )
    context["can_approve"] = request.user.can(Capability.APPROVE_CLOSURE)
    return render(request, "cases/advocacy/exit.html", context)


@capability_required(Capability.WORK_CASES)
def exit_plan(request, pk):
    case = case_get_for_user(user=request.user, pk=pk)
    instance = sel.ExitPlan.objects.filter(case=case).first()
    return _case_form(
        request,
        pk,
        tab="exit",
        title="Exit plan",
        intro="Saving the plan moves an active case into exit planning.",
        form_factory=lambda case, data: f.ExitPlanForm(data, instance=instance),
        save=lambda case, form: exit_plan_save(
            case=case,
            data=_model_data(form),
            version=form.cleaned_data.get("version"),
            by=request.user,
        ),
        done="Exit plan saved.",
    )


def _post_allowed(case) -> bool:
    safe = getattr(case.client, "safe_contact", None)
    return bool(safe and safe.post_allowed)


@capability_required(Capability.WORK_CASES)
def closure_request(request, pk):
    def save(case, form):
        return lifecycle_services.closure_request(
            case=case,
            reason=form.cleaned_data["reason"],
            summary=form.cleaned_data["summary"],
            carried_over=list(form.cleaned_data.get("carried_over") or []),
            send_letter=form.cleaned_data.get("send_letter", False),
            by=request.user,
        )

    def done(result):
        if result.status == ClosureRequest.Status.REQUESTED:
            return "Closure requested: it is waiting for a manager's approval."
        return "The case is closed."

    return _case_form(
        request,
        pk,
        tab="exit",
        title="Close the case",
        intro="High-risk cases and cases closing within 14 days of allocation need a "
        "manager's approval; the request goes to the managers' list.",
        form_factory=lambda case, data: f.ClosureRequestForm(
            data, case=case, post_allowed=_post_allowed(case)
        ),
        save=save,
        done=done,
        submit="Close the case",
    )


@capability_required(Capability.APPROVE_CLOSURE)
def closures_awaiting(request):
    items = sel.closures_awaiting_approval(user=request.user).order_by("requested_at")
    page = Paginator(items, 25).get_page(request.GET.get("page"))
    return render(request, "cases/advocacy/closures_awaiting.html", {"page": page})


@capability_required(Capability.APPROVE_CLOSURE)
def closure_decide(request, pk, item):
    case = case_get_for_user(user=request.user, pk=pk)
    closure = sel.case_child_or_404(ClosureRequest, case=case, pk=item)

    def save(case, form):
        if form.cleaned_data["decision"] == "approve":
            closure_approve(request=closure, comment=form.cleaned_data["comment"], by=request.user)
        else:
            closure_return(request=closure, comment=form.cleaned_data["comment"], by=request.user)

    return _case_form(
        request,
        pk,
        tab="exit",
        title="Approve or return the closure",
        intro=f"Reason: {closure.reason}. Approval needed because "
        f"{closure.approval_needed_because or 'a manager was asked'}. Summary: {closure.summary}",
        form_factory=lambda case, data: f.ClosureDecisionForm(data),
        save=save,
        done="Decision recorded.",
        submit="Record decision",
    )


@capability_required(Capability.WORK_CASES)
def closure_summary(request, pk):
    """The closing summary; a letter is offered only where post is a safe route."""
    case = case_get_for_user(user=request.user, pk=pk)
    if case.status != CaseStatus.CLOSED:
        raise Http404
    context = case_page_context(request, case, "exit", page_name="closing summary")
    context["post_allowed"] = _post_allowed(case)
    context["closure"] = (
        case.closure_requests.exclude(status__in=["requested", "returned"])
        .select_related("reason", "decided_by", "requested_by")
        .first()
    )
    return render(request, "cases/advocacy/closure_summary.html", context)


@capability_required(Capability.WORK_CASES)
def reopen(request, pk):
    case = case_get_for_user(user=request.user, pk=pk)
    form = f.ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = case_reopen(case=case, reason=form.cleaned_data["reason"], by=request.user)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"New episode {new.reference} opened.")
            return redirect(new.get_absolute_url())
    context = case_page_context(request, case, "exit", page_name="reopen")
    context.update(
        {
            "form": form,
            "title": "Open a new episode",
            "submit_label": "Open a new episode",
            "intro": "The closed case stays closed; a new case is opened for the same client.",
            "cancel_url": reverse("cases:exit", args=[case.pk]),
        }
    )
    return render(request, "cases/advocacy/form.html", context)


# ---- service level -------------------------------------------------------------------


def _service_form(request, *, form, title, save, done, back):
    if request.method == "POST" and form.is_valid():
        try:
            save(form)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, done)
            return redirect(back)
    return render(
        request,
        "cases/advocacy/service_form.html",
        {"form": form, "title": title, "cancel_url": reverse(back)},
    )


@capability_required(Capability.MANAGE_SERVICE_RECORDS)
def awareness_list(request):
    page = Paginator(sel.awareness_sessions(), 25).get_page(request.GET.get("page"))
    return render(request, "cases/advocacy/awareness_list.html", {"page": page})


@capability_required(Capability.MANAGE_SERVICE_RECORDS)
def awareness_add(request):
    form = f.AwarenessSessionForm(request.POST or None, initial={"delivered_by": request.user})
    return _service_form(
        request,
        form=form,
        title="Record an awareness session",
        save=lambda form: awareness_session_create(data=_model_data(form), by=request.user),
        done="Awareness session recorded.",
        back="cases:awareness_list",
    )


@capability_required(Capability.MANAGE_SERVICE_RECORDS)
def feedback_list(request):
    page = Paginator(sel.feedback_list(user=request.user), 25).get_page(request.GET.get("page"))
    visible = sel.feedback_visible_case_ids(user=request.user, items=page.object_list)
    return render(
        request, "cases/advocacy/feedback_list.html", {"page": page, "visible_cases": visible}
    )


@capability_required(Capability.MANAGE_SERVICE_RECORDS)
def feedback_add(request):
    form = f.FeedbackForm(request.POST or None, user=request.user)
    return _service_form(
        request,
        form=form,
        title="Record a compliment or complaint",
        save=lambda form: feedback_create(
            data=form.cleaned_data,
            case=form.cleaned_data["case_reference"],
            by=request.user,
        ),
        done="Recorded.",
        back="cases:feedback_list",
    )


@capability_required(Capability.MANAGE_SERVICE_RECORDS)
def feedback_edit(request, item):
    feedback = sel.feedback_get(pk=item)
    form = f.FeedbackEditForm(request.POST or None, instance=feedback, user=request.user)
    return _service_form(
        request,
        form=form,
        title=f"{feedback.get_kind_display()} received {feedback.received_on:%-d %B %Y}",
        save=lambda form: feedback_update(
            feedback=feedback,
            data=form.cleaned_data,
            case=form.cleaned_data.get("case_reference", feedback.case),
            version=form.cleaned_data.get("version"),
            by=request.user,
        ),
        done="Saved.",
        back="cases:feedback_list",
    )
