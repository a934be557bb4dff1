"""Case pages: thin views. Load through selectors (scoped to the user), call one service,
show a message, redirect. A refused action (DomainError) is shown on the form."""

from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from cases.models.client import SafeContact
from cases.models.contact import ContactAttempt
from cases.permissions import can_edit_note
from cases.services import notes_tasks as note_services
from cases.services.client import client_update, safe_contact_update
from cases.services.contact import contact_attempt_record, unsafe_route_problems
from cases.services.lifecycle import (
    BREAK_GLASS_HOURS,
    break_glass_grant,
    case_allocate,
    case_reallocate,
    case_set_restricted,
)
from stalkingservice.domain import DomainError, StaleEdit
from stalkingservice.roles import Capability
from stalkingservice.views import capability_required

from .. import selectors
from ..case_page import case_page_context, with_case
from ..forms import (
    FIND_REFERENCE_INVALID,
    AllocateForm,
    BreakGlassForm,
    CaseFilterForm,
    ClientForm,
    ContactAttemptForm,
    FindCaseForm,
    NoteEditForm,
    NoteForm,
    ReallocateForm,
    RestrictForm,
    SafeContactForm,
    TaskForm,
)

PAGE_SIZE = 25


def _stale(form, exc: StaleEdit):
    """Keep what the user typed, tell them, and let the next save go through."""
    form.data = form.data.copy()
    form.data["version"] = exc.current.version if exc.current is not None else ""
    form.add_error(None, str(exc))


ALREADY_SAVED = "That was already saved (the form was sent twice)."


def _already_submitted(request, form) -> bool:
    """True when this exact form was submitted before (see OnceOnlyFormMixin)."""
    token = form.cleaned_data.get("submission_id")
    if not token:
        return False
    return not cache.add(f"once:{request.user.pk}:{token}", 1, timeout=24 * 3600)


# ---- Homes and lists ---------------------------------------------------------------------


def staff_home(request):
    """Caseworkers' and managers' front door (called from stalkingservice.views.home)."""
    user = request.user
    if user.can(Capability.ALLOCATE):
        return _manager_home(request)
    if not user.can(Capability.WORK_CASES):
        raise Http404
    form = CaseFilterForm(request.GET or None, manager_fields=False)
    filters = form.cleaned_data if form.is_valid() else {}
    cases = selectors.case_list_filtered(user=user, filters=filters, mine=True)
    page = selectors.case_list_page(cases, request.GET.get("page"), PAGE_SIZE)
    tasks = list(selectors.my_open_tasks(user=user)[:10])
    return render(
        request,
        "cases/home_caseworker.html",
        {
            "page": page,
            "filter_form": form,
            "tasks": tasks,
            "sort": filters.get("sort", ""),
            "today": timezone.localdate(),
        },
    )


def _manager_home(request):
    user = request.user
    try:
        triage_url = reverse("referrals:triage_queue")
    except NoReverseMatch:
        triage_url = None
    return render(
        request,
        "cases/home_manager.html",
        {
            **selectors.manager_summary(user=user),
            "triage_url": triage_url,
            "waiting": list(selectors.waiting_list(user=user)[:10]),
            "caseworkers": list(selectors.caseworkers_with_caseload()),
            "overdue_first": list(selectors.overdue_first_contacts(user=user)[:15]),
            "break_glass": list(selectors.recent_break_glass(user=user)[:15]),
        },
    )


def _case_list(request, *, mine: bool, title: str, template="cases/case_list.html"):
    from ..figure_filter import apply_figure_filter, figure_filter

    # Managers arrive from a dashboard figure with the parameters of the cases it counted.
    figure = figure_filter(request.GET) if not mine else None
    params = request.GET.copy()
    for name in figure.params if figure else ():
        params.pop(name, None)
    form = CaseFilterForm(params or None, manager_fields=not mine)
    filters = form.cleaned_data if form.is_valid() else {}
    if figure and figure.active and not filters.get("status"):
        # A figure counts closed and declined cases too; show every status it counted.
        filters = {**filters, "status": "all"}
    cases = selectors.case_list_filtered(user=request.user, filters=filters, mine=mine)
    if figure:
        cases = apply_figure_filter(cases, figure)
        for problem in figure.problems:
            messages.warning(request, problem)
    page = selectors.case_list_page(cases, request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        template,
        {
            "page": page,
            "filter_form": form,
            "figure": figure,
            "title": title,
            "mine": mine,
            "sort": filters.get("sort", ""),
        },
    )


@capability_required(Capability.WORK_CASES)
def my_cases(request):
    return _case_list(request, mine=True, title="My cases")


@capability_required(Capability.SEE_ALL_CASES)
def all_cases(request):
    return _case_list(request, mine=False, title="All cases")


NO_SUCH_REFERENCE = "No case you can open has that reference."


@capability_required(Capability.WORK_CASES)
def find_case(request):
    """Open a case by its exact reference: one's own directly, another worker's through
    break-glass. Restricted and unknown references get the same answer."""
    form = FindCaseForm(request.GET)
    if not form.is_valid():
        messages.error(request, FIND_REFERENCE_INVALID)
        return redirect("home")
    reference = form.cleaned_data["reference"]
    from cases.models.lifecycle import Case

    case = Case.objects.filter(reference=reference).only("pk", "restricted").first()
    if case is not None:
        visible = selectors.cases_visible_to(request.user).filter(pk=case.pk).exists()
        if visible or selectors.case_break_glass_candidate(user=request.user, pk=case.pk):
            return redirect("cases:detail", pk=case.pk)
    messages.error(request, NO_SUCH_REFERENCE)
    return redirect("home")


@capability_required(Capability.ALLOCATE)
def waiting_list(request):
    cases = selectors.waiting_list(user=request.user)
    page = selectors.case_list_page(cases, request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "cases/waiting_list.html",
        {"page": page, "caseworkers": list(selectors.caseworkers_with_caseload())},
    )


@capability_required(Capability.ALLOCATE)
@with_case
def allocate(request, case):
    form = AllocateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case_allocate(
                case=case,
                worker=form.cleaned_data["worker"],
                co_worker=form.cleaned_data.get("co_worker"),
                by=request.user,
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, f"{case.reference} allocated to {form.cleaned_data['worker']}."
            )
            return redirect("cases:waiting_list")
    context = case_page_context(request, case, "overview", page_name="allocate")
    context.update(form=form, caseworkers=list(selectors.caseworkers_with_caseload()))
    return render(request, "cases/allocate.html", context)


@capability_required(Capability.ALLOCATE)
@with_case
def reallocate(request, case):
    form = ReallocateForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            case_reallocate(
                case=case,
                worker=form.cleaned_data["worker"],
                co_worker=form.cleaned_data.get("co_worker"),
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data.get("version"),
                by=request.user,
            )
        except StaleEdit as exc:
            _stale(form, exc)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{case.reference} reallocated.")
            return redirect("cases:detail", pk=case.pk)
    context = case_page_context(request, case, "overview", page_name="reallocate")
    context.update(form=form, caseworkers=list(selectors.caseworkers_with_caseload()))
    return render(request, "cases/reallocate.html", context)


# ---- The case page -------------------------------------------------------------------


@capability_required(Capability.WORK_CASES)
@with_case
def case_detail(request, case):
    context = case_page_context(request, case, "overview", page_name="overview")
    events = case.events.select_related("by").order_by("-at", "-id")
    context["timeline"] = Paginator(events, 50).get_page(request.GET.get("page"))
    context["page"] = context["timeline"]
    context["due_items"], _ = selectors.case_tasks(case=case)
    context["suspects"] = list(case.suspects.all())
    return render(request, "cases/detail.html", context)


def _route_warnings(case):
    try:
        safe_contact = case.client.safe_contact
    except SafeContact.DoesNotExist:
        safe_contact = None
    blocked = []
    for value, label in ContactAttempt.Method.choices:
        problems = unsafe_route_problems(safe_contact=safe_contact, method=value)
        if problems:
            blocked.append({"value": value, "label": label, "problems": problems})
    voicemail_ok = bool(safe_contact and safe_contact.voicemail_allowed)
    return blocked, voicemail_ok, safe_contact


def _contact_page(request, case, *, attempt_form=None, note_form=None, status=200):
    context = case_page_context(request, case, "contact", page_name="contact")
    blocked, voicemail_ok, safe_contact = _route_warnings(case)
    notes = selectors.case_notes_for(user=request.user, case=case)
    context.update(
        attempt_form=attempt_form or ContactAttemptForm(),
        note_form=note_form or NoteForm(),
        blocked_routes=blocked,
        blocked_codes=",".join(b["value"] for b in blocked),
        voicemail_ok=voicemail_ok,
        safe_contact=safe_contact,
        attempts=list(selectors.case_contact_attempts(case=case)[:50]),
        notes=Paginator(notes, PAGE_SIZE).get_page(request.GET.get("page")),
        has_errors=bool((attempt_form and attempt_form.errors) or (note_form and note_form.errors)),
    )
    context["page"] = context["notes"]
    return render(request, "cases/contact.html", context, status=status)


@capability_required(Capability.WORK_CASES)
@with_case
def contact(request, case):
    return _contact_page(request, case)


@capability_required(Capability.WORK_CASES)
@require_POST
@with_case
def contact_attempt_add(request, case):
    form = ContactAttemptForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        if _already_submitted(request, form):
            messages.info(request, ALREADY_SAVED)
            return redirect("cases:contact", pk=case.pk)
        try:
            contact_attempt_record(
                case=case,
                method=data["method"],
                outcome=data["outcome"],
                at=data["at"],
                voicemail_left=data["voicemail_left"],
                agreed_wording_used=data["agreed_wording_used"],
                override_unsafe=data["override_unsafe"],
                unsafe_route_reason=data["unsafe_route_reason"],
                notes=data["notes"],
                by=request.user,
            )
        except DomainError as exc:
            form.add_error("override_unsafe" if "route" in str(exc) else None, str(exc))
        else:
            messages.success(request, "Contact attempt recorded.")
            return redirect("cases:contact", pk=case.pk)
    return _contact_page(request, case, attempt_form=form)


@capability_required(Capability.WORK_CASES)
@require_POST
@with_case
def note_add(request, case):
    form = NoteForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        if _already_submitted(request, form):
            messages.info(request, ALREADY_SAVED)
            return redirect("cases:contact", pk=case.pk)
        try:
            note_services.note_add(
                case=case,
                note_type=data["note_type"],
                direction=data["direction"],
                occurred_at=data["occurred_at"],
                duration_minutes=data["duration_minutes"],
                summary=data["summary"],
                sensitive=data["sensitive"],
                by=request.user,
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Note added.")
            return redirect("cases:contact", pk=case.pk)
    return _contact_page(request, case, note_form=form)


@capability_required(Capability.WORK_CASES)
@with_case
def note_edit(request, case, note_pk):
    note = selectors.case_note_get(user=request.user, case=case, pk=note_pk)
    if not can_edit_note(request.user, note):
        raise Http404
    form = NoteEditForm(request.POST or None, note=note)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            note_services.note_edit(
                note=note,
                reason=data.pop("reason"),
                version=data.pop("version"),
                by=request.user,
                data=data,
            )
        except StaleEdit as exc:
            _stale(form, exc)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Note changed. The earlier version is kept in its history.")
            return redirect("cases:contact", pk=case.pk)
    context = case_page_context(request, case, "contact", page_name="note edit")
    context.update(form=form, note=note)
    return render(request, "cases/note_edit.html", context)


@capability_required(Capability.WORK_CASES)
@with_case
def note_history(request, case, note_pk):
    note = selectors.case_note_get(user=request.user, case=case, pk=note_pk)
    context = case_page_context(request, case, "contact", page_name="note history")
    context.update(note=note, versions=list(selectors.note_history(note=note)[:100]))
    return render(request, "cases/note_history.html", context)


# ---- Tasks -----------------------------------------------------------------------------


@capability_required(Capability.WORK_CASES)
@with_case
def tasks(request, case):
    form = TaskForm(request.POST or None, case=case, user=request.user)
    if request.method == "POST" and form.is_valid() and _already_submitted(request, form):
        messages.info(request, ALREADY_SAVED)
        return redirect("cases:tasks", pk=case.pk)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "submission_id"}
        try:
            note_services.task_add(case=case, by=request.user, **data)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Task added.")
            return redirect("cases:tasks", pk=case.pk)
    context = case_page_context(request, case, "tasks", page_name="tasks")
    context["due_items"], context["done_tasks"] = selectors.case_tasks(case=case)
    context["form"] = form
    return render(request, "cases/tasks.html", context)


@capability_required(Capability.WORK_CASES)
@require_POST
@with_case
def task_done(request, case, task_pk):
    task = selectors.case_task_get(case=case, pk=task_pk)
    try:
        task = note_services.task_complete(task=task, by=request.user)
    except DomainError as exc:
        # A second click on the same button: the task is done either way.
        messages.info(request, str(exc))
    if request.headers.get("HX-Request"):
        task.refresh_from_db()
        return render(request, "cases/includes/task_done_row.html", {"task": task, "case": case})
    messages.success(request, f"Done: {task.title}")
    nxt = request.POST.get("next", "")
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return redirect(nxt)
    return redirect("cases:tasks", pk=case.pk)


# ---- Access ----------------------------------------------------------------------------


@capability_required(Capability.VIEW_ACCESS_LOG)
@with_case
def access_log(request, case):
    context = case_page_context(request, case, "access", page_name="access log")
    context["page"] = Paginator(selectors.case_access_log(case=case), 50).get_page(
        request.GET.get("page")
    )
    context["grants"] = list(selectors.case_break_glass_grants(case=case)[:50])
    return render(request, "cases/access_log.html", context)


@capability_required(Capability.BREAK_GLASS)
def break_glass(request, pk):
    case = selectors.case_break_glass_candidate(user=request.user, pk=pk)
    if case is None:
        # Either already theirs (go straight in) or not for them (404 via case_get_for_user).
        selectors.case_get_for_user(user=request.user, pk=pk)
        return redirect("cases:detail", pk=pk)
    form = BreakGlassForm(request.POST or None)
    nxt = request.GET.get("next") or request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        nxt = ""
    if request.method == "POST" and form.is_valid():
        try:
            break_glass_grant(
                case=case, user=request.user, reason=form.cleaned_data["reason"], request=request
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.warning(
                request,
                f"You have opened {case.reference} for {BREAK_GLASS_HOURS} hours. "
                "Your reason and every page you view are recorded and shown to managers.",
            )
            return redirect(nxt or reverse("cases:detail", args=[case.pk]))
    return render(
        request, "cases/break_glass.html", {"case_ref": case.reference, "form": form, "next": nxt}
    )


@capability_required(Capability.ALLOCATE)
@with_case
def restrict(request, case):
    form = RestrictForm(request.POST or None, initial={"restricted": not case.restricted})
    if request.method == "POST" and form.is_valid():
        case_set_restricted(
            case=case,
            restricted=form.cleaned_data["restricted"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
        messages.success(request, "Restriction saved.")
        return redirect("cases:detail", pk=case.pk)
    context = case_page_context(request, case, "overview", page_name="restrict")
    context["form"] = form
    return render(request, "cases/restrict.html", context)


# ---- Client and safe contact -------------------------------------------------------------


@capability_required(Capability.WORK_CASES)
@with_case
def client_edit(request, case):
    client = case.client
    # The form works on its own copy, so a refused save never changes the identity bar.
    form = ClientForm(request.POST or None, instance=type(client).objects.get(pk=client.pk))
    current = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        try:
            client_update(client=client, case=case, version=version, by=request.user, data=data)
        except StaleEdit as exc:
            _stale(form, exc)
            current = exc.current
        else:
            messages.success(request, "Client details saved.")
            return redirect("cases:detail", pk=case.pk)
    context = case_page_context(request, case, "overview", page_name="client edit")
    context.update(form=form, current=current)
    return render(request, "cases/client_edit.html", context)


@capability_required(Capability.WORK_CASES)
@with_case
def safe_contact_edit(request, case):
    instance = SafeContact.objects.filter(client=case.client).first() or SafeContact(
        client=case.client
    )
    form = SafeContactForm(request.POST or None, instance=instance)
    current = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        try:
            safe_contact_update(
                client=case.client, case=case, version=version, by=request.user, data=data
            )
        except StaleEdit as exc:
            _stale(form, exc)
            current = exc.current
        else:
            messages.success(request, "Safe-contact details saved.")
            return redirect("cases:contact", pk=case.pk)
    context = case_page_context(request, case, "contact", page_name="safe contact edit")
    context.update(form=form, current=current)
    return render(request, "cases/safe_contact_edit.html", context)
