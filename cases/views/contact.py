"""The contact tab: the safe-contact panel, contact attempts and the notes log. The page
holds two forms (an attempt and a note); each posts to its own URL and a refusal shows
the page again with that form's input kept."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from stalkingservice.roles import Capability
from stalkingservice.views import capability_required

from ..case_page import case_page_context, save_form, with_case
from ..forms.contact import ContactAttemptForm
from ..forms.notes_tasks import NoteForm
from ..models.contact import ContactAttempt
from ..selectors.contact import case_contact_attempts
from ..selectors.notes_tasks import case_notes_for
from ..services import contact as services
from ..services import notes_tasks as note_services
from ..services.client import safe_contact_of

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


@capability_required(Capability.WORK_CASES)
@require_POST
@with_case
def contact_attempt_add(request, case):
    form = ContactAttemptForm(request.POST)
    response, extra = save_form(
        request,
        form,
        save=lambda form: services.contact_attempt_record(
            case=case,
            method=form.cleaned_data["method"],
            outcome=form.cleaned_data["outcome"],
            at=form.cleaned_data["at"],
            voicemail_left=form.cleaned_data["voicemail_left"],
            agreed_wording_used=form.cleaned_data["agreed_wording_used"],
            override_unsafe=form.cleaned_data["override_unsafe"],
            unsafe_route_reason=form.cleaned_data["unsafe_route_reason"],
            notes=form.cleaned_data["notes"],
            by=request.user,
        ),
        done="Contact attempt recorded.",
        success_url=reverse("cases:contact", args=[case.pk]),
    )
    return response or _contact_page(request, case, attempt_form=form, extra=extra)


@capability_required(Capability.WORK_CASES)
@require_POST
@with_case
def note_add(request, case):
    form = NoteForm(request.POST)
    response, extra = save_form(
        request,
        form,
        save=lambda form: note_services.note_add(
            case=case,
            note_type=form.cleaned_data["note_type"],
            direction=form.cleaned_data["direction"],
            occurred_at=form.cleaned_data["occurred_at"],
            duration_minutes=form.cleaned_data["duration_minutes"],
            summary=form.cleaned_data["summary"],
            sensitive=form.cleaned_data["sensitive"],
            by=request.user,
        ),
        done="Note added.",
        success_url=reverse("cases:contact", args=[case.pk]),
    )
    return response or _contact_page(request, case, note_form=form, extra=extra)
