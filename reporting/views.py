from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from stalkingservice import charts
from stalkingservice.access import capability_required
from stalkingservice.audit import audit_record
from stalkingservice.domain import DomainError
from stalkingservice.models import AuditEvent
from stalkingservice.roles import Capability

from . import figures, selectors, services
from .forms import GenerateReturnForm, NarrativeForm
from .models import QuarterlyReturn
from .periods import Quarter
from .registry import GROUPS
from .tasks import generate_quarterly_return

FORMATS = {
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}


def _cases_link(params: dict | None) -> str:
    if not params:
        return ""
    return f"{reverse('cases:all_cases')}?{urlencode(params)}"


def _every(seconds: int) -> str:
    """'every minute', 'every 5 minutes', 'every 30 seconds'; '' for 0 (no cache)."""
    if seconds <= 0:
        return ""
    n, unit = (seconds // 60, "minute") if seconds % 60 == 0 else (seconds, "second")
    return f"every {unit}" if n == 1 else f"every {n} {unit}s"


@capability_required(Capability.VIEW_DASHBOARD)
def dashboard(request):
    """True numbers for the current quarter to date (or a chosen one), computed at most
    REPORTING_DASHBOARD_CACHE_SECONDS ago; the page says when ("figures as at")."""
    try:
        quarter = Quarter.parse(request.GET["quarter"]) if request.GET.get("quarter") else None
    except ValueError:
        quarter = None
    now = timezone.now()
    quarter = quarter or Quarter.containing(timezone.localdate())
    if quarter.start_at > now:
        quarter = Quarter.containing(timezone.localdate())
    dashboard = figures.dashboard_figures(quarter)
    period = dashboard.period
    sections = {code: [] for code, _ in GROUPS}
    breakdowns: dict[str, dict] = {code: {} for code, _ in GROUPS}
    for ind, result in dashboard.results:
        breakdowns[ind.group][ind.code] = {r.label: r.value for r in result.rows}
        rows = [
            {"label": row.label, "value": row.value, "link": _cases_link(row.link)}
            for row in result.rows
        ]
        sections.setdefault(ind.group, []).append(
            {
                "ind": ind,
                "value": result.value,
                "base": result.base,
                "link": _cases_link(result.link),
                "rows": rows,
                "chart": figures.chart_for(
                    {"label": ind.label, "breakdown": {r.label: r.value for r in result.rows}},
                    meta={"chart": ind.chart},
                )
                if ind.chart
                else "",
            }
        )
    context = {
        "quarter": quarter,
        "period": period,
        "in_progress": period.end < quarter.end_at,
        "as_at": dashboard.computed_at,
        "refresh_every": _every(settings.REPORTING_DASHBOARD_CACHE_SECONDS),
        "sections": [
            (label, sections[code], figures.section_chart(code, breakdowns[code]))
            for code, label in GROUPS
            if sections.get(code)
        ],
        "previous_quarter": quarter.previous(),
        "next_quarter": quarter.next() if quarter.next().start_at <= now else None,
    }
    return render(request, "reporting/dashboard.html", context)


@capability_required(Capability.MANAGE_RETURNS)
def manage_returns(request):
    """Every version of every return, drafts included, and the form to produce one."""
    returns = (
        selectors.returns_visible_to(request.user).defer("data").order_by("-quarter", "-version")
    )
    page = Paginator(returns, 20).get_page(request.GET.get("page"))
    return render(request, "reporting/manage.html", {"page": page, "form": GenerateReturnForm()})


@capability_required(Capability.MANAGE_RETURNS)
@require_POST
def generate(request):
    form = GenerateReturnForm(request.POST)
    if form.is_valid():
        try:
            ret = services.return_request(
                quarter=form.cleaned_data["quarter"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            generate_quarterly_return.delay_on_commit(ret.quarter, request.user.pk, ret.version)
            messages.success(
                request, f"Producing the {ret.quarter} return (version {ret.version})."
            )
            return redirect("reporting:return_detail", pk=ret.pk)
    returns = (
        selectors.returns_visible_to(request.user).defer("data").order_by("-quarter", "-version")
    )
    page = Paginator(returns, 20).get_page(request.GET.get("page"))
    return render(request, "reporting/manage.html", {"page": page, "form": form}, status=200)


def _detail_context(request, ret, narrative_form=None):
    if narrative_form is None:
        narrative_form = NarrativeForm(
            initial={
                "highlights": ret.highlights,
                "challenges": ret.challenges,
                "case_study": ret.case_study,
                "edit_version": ret.edit_version,
            }
        )
    headlines = []
    if ret.is_ready and ret.data:
        meta = ret.data.get("meta", {})
        headlines = [
            (i["label"], i["value"], ret.data.get("previous", {}).get(i["code"]))
            for i in ret.data["export"]["indicators"]
            if meta.get(i["code"], {}).get("headline")
        ]
    return {"ret": ret, "form": narrative_form, "headlines": headlines}


@capability_required(Capability.MANAGE_RETURNS)
def return_detail(request, pk):
    ret = selectors.return_get_for_user(user=request.user, pk=pk)
    return render(request, "reporting/detail.html", _detail_context(request, ret))


@capability_required(Capability.MANAGE_RETURNS)
def return_status(request, pk):
    """The progress panel, polled by htmx until the return is ready or has failed."""
    ret = selectors.return_get_for_user(user=request.user, pk=pk)
    return render(request, "reporting/includes/status.html", {"ret": ret})


@capability_required(Capability.MANAGE_RETURNS)
@require_POST
def narrative(request, pk):
    ret = selectors.return_get_for_user(user=request.user, pk=pk)
    form = NarrativeForm(request.POST)
    if form.is_valid():
        try:
            services.return_update_narrative(
                ret=ret,
                by=request.user,
                highlights=form.cleaned_data["highlights"],
                challenges=form.cleaned_data["challenges"],
                case_study=form.cleaned_data["case_study"],
                edit_version=form.cleaned_data.get("edit_version"),
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "Narrative saved. The draft files now include it.")
            return redirect("reporting:return_detail", pk=ret.pk)
    return render(request, "reporting/detail.html", _detail_context(request, ret, form))


@capability_required(Capability.MANAGE_RETURNS)
@require_POST
def finalise(request, pk):
    ret = selectors.return_get_for_user(user=request.user, pk=pk)
    try:
        services.return_finalise(ret=ret, by=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"The {ret.quarter} return is finalised. Commissioners have been told."
        )
    return redirect("reporting:return_detail", pk=ret.pk)


@capability_required(Capability.DOWNLOAD_RETURNS)
def returns(request):
    """The Commissioner's area: finalised returns only; the Commissioner sees the latest
    finalised version of each quarter, managers every finalised version."""
    rows = selectors.finalised_returns(request.user).defer("data").order_by("-quarter", "-version")
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    return render(request, "reporting/returns.html", {"page": page})


@capability_required(Capability.DOWNLOAD_RETURNS)
def trends(request):
    """Headline figures across quarters, from the finalised returns (as published)."""
    latest = selectors.latest_finalised_per_quarter(request.user)
    series: dict[str, dict] = {}
    for ret in latest:
        meta = ret.data.get("meta", {})
        for ind in ret.data["export"]["indicators"]:
            if meta.get(ind["code"], {}).get("headline"):
                entry = series.setdefault(
                    ind["code"], {"label": ind["label"], "unit": ind["unit"], "values": {}}
                )
                entry["values"][ret.quarter] = ind["value"]
    quarters = [ret.quarter for ret in latest]
    trend_charts = []
    for entry in series.values():
        values = [entry["values"].get(q) for q in quarters]
        trend_charts.append(
            {
                "label": entry["label"],
                "unit": entry["unit"],
                "rows": list(zip(quarters, values, strict=True)),
                "chart": charts.bar_chart(
                    title=f"{entry['label']} by quarter",
                    categories=quarters,
                    series=[(entry["label"], values)],
                    unit="%" if entry["unit"] == "percent" else "",
                ),
            }
        )
    return render(request, "reporting/trends.html", {"trends": trend_charts, "quarters": quarters})


@capability_required(Capability.DOWNLOAD_RETURNS)
def download(request, pk, fmt):
    """A stored file of a return. Commissioners get finalised versions only (a draft is a
    404 for them); every download is written to the audit log."""
    if fmt not in FORMATS:
        raise Http404
    ret = selectors.return_get_for_user(user=request.user, pk=pk)
    field = ret.file_for(fmt)
    if not field:
        raise Http404
    audit_record(
        action=AuditEvent.Action.DOWNLOAD,
        request=request,
        detail=f"Quarterly return {ret.quarter} version {ret.version} ({ret.status}) as {fmt.upper()}, sha256 {ret.sha_for(fmt)}",
    )
    status = "final" if ret.is_finalised else "draft"
    response = FileResponse(
        field.open("rb"),
        content_type=FORMATS[fmt],
        as_attachment=True,
        filename=f"stalking-advocacy-return-{ret.quarter}-v{ret.version}-{status}.{fmt}",
    )
    response["X-Content-SHA256"] = ret.sha_for(fmt)
    response["Cache-Control"] = "no-store"
    return response


@capability_required(Capability.DOWNLOAD_RETURNS)
def notifications(request):
    page = Paginator(selectors.notifications_for(request.user), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "reporting/notifications.html", {"page": page})


@capability_required(Capability.DOWNLOAD_RETURNS)
@require_POST
def notifications_read(request):
    services.notifications_mark_read(user=request.user)
    messages.success(request, "All notifications marked as read.")
    return redirect("reporting:notifications")


__all__ = ["QuarterlyReturn"]
