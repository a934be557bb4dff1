"""Service-level records, not about one case: awareness sessions, compliments and
complaints."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse

from stalkingservice.access import capability_required
from stalkingservice.roles import Capability

from ..case_page import save_form
from ..forms.service_records import AwarenessSessionForm, FeedbackEditForm, FeedbackForm
from ..selectors import service_records as selectors
from ..services import service_records as services


def _record_page(request, *, form, title, save, done, back):
    """A form for a service-level record: the same save and refusal handling as a case
    page, in a page of its own."""
    back_url = reverse(back)
    extra = {}
    if request.method == "POST":
        response, extra = save_form(request, form, save=save, done=done, success_url=back_url)
        if response is not None:
            return response
    return render(
        request,
        "cases/service_records/form.html",
        {"form": form, "title": title, "cancel_url": back_url, **extra},
    )


@capability_required(Capability.MANAGE_SERVICE_RECORDS)
def awareness_list(request):
    page = Paginator(selectors.awareness_sessions(), 25).get_page(request.GET.get("page"))
    return render(request, "cases/service_records/awareness_list.html", {"page": page})


@capability_required(Capability.MANAGE_SERVICE_RECORDS)
def awareness_add(request):
    form = AwarenessSessionForm(request.POST or None, initial={"delivered_by": request.user})
    return _record_page(
        request,
        form=form,
        title="Record an awareness session",
        save=lambda form: services.awareness_session_create(
            data=form.cleaned_data, by=request.user
        ),
        done="Awareness session recorded.",
        back="cases:awareness_list",
    )


@capability_required(Capability.MANAGE_SERVICE_RECORDS)
def feedback_list(request):
    page = Paginator(selectors.feedback_list(user=request.user), 25).get_page(
        request.GET.get("page")
    )
    visible = selectors.feedback_visible_case_ids(user=request.user, items=page.object_list)
    unread = selectors.feedback_unread_ids(page.object_list)
    return render(
        request,
        "cases/service_records/feedback_list.html",
        {"page": page, "visible_cases": visible, "unread_by_managers": unread},
    )


NO_MANAGER_READS = (
    "Recorded. No other service manager can read a complaint about {person}, so it is "
    "kept for you: pass it on under the complaints procedure (to the provider's senior "
    "manager) and record who took it in the notes."
)


def _recorded(feedback) -> str:
    if selectors.feedback_unread_by_managers(feedback):
        return NO_MANAGER_READS.format(person=feedback.about_staff)
    return "Recorded."


@capability_required(Capability.MANAGE_SERVICE_RECORDS)
def feedback_add(request):
    return _record_page(
        request,
        form=FeedbackForm(request.POST or None, user=request.user),
        title="Record a compliment or complaint",
        save=lambda form: services.feedback_create(
            data=form.cleaned_data, case=form.cleaned_data["case_reference"], by=request.user
        ),
        done=_recorded,
        back="cases:feedback_list",
    )


@capability_required(Capability.MANAGE_SERVICE_RECORDS)
def feedback_edit(request, item):
    feedback = selectors.feedback_get(user=request.user, pk=item)
    return _record_page(
        request,
        form=FeedbackEditForm(request.POST or None, instance=feedback, user=request.user),
        title=f"{feedback.get_kind_display()} received {feedback.received_on:%-d %B %Y}",
        save=lambda form: services.feedback_update(
            feedback=feedback,
            data=form.cleaned_data,
            # A case the user may not open is kept linked without being shown to them.
            case=form.cleaned_data.get("case_reference", feedback.case),
            version=form.cleaned_data.get("version"),
            by=request.user,
        ),
        done="Saved.",
        back="cases:feedback_list",
    )
