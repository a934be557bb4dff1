"""Adding an exhibit to an incident, and downloading an exhibit file (logged). Thin:
load, call a service, redirect."""

from django.http import FileResponse, Http404
from django.urls import reverse
from django.views.decorators.http import require_POST

from cases.case_page import save_form, with_case
from stalkingservice.access import capability_required
from stalkingservice.audit import audit_record
from stalkingservice.models import AuditEvent
from stalkingservice.roles import Capability

from ..forms.exhibits import ExhibitForm
from ..selectors.exhibits import exhibit_get
from ..selectors.incidents import incident_get
from ..services.exhibits import exhibit_add, path_for
from .incidents import incident_page


@capability_required(Capability.WORK_CASES)
@require_POST
@with_case
def exhibit_new(request, case, incident_pk):
    incident = incident_get(case=case, pk=incident_pk)
    form = ExhibitForm(request.POST, request.FILES)
    back = reverse("risk:incident", args=[case.pk, incident.pk])
    response, extra = save_form(
        request,
        form,
        save=lambda form: exhibit_add(
            incident=incident,
            upload=form.cleaned_data.get("file"),
            description=form.cleaned_data.get("description") or "",
            physical_item=form.cleaned_data.get("physical_item") or "",
            held_where=form.cleaned_data.get("held_where") or "",
            by=request.user,
        ),
        done=lambda exhibit: f"Exhibit {exhibit.reference} added.",
        success_url=back,
        replay_url=back,
    )
    return response or incident_page(request, case, incident, form, extra)


@capability_required(Capability.WORK_CASES)
@with_case
def exhibit_download(request, case, exhibit_pk):
    exhibit = exhibit_get(case=case, pk=exhibit_pk)
    if not exhibit.is_file:
        raise Http404
    try:
        handle = path_for(exhibit.stored_name).open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    audit_record(
        action=AuditEvent.Action.DOWNLOAD,
        request=request,
        case_id=exhibit.case_id,
        detail=f"Exhibit {exhibit.reference} ({exhibit.sha256})",
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=exhibit.original_name or exhibit.reference,
        content_type=exhibit.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
