"""One shape for every tab of a case page, in every app.

    @capability_required(Capability.WORK_CASES)
    @with_case
    def thing_add(request, case):
        form = ThingForm(request.POST or None)
        return case_form_page(
            request, case, tab="police", form=form, title="Add a thing",
            save=lambda form: thing_record(case=case, data=form.cleaned_data, by=request.user),
            done="Thing added.",  # and back to the tab (or to `success_url`)
        )

`with_case` loads the case through the one access rule (`case_get_for_user`); a
caseworker who may open it only by break-glass is offered the break-glass form (on every
tab of every app), anyone else gets a 404 that says nothing about the record.
A user who sees the case only through break-glass may read it but never write: every
POST through `with_case` is refused with a 403 page that says so (`may_act_on_case`).
`case_page_context` writes the access log and gives the identity bar and tabs.
`case_form_page` renders the one form shell (`cases/case_form.html`): a refused save
(`DomainError`) is shown beside the field the error names (`exc.field`), never chosen by
matching its text; a stale edit (`StaleEdit`) shows both versions side by side and moves
the form on to the current version, so the next save goes through. A page with more than
one form calls `save_form` (or `run_service`) for the form that was posted.

Other apps import this module (and `cases.services.*`/`cases.selectors.*`), never
`cases.views`."""

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from stalkingservice import once
from stalkingservice.concurrency import stale_edit_context
from stalkingservice.domain import DomainError, StaleEdit
from stalkingservice.roles import Capability

from .models.lifecycle import Case
from .permissions import is_allocated_worker, may_act_on_case
from .selectors.lifecycle import case_break_glass_candidate, case_get_for_user
from .services.lifecycle import case_log_view
from .tabs import tab_url, tabs_for

CASE_FORM_TEMPLATE = "cases/case_form.html"
ALREADY_SAVED = once.ALREADY_SAVED
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
READ_ONLY_TEMPLATE = "cases/break_glass_read_only.html"


def break_glass_read_only(request: HttpRequest, case: Case) -> HttpResponse:
    """The refusal of any write by a user who sees the case only through break-glass."""
    return render(request, READ_ONLY_TEMPLATE, {"case": case}, status=403)


def case_page_context(request: HttpRequest, case: Case, tab: str, *, page_name: str = "") -> dict:
    """What every tab of a case page needs (identity bar, tabs); also logs the view."""
    case_log_view(case=case, user=request.user, request=request, page=page_name)
    user = request.user
    return {
        "case": case,
        "client": case.client,
        "tabs": tabs_for(case, user, tab),
        "via_break_glass": not user.can(Capability.SEE_ALL_CASES)
        and not is_allocated_worker(user, case),
        # Break-glass reads, it does not act: write buttons and forms are hidden.
        "read_only": not may_act_on_case(user, case),
        "can_allocate": user.can(Capability.ALLOCATE),
        "today": timezone.localdate(),
    }


def with_case(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Load the case through the user's scope. A caseworker who may open it only by
    break-glass is sent to give a reason; anything else outside the scope is a 404."""

    @wraps(view)
    def wrapped(request, pk, *args, **kwargs):
        try:
            case = case_get_for_user(user=request.user, pk=pk)
        except Http404:
            if request.method == "GET" and case_break_glass_candidate(user=request.user, pk=pk):
                url = reverse("cases:break_glass", args=[pk])
                return redirect(f"{url}?next={quote(request.get_full_path())}")
            raise
        if request.method not in READ_METHODS and not may_act_on_case(request.user, case):
            # Seen only through break-glass: reading, never a write, on any case URL.
            return break_glass_read_only(request, case)
        return view(request, case, *args, **kwargs)

    return wrapped


def error_field(form, exc: DomainError) -> str | None:
    """The form field a refusal belongs beside: the one the error names, if the form has
    it; otherwise the message goes at the top of the form."""
    return exc.field if exc.field and exc.field in form.fields else None


def show_refusal(form, exc: DomainError) -> dict:
    """Put a refused save on the form, keeping everything the user typed. Returns extra
    context for the page (the side-by-side comparison for a stale edit)."""
    if isinstance(exc, StaleEdit):
        return stale_edit_context(form=form, error=exc)
    form.add_error(error_field(form, exc), str(exc))
    return {}


def run_service(form, call: Callable[[], Any]) -> tuple[bool, Any, dict]:
    """Call one service for a valid form. Returns (saved, result, extra context)."""
    try:
        return True, call(), {}
    except DomainError as exc:
        return False, None, show_refusal(form, exc)


def save_form(
    request: HttpRequest,
    form,
    *,
    save: Callable[[Any], Any],
    done: str | Callable[[Any], str],
    success_url: str | Callable[[Any], str],
    replay_url: str | None = None,
) -> tuple[HttpResponse | None, dict]:
    """Validate a posted form and call one service (`save(form)`). Returns the redirect
    after a save, or (None, extra context) to show the page again with the refusal on the
    form and the input kept.

    A form that makes records carries a one-time token (`stalkingservice.once`): sent
    twice (a double click, a reload, a replayed POST) it is saved once and the second
    send goes where the first led (or to `replay_url`, or this page, while the first is
    still saving) with a message; sent without its token it is refused with a message; a
    refused save may be corrected and sent again."""
    led_to = once.submission_replayed(form=form, user=request.user)
    if led_to is not None:
        messages.info(request, ALREADY_SAVED)
        return redirect(led_to), {}
    if not form.is_valid():
        return None, {}
    claim = once.submission_claim(form=form, user=request.user)
    if claim.missing:
        once.refuse_missing(form)
        return None, {}
    if claim.replay:
        messages.info(request, ALREADY_SAVED)
        return redirect(claim.replay_url or replay_url or request.path), {}
    saved, result, extra = run_service(form, lambda: save(form))
    if not saved:
        once.submission_release(claim)
        return None, extra
    url = success_url(result) if callable(success_url) else success_url
    once.submission_saved(claim, url)
    text = done(result) if callable(done) else done
    if text:  # a caller may have given its own messages
        messages.success(request, text)
    return redirect(url), {}


def case_form_page(
    request: HttpRequest,
    case: Case,
    *,
    tab: str,
    form,
    title: str,
    save: Callable[[Any], Any],
    done: str | Callable[[Any], str],
    success_url: str | Callable[[Any], str] | None = None,
    cancel_url: str | None = None,
    intro: str = "",
    submit: str = "Save",
    template: str = CASE_FORM_TEMPLATE,
    page_name: str | None = None,
    extra_context: dict | None = None,
) -> HttpResponse:
    """The one form on a case page: GET shows it; POST validates, calls one service
    (`save(form)`) and redirects (to the tab, unless `success_url` says otherwise); a
    refusal is shown on the form with the input kept."""
    extra: dict = {}
    if request.method == "POST":
        response, extra = save_form(
            request,
            form,
            save=save,
            done=done,
            success_url=success_url or tab_url(tab, case),
            replay_url=tab_url(tab, case),
        )
        if response is not None:
            return response
    context = case_page_context(request, case, tab, page_name=page_name or title.lower())
    context.update(
        {
            "form": form,
            "title": title,
            "intro": intro,
            "submit_label": submit,
            "cancel_url": cancel_url,
            **extra,
            **(extra_context or {}),
        }
    )
    return render(request, template, context)


def tab_form_page(request: HttpRequest, case: Case, *, tab: str, **kwargs) -> HttpResponse:
    """`case_form_page` for a form reached from a tab's page, with a Cancel back to it."""
    return case_form_page(request, case, tab=tab, cancel_url=tab_url(tab, case), **kwargs)
