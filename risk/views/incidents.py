"""The incident log of a case, and the police chronology export (CSV or PDF). Thin:
load, call a service, redirect."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cases.case_page import case_form_page, case_page_context, with_case
from cases.selectors.police_court import crime_references, investigation_with_reference
from stalkingservice.access import capability_required
from stalkingservice.csv_export import write_csv
from stalkingservice.domain import DomainError
from stalkingservice.pdf import render_pdf
from stalkingservice.roles import Capability

from ..forms.exhibits import ExhibitForm
from ..forms.incidents import IncidentCreateForm, IncidentEditForm
from ..selectors import incidents as incident_selectors
from ..services import incidents as incident_services

INCIDENT_TEMPLATE = "risk/incident_form.html"


@capability_required(Capability.WORK_CASES)
@with_case
def incidents(request, case):
    context = case_page_context(request, case, "incidents", page_name="incidents")
    page = Paginator(incident_selectors.incidents_for_case(case=case), 25).get_page(
        request.GET.get("page")
    )
    context.update({"page": page, "counts": incident_selectors.incident_counts(case=case)})
    return render(request, "risk/incident_list.html", context)


@capability_required(Capability.WORK_CASES)
@require_http_methods(["GET", "POST"])
@with_case
def incident_new(request, case):
    form = IncidentCreateForm(
        request.POST or None, request.FILES or None, crime_references=crime_references(case=case)
    )
    return case_form_page(
        request,
        case,
        tab="incidents",
        form=form,
        title="Add an incident",
        save=lambda form: incident_services.incident_record(
            case=case,
            data=form.incident_data(),
            upload=form.cleaned_data.get("exhibit_file"),
            exhibit_description=form.cleaned_data.get("exhibit_description") or "",
            by=request.user,
        ),
        done="Incident recorded.",
        success_url=lambda incident: reverse("risk:incident", args=[case.pk, incident.pk]),
        cancel_url=reverse("risk:incidents", args=[case.pk]),
        submit="Save incident",
        template=INCIDENT_TEMPLATE,
        page_name="new incident",
    )


@capability_required(Capability.WORK_CASES)
@require_http_methods(["GET", "POST"])
@with_case
def incident_edit(request, case, incident_pk):
    incident = incident_selectors.incident_get(case=case, pk=incident_pk)
    form = IncidentEditForm(
        request.POST or None, instance=incident, crime_references=crime_references(case=case)
    )
    url = reverse("risk:incident", args=[case.pk, incident.pk])
    return case_form_page(
        request,
        case,
        tab="incidents",
        form=form,
        title="Correct this incident",
        # A fresh copy: the bound form has already written its input onto `incident`.
        save=lambda form: incident_services.incident_update(
            incident=incident_selectors.incident_get(case=case, pk=incident_pk),
            data=form.incident_data(),
            version=form.cleaned_data.get("version"),
            by=request.user,
        ),
        done="Incident updated.",
        success_url=url,
        cancel_url=url,
        submit="Save incident",
        template=INCIDENT_TEMPLATE,
        page_name="edit incident",
        extra_context={"incident": incident},
    )


def _police_record_offer(case, incident) -> dict:
    """A crime reference typed on the incident: the police record it names on this case,
    or the offer to make one from it (one click, or a form filled in from the incident)."""
    if not incident.crime_reference.strip():
        return {}
    record = investigation_with_reference(case=case, crime_reference=incident.crime_reference)
    if record is not None:
        return {"police_record": record}
    initial = {
        "crime_reference": " ".join(incident.crime_reference.split()),
        "officer_name": incident.police_officer,
        "reported_on": (
            incident.police_reported_on or timezone.localtime(incident.occurred_at).date()
        ).isoformat(),
    }
    url = reverse("cases:investigation_add", args=[case.pk])
    return {"police_record_prefill_url": f"{url}?{urlencode(initial)}"}


def incident_page(request, case, incident, exhibit_form, extra=None):
    """An incident and its exhibits, with the form to add one."""
    context = case_page_context(request, case, "incidents", page_name="incident")
    context.update(
        {
            "incident": incident,
            "form": exhibit_form,
            **_police_record_offer(case, incident),
            **(extra or {}),
        }
    )
    return render(request, "risk/incident_detail.html", context)


@capability_required(Capability.WORK_CASES)
@require_POST
@with_case
def incident_police_record(request, case, incident_pk):
    """ "Create the police record with this crime reference", from the incident's page."""
    incident = incident_selectors.incident_get(case=case, pk=incident_pk)
    try:
        record = incident_services.incident_police_record_create(incident=incident, by=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"Police record created for crime reference {record.crime_reference}. "
            "Add the officer's details and the status on the Police and court tab.",
        )
    return redirect("risk:incident", case.pk, incident.pk)


@capability_required(Capability.WORK_CASES)
@with_case
def incident_detail(request, case, incident_pk):
    incident = incident_selectors.incident_get(case=case, pk=incident_pk)
    return incident_page(request, case, incident, ExhibitForm())


# ---- chronology export ---------------------------------------------------------------


def _local(dt, fmt):
    return timezone.localtime(dt).strftime(fmt) if dt else ""


def chronology_csv(chron) -> str:
    """Every cell (case reference, dates, "recorded by" included) goes through the one
    formula guard: `write_csv` writes the rows, not this function."""
    rows: list[list] = []
    writerow = rows.append
    writerow(["Incident chronology for police"])
    writerow(["Client", chron.client_name])
    writerow(["Case reference", chron.case_reference])
    writerow(["Suspect(s)", "; ".join(chron.suspects) or "Not recorded"])
    writerow(["Relationship", "; ".join(chron.relationships) or "Not recorded"])
    writerow(["Number of incidents", chron.count])
    writerow(
        ["Date range", f"{_local(chron.first, '%d/%m/%Y')} to {_local(chron.last, '%d/%m/%Y')}"]
    )
    writerow(["Occasions with feared violence", chron.feared_violence])
    writerow(["Exported", _local(chron.generated_at, "%d/%m/%Y %H:%M")])
    writerow([])
    writerow(
        [
            "No.",
            "Date",
            "Time",
            "Place",
            "Behaviour",
            "What happened",
            "Channel or platform",
            "Account or number used",
            "Proxy involved",
            "Witnesses",
            "Feared violence",
            "Impact on daily life",
            "Breach of order",
            "Reported to police",
            "Date reported",
            "Officer",
            "Crime reference",
            "Serious",
            "Recorded by",
            "Recorded at",
            "Exhibits (reference, file or item, SHA-256, where held)",
        ]
    )
    yes_no = {True: "Yes", False: "No"}
    for number, i in enumerate(chron.incidents, start=1):
        exhibits = " | ".join(
            f"{e.reference} {e.original_name or e.physical_item} "
            f"{('SHA-256 ' + e.sha256) if e.sha256 else ''} {e.held_where}".strip()
            for e in i.exhibits.all()
        )
        writerow(
            [
                number,
                _local(i.occurred_at, "%d/%m/%Y"),
                _local(i.occurred_at, "%H:%M"),
                i.place,
                i.get_behaviour_display(),
                i.description,
                i.channel,
                i.account_used,
                yes_no[i.proxy_involved],
                i.witnesses,
                yes_no[i.feared_violence],
                i.impact,
                yes_no[i.breach_of_order],
                yes_no[i.reported_to_police],
                i.police_reported_on.strftime("%d/%m/%Y") if i.police_reported_on else "",
                i.police_officer,
                i.crime_reference,
                yes_no[i.serious],
                str(i.recorded_by),
                _local(i.recorded_at, "%d/%m/%Y %H:%M"),
                exhibits,
            ]
        )
    return write_csv(rows)


@capability_required(Capability.WORK_CASES)
@with_case
def chronology_export(request, case, fmt):
    if fmt not in ("pdf", "csv"):
        raise Http404
    chron = incident_selectors.chronology(case=case)
    filename = f"chronology-{case.reference}.{fmt}"
    if fmt == "csv":
        body = chronology_csv(chron).encode("utf-8-sig")
        content_type = "text/csv; charset=utf-8"
    else:
        html = render_to_string("risk/incident_chronology_pdf.html", {"chron": chron})
        body = render_pdf(
            html,
            title=f"Incident chronology {chron.case_reference}",
            base_url=request.build_absolute_uri("/"),
        )
        content_type = "application/pdf"
    incident_services.chronology_export_record(
        case=case, fmt=fmt, incidents=chron.count, request=request, by=request.user
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
