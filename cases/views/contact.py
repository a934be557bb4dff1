"""The contact tab: the safe-contact panel, contact attempts and the notes log. The page
holds two forms (an attempt and a note); each posts to its own URL and a refusal shows
the page again with that form's input kept."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from stalkingservice.access import capability_required
from stalkingservice.roles import Capability

from ..case_page import case_page_context, save_form, with_case
from ..forms.contact import ContactAttemptForm
from ..forms.notes_tasks import NoteForm
from ..models.contact import ContactAttempt
from ..selectors.contact import case_contact_attempts
from ..selectors.notes_tasks import case_notes_for
from ..services import contact as services
from ..services import notes_tasks as note_services
from ..services.client import safe_contact_of, within_safe_windows
from ..tabs import tab_url

PAGE_SIZE = 25


def _route_warnings(case):
    safe_contact = safe_contact_of(case.client)
    blocked = []
    for value, label in ContactAttempt.Method.choices:
        problems = services.unsafe_route_problems(safe_contact=safe_contact, method=value)
        if problems:
            blocked.append({"value": value, "label": label, "problems": problems})
    voicemail_ok = bool(safe_contact and safe_contact.voicemail_allowed)
    return blocked, voicemail_ok, safe_contact


def _contact_page(request, case, *, attempt_form=None, note_form=None, extra=None):
    context = case_page_context(request, case, "contact", page_name="contact")
    blocked, voicemail_ok, safe_contact = _route_warnings(case)
    notes = case_notes_for(user=request.user, case=case)
    context.update(
        attempt_form=attempt_form or ContactAttemptForm(),
        note_form=note_form or NoteForm(),
        blocked_routes=blocked,
        blocked_codes=",".join(b["value"] for b in blocked),
        voicemail_ok=voicemail_ok,
        safe_contact=safe_contact,
        outside_safe_times_now=bool(
            safe_contact and not within_safe_windows(safe_contact, timezone.now())
        ),
        attempts=list(case_contact_attempts(case=case)[:50]),
        notes=Paginator(notes, PAGE_SIZE).get_page(request.GET.get("page")),
        has_errors=bool((attempt_form and attempt_form.errors) or (note_form and note_form.errors)),
        **(extra or {}),
    )
    context["page"] = context["notes"]
    return render(request, "cases/contact/contact.html", context)


@capability_required(Capability.WORK_CASES)
@with_case
def contact(request, case):
    return _contact_page(request, case)


def _post_on_contact_page(request, case, form, *, which: str, save, done: str):
    """Save one of the page's two forms; a refusal shows the page with that form's input."""
    response, extra = save_form(
        request,
        form,
        save=save,
        done=done,
        success_url=tab_url("contact", case),
        replay_url=tab_url("contact", case),
    )
    return response or _contact_page(request, case, extra=extra, **{which: form})


@capability_required(Capability.WORK_CASES)
@require_POST
@with_case
def contact_attempt_add(request, case):
    return _post_on_contact_page(
        request,
        case,
        ContactAttemptForm(request.POST),
        which="attempt_form",
        save=lambda form: services.contact_attempt_record(
            case=case, by=request.user, **form.submitted()
        ),
        done="Contact attempt recorded.",
    )


@capability_required(Capability.WORK_CASES)
@require_POST
@with_case
def note_add(request, case):
    return _post_on_contact_page(
        request,
        case,
        NoteForm(request.POST),
        which="note_form",
        save=lambda form: note_services.note_add(case=case, by=request.user, **form.submitted()),
        done="Note added.",
    )
