"""Risk tab (assessments, level history, MARAC, reviews), incident and evidence log,
exhibit downloads and the police chronology export. Thin: load, call a service, redirect."""

import csv
import io

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cases.case_page import case_page_context
from cases.selectors.lifecycle import case_get_for_user
from stalkingservice.audit import audit_record
from stalkingservice.domain import DomainError, StaleEdit
from stalkingservice.models import AuditEvent
from stalkingservice.roles import Capability
from stalkingservice.views import capability_required

from . import exhibit_files, selectors, services
from .forms import (
    AssessmentForm,
    ExhibitForm,
    IncidentCreateForm,
    IncidentEditForm,
    MaracReferralForm,
    MaracUpdateForm,
)
from .models import RiskAssessment

# Which field a refusal from the service belongs beside.
ASSESSMENT_ERROR_FIELDS = {
    services.ASSESSOR_LEVEL_REQUIRED: "assessor_level",
    services.OVERRIDE_REASON_REQUIRED: "judgement_reason",
    services.SUMMARY_RATINGS_REQUIRED: "summary_ratings",
    services.RECEIVED_TOOL_REQUIRED: "received_tool",
    services.RECEIVED_SCORE_REQUIRED: "received_score",
    services.FUTURE_DATE: "assessed_on",
}


def _field_for(form, message: str, mapping: dict) -> str | None:
    if message.startswith(services.OVERRIDE_BELOW_COMPUTED.split("(")[0]):
        return "judgement_level"
    name = mapping.get(message)
    return name if name in form.fields else None


# ---- risk tab ------------------------------------------------------------------------


@capability_required(Capability.WORK_CASES)
def case_risk(request, pk):
    case = case_get_for_user(user=request.user, pk=pk)
    context = case_page_context(request, case, "risk", page_name="risk")
    history = selectors.risk_history(case=case)
    page = Paginator(selectors.assessments_for_case(case=case), 20).get_page(
        request.GET.get("page")
    )
    context.update(
        {
            "tools": selectors.risk_tools_offered(),
            "page": page,
            "history": history,
            "chart": selectors.risk_chart(history=history),
            "prompts": selectors.marac_prompts(case=case),
            "referrals": selectors.marac_referrals_for_case(case=case),
            "review": selectors.review_status(case=case),
        }
    )
    return render(request, "risk/assessment_tab.html", context)


def _assessment_page(request, case, tool, assessment=None):
    items = list(tool.items.all()) if tool.has_items else []
    initial = {}
    if assessment is not None:
        initial = {
            "assessed_on": assessment.assessed_on,
            "assessor_level": assessment.assessor_level,
            "judgement_level": assessment.judgement_level,
            "judgement_reason": assessment.judgement_reason,
            "summary_ratings": assessment.summary_ratings,
            "received_tool": assessment.received_tool,
            "received_version": assessment.received_version,
            "received_score": assessment.score,
            "received_level": assessment.received_level,
            "received_from": assessment.received_from,
            "notes": assessment.notes,
            "version": assessment.version,
        }
        for item_id, (answer, comment) in selectors.assessment_answers(
            assessment=assessment
        ).items():
            initial[f"q_{item_id}"] = answer
            initial[f"c_{item_id}"] = comment
    form = AssessmentForm(request.POST or None, tool=tool, items=items, initial=initial)
    if request.method == "POST" and form.is_valid():
        complete = request.POST.get("action") == "complete"
        try:
            result = services.assessment_save(
                case=case,
                tool=tool,
                by=request.user,
                complete=complete,
                assessment=assessment,
                **form.service_kwargs(),
            )
        except StaleEdit as exc:
            form.add_error(None, str(exc))
        except DomainError as exc:
            form.add_error(_field_for(form, str(exc), ASSESSMENT_ERROR_FIELDS), str(exc))
        else:
            saved = result.assessment
            if saved.is_complete:
                level = saved.get_final_level_display()
                messages.success(
                    request,
                    f"{tool.name} completed" + (f": {level.lower()} risk." if level else "."),
                )
                return redirect("risk:case_risk", case.pk)
            if complete and result.missing:
                messages.warning(
                    request,
                    services.ASSESSMENT_INCOMPLETE.format(
                        numbers=", ".join(str(n) for n in result.missing)
                    ),
                )
            else:
                messages.success(request, "Draft saved. No risk level is set until it is complete.")
            return redirect("risk:assessment", case.pk, saved.pk)
    context = case_page_context(request, case, "risk", page_name=f"risk assessment {tool.code}")
    yes = sum(1 for i in items if (form[f"q_{i.pk}"].value() or "") == "yes")
    context.update(
        {
            "form": form,
            "tool": tool,
            "assessment": assessment,
            "yes_count": yes,
            "item_count": len(items),
        }
    )
    return render(request, "risk/assessment_form.html", context)


@capability_required(Capability.WORK_CASES)
@require_http_methods(["GET", "POST"])
def assessment_new(request, pk, tool_code):
    case = case_get_for_user(user=request.user, pk=pk)
    tool = selectors.risk_tool_get(code=tool_code)
    return _assessment_page(request, case, tool)


@capability_required(Capability.WORK_CASES)
@require_http_methods(["GET", "POST"])
def assessment_detail(request, pk, assessment_pk):
    case = case_get_for_user(user=request.user, pk=pk)
    assessment = selectors.assessment_get(case=case, pk=assessment_pk)
    if assessment.status == RiskAssessment.Status.DRAFT:
        return _assessment_page(request, case, assessment.tool, assessment)
    if request.method == "POST":
        messages.error(request, services.ASSESSMENT_ALREADY_COMPLETE)
        return redirect("risk:assessment", case.pk, assessment.pk)
    context = case_page_context(request, case, "risk", page_name="risk assessment")
    answers = list(assessment.answers.select_related("item").order_by("item__number"))
    context.update({"assessment": assessment, "answers": answers})
    return render(request, "risk/assessment_detail.html", context)


# ---- MARAC ---------------------------------------------------------------------------


@capability_required(Capability.WORK_CASES)
@require_http_methods(["GET", "POST"])
def marac_new(request, pk):
    case = case_get_for_user(user=request.user, pk=pk)
    prompts = selectors.marac_prompts(case=case)
    initial = {"referred_on": timezone.localdate(), **{p.code: True for p in prompts}}
    form = MaracReferralForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.marac_refer(
                case=case,
                referred_on=data["referred_on"],
                criteria={c: data.get(c) for c in services.MARAC_CRITERIA},
                reason=data.get("reason") or "",
                meeting_on=data.get("meeting_on"),
                by=request.user,
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "MARAC referral recorded.")
            return redirect("risk:case_risk", case.pk)
    context = case_page_context(request, case, "risk", page_name="MARAC referral")
    context.update({"form": form, "prompts": prompts})
    return render(request, "risk/assessment_marac_form.html", context)


@capability_required(Capability.WORK_CASES)
@require_http_methods(["GET", "POST"])
def marac_edit(request, pk, marac_pk):
    case = case_get_for_user(user=request.user, pk=pk)
    referral = selectors.marac_get(case=case, pk=marac_pk)
    form = MaracUpdateForm(request.POST or None, instance=referral)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.marac_update(
                referral=selectors.marac_get(case=case, pk=marac_pk),
                meeting_on=data.get("meeting_on"),
                actions=data.get("actions") or "",
                outcome=data.get("outcome") or "",
                version=data.get("version"),
                by=request.user,
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "MARAC referral updated.")
            return redirect("risk:case_risk", case.pk)
    context = case_page_context(request, case, "risk", page_name="MARAC referral")
    context.update({"form": form, "referral": referral})
    return render(request, "risk/assessment_marac_form.html", context)


# ---- manager's review list -------------------------------------------------------------


@capability_required(Capability.SEE_ALL_CASES)
def high_risk_reviews(request):
    today = timezone.localdate()
    page = Paginator(selectors.high_risk_cases_needing_review(today=today), 25).get_page(
        request.GET.get("page")
    )
    for case in page:
        case.review = selectors.review_status(case=case, today=today)
    return render(request, "risk/assessment_review_list.html", {"page": page, "today": today})


# ---- incidents -----------------------------------------------------------------------


@capability_required(Capability.WORK_CASES)
def incidents(request, pk):
    case = case_get_for_user(user=request.user, pk=pk)
    context = case_page_context(request, case, "incidents", page_name="incidents")
    page = Paginator(selectors.incidents_for_case(case=case), 25).get_page(request.GET.get("page"))
    context.update({"page": page, "counts": selectors.incident_counts(case=case)})
    return render(request, "risk/incident_list.html", context)


@capability_required(Capability.WORK_CASES)
@require_http_methods(["GET", "POST"])
def incident_new(request, pk):
    case = case_get_for_user(user=request.user, pk=pk)
    form = IncidentCreateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.incident_record(
                case=case,
                data=form.incident_data(),
                upload=form.cleaned_data.get("exhibit_file"),
                exhibit_description=form.cleaned_data.get("exhibit_description") or "",
                by=request.user,
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Incident recorded.")
            return redirect("risk:incident", case.pk, incident.pk)
    context = case_page_context(request, case, "incidents", page_name="new incident")
    context.update({"form": form})
    return render(request, "risk/incident_form.html", context)


@capability_required(Capability.WORK_CASES)
@require_http_methods(["GET", "POST"])
def incident_edit(request, pk, incident_pk):
    case = case_get_for_user(user=request.user, pk=pk)
    incident = selectors.incident_get(case=case, pk=incident_pk)
    form = IncidentEditForm(request.POST or None, instance=incident)
    if request.method == "POST" and form.is_valid():
        try:
            services.incident_update(
                incident=selectors.incident_get(case=case, pk=incident_pk),
                data=form.incident_data(),
                version=form.cleaned_data.get("version"),
                by=request.user,
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Incident updated.")
            return redirect("risk:incident", case.pk, incident.pk)
    context = case_page_context(request, case, "incidents", page_name="edit incident")
    context.update({"form": form, "incident": incident})
    return render(request, "risk/incident_form.html", context)


def _incident_page(request, case, incident, exhibit_form):
    context = case_page_context(request, case, "incidents", page_name="incident")
    context.update({"incident": incident, "form": exhibit_form})
    return render(request, "risk/incident_detail.html", context)


@capability_required(Capability.WORK_CASES)
def incident_detail(request, pk, incident_pk):
    case = case_get_for_user(user=request.user, pk=pk)
    incident = selectors.incident_get(case=case, pk=incident_pk)
    return _incident_page(request, case, incident, ExhibitForm())


@capability_required(Capability.WORK_CASES)
@require_POST
def exhibit_new(request, pk, incident_pk):
    case = case_get_for_user(user=request.user, pk=pk)
    incident = selectors.incident_get(case=case, pk=incident_pk)
    form = ExhibitForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            exhibit = services.exhibit_add(
                incident=incident,
                upload=data.get("file"),
                description=data.get("description") or "",
                physical_item=data.get("physical_item") or "",
                held_where=data.get("held_where") or "",
                by=request.user,
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Exhibit {exhibit.reference} added.")
            return redirect("risk:incident", case.pk, incident.pk)
    return _incident_page(request, case, incident, form)


@capability_required(Capability.WORK_CASES)
def exhibit_download(request, pk, exhibit_pk):
    exhibit = selectors.exhibit_get_for_user(user=request.user, case_pk=pk, pk=exhibit_pk)
    if not exhibit.is_file:
        raise Http404
    try:
        handle = exhibit_files.path_for(exhibit.stored_name).open("rb")
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


# ---- chronology export ---------------------------------------------------------------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    # A spreadsheet must not run a cell as a formula.
    return "'" + text if text.startswith(FORMULA_START) else text


def _local(dt, fmt):
    return timezone.localtime(dt).strftime(fmt) if dt else ""


def chronology_csv(chron) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Incident chronology for police"])
    writer.writerow(["Client", _cell(chron.client_name)])
    writer.writerow(["Case reference", chron.case_reference])
    writer.writerow(["Suspect(s)", _cell("; ".join(chron.suspects) or "Not recorded")])
    writer.writerow(["Relationship", _cell("; ".join(chron.relationships) or "Not recorded")])
    writer.writerow(["Number of incidents", chron.count])
    writer.writerow(
        ["Date range", f"{_local(chron.first, '%d/%m/%Y')} to {_local(chron.last, '%d/%m/%Y')}"]
    )
    writer.writerow(["Occasions with feared violence", chron.feared_violence])
    writer.writerow(["Exported", _local(chron.generated_at, "%d/%m/%Y %H:%M")])
    writer.writerow([])
    writer.writerow(
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
        writer.writerow(
            [
                number,
                _local(i.occurred_at, "%d/%m/%Y"),
                _local(i.occurred_at, "%H:%M"),
                _cell(i.place),
                i.get_behaviour_display(),
                _cell(i.description),
                _cell(i.channel),
                _cell(i.account_used),
                yes_no[i.proxy_involved],
                _cell(i.witnesses),
                yes_no[i.feared_violence],
                _cell(i.impact),
                yes_no[i.breach_of_order],
                yes_no[i.reported_to_police],
                i.police_reported_on.strftime("%d/%m/%Y") if i.police_reported_on else "",
                _cell(i.police_officer),
                _cell(i.crime_reference),
                yes_no[i.serious],
                str(i.recorded_by),
                _local(i.recorded_at, "%d/%m/%Y %H:%M"),
                _cell(exhibits),
            ]
        )
    return out.getvalue()


@capability_required(Capability.WORK_CASES)
def chronology_export(request, pk, fmt):
    case = case_get_for_user(user=request.user, pk=pk)
    if fmt not in ("pdf", "csv"):
        raise Http404
    chron = selectors.chronology(case=case)
    filename = f"chronology-{case.reference}.{fmt}"
    if fmt == "csv":
        body = chronology_csv(chron).encode("utf-8-sig")
        content_type = "text/csv; charset=utf-8"
    else:
        from weasyprint import HTML

        html = render_to_string("risk/incident_chronology_pdf.html", {"chron": chron})
        body = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
        content_type = "application/pdf"
    services.chronology_export_record(
        case=case, fmt=fmt, incidents=chron.count, request=request, by=request.user
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
