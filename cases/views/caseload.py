"""Caseload pages: the caseworkers' and managers' homes, the case lists, finding a case by
its reference and the waiting list. Thin: load through selectors scoped to the user."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from stalkingservice.access import capability_required
from stalkingservice.roles import Capability

from ..figure_filter import apply_figure_filter, figure_filter
from ..forms.caseload import FIND_REFERENCE_INVALID, CaseFilterForm, FindCaseForm
from ..models.lifecycle import Case
from ..permissions import cases_visible_to
from ..selectors import caseload as selectors
from ..selectors.lifecycle import case_break_glass_candidate
from ..selectors.risk_level import risk_downgrades_pending

PAGE_SIZE = 25
TODAY_PAGE_SIZE = 15
TASKS_PAGE_SIZE = 10
NO_SUCH_REFERENCE = "No case you can open has that reference."

# A name or reference typed into a case search is kept in the session, never in the
# address, so it does not reach access logs, browser history or the Referer header.
SEARCH_SESSION_KEY = "case_search:{path}"
SEARCH_FIELD = "q"


def _search_kept_out_of_the_address(request):
    """The filter form is posted: keep its search text in the session and come back to
    the list with only the other filters (status, risk, sort...) in the address. A search
    arriving in the address (an old bookmark) is moved the same way; `?clear=1` forgets it.
    Returns a redirect, or None when the request is an ordinary GET of the list."""
    key = SEARCH_SESSION_KEY.format(path=request.path)
    if request.method == "POST":
        data = request.POST
    elif SEARCH_FIELD in request.GET or "clear" in request.GET:
        data = request.GET
    else:
        return None
    if "clear" in data:
        request.session.pop(key, None)
        return redirect(request.path)
    search = (data.get(SEARCH_FIELD) or "").strip()
    if search:
        request.session[key] = search
    else:
        request.session.pop(key, None)
    rest = data.copy()
    for name in (SEARCH_FIELD, "csrfmiddlewaretoken", "page"):
        rest.pop(name, None)
    rest = {k: v for k, v in rest.lists() if any(v)}
    query = urlencode(rest, doseq=True)
    return redirect(f"{request.path}?{query}" if query else request.path)


def _filter_params(request):
    """The list's filters: the address's, plus the search kept in the session."""
    params = request.GET.copy()
    search = request.session.get(SEARCH_SESSION_KEY.format(path=request.path))
    if search:
        params[SEARCH_FIELD] = search
    return params


def staff_home(request):
    """Caseworkers' and managers' front door (called from stalkingservice.views.home)."""
    user = request.user
    if user.can(Capability.ALLOCATE):
        return _manager_home(request)
    if not user.can(Capability.WORK_CASES):
        raise Http404
    if moved := _search_kept_out_of_the_address(request):
        return moved
    form = CaseFilterForm(_filter_params(request) or None, manager_fields=False)
    filters = form.cleaned_data if form.is_valid() else {}
    cases = selectors.case_list_filtered(user=user, filters=filters, mine=True)
    page = selectors.case_list_page(cases, request.GET.get("page"), PAGE_SIZE)
    today_page = selectors.today_page(
        selectors.needs_doing_today(user=user), request.GET.get("today_page"), TODAY_PAGE_SIZE
    )
    tasks = selectors.my_tasks_page(
        user=user, number=request.GET.get("tasks_page"), per_page=TASKS_PAGE_SIZE
    )
    return render(
        request,
        "cases/caseload/home_caseworker.html",
        {
            "page": page,
            "filter_form": form,
            "today_page": today_page,
            "tasks": tasks,
            "sort": filters.get("sort", ""),
            "today": timezone.localdate(),
        },
    )


def _manager_home(request):
    user = request.user
    return render(
        request,
        "cases/caseload/home_manager.html",
        {
            **selectors.manager_summary(user=user),
            "triage_url": reverse("referrals:triage_queue"),
            "waiting": list(selectors.waiting_list(user=user)[:10]),
            "caseworkers": list(selectors.caseworkers_with_caseload()),
            "overdue_first": list(selectors.overdue_first_contacts(user=user)[:15]),
            "break_glass": list(selectors.recent_break_glass(user=user)[:15]),
            "downgrades": list(risk_downgrades_pending(user=user)[:10]),
        },
    )


def _case_list(request, *, mine: bool, title: str):
    if moved := _search_kept_out_of_the_address(request):
        return moved
    # Managers arrive from a dashboard figure with the parameters of the cases it counted.
    figure = figure_filter(request.GET) if not mine else None
    params = _filter_params(request)
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
        "cases/caseload/case_list.html",
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


@capability_required(Capability.WORK_CASES)
@require_POST
def find_case(request):
    """Open a case by its exact reference: one's own directly, another worker's through
    break-glass. Restricted and unknown references get the same answer. Posted, so the
    reference is not in the address (access logs, history, Referer)."""
    form = FindCaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, FIND_REFERENCE_INVALID)
        return redirect("home")
    reference = form.cleaned_data["reference"]
    case = Case.objects.filter(reference=reference).only("pk", "restricted").first()
    if case is not None:
        visible = cases_visible_to(request.user).filter(pk=case.pk).exists()
        if visible or case_break_glass_candidate(user=request.user, pk=case.pk):
            return redirect("cases:detail", pk=case.pk)
    messages.error(request, NO_SUCH_REFERENCE)
    return redirect("home")


@capability_required(Capability.ALLOCATE)
def waiting_list(request):
    cases = selectors.waiting_list(user=request.user)
    page = selectors.case_list_page(cases, request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "cases/caseload/waiting_list.html",
        {"page": page, "caseworkers": list(selectors.caseworkers_with_caseload())},
    )
