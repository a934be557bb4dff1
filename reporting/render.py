"""Files of a return, rendered only from the figures stored on it (never recomputed), so
a finalised return always reads the same."""

import json

from django.conf import settings
from django.template.loader import render_to_string

from stalkingservice import pdf
from stalkingservice.csv_export import write_csv

from . import figures, sdc
from .registry import GROUPS

CSV_HEADER = [
    "service",
    "period",
    "version",
    "indicator_code",
    "indicator",
    "unit",
    "breakdown",
    "value",
]


def export_document(ret) -> dict:
    """The published JSON, exactly: service, period, version, generated_at, indicators."""
    return ret.data["export"]


def render_json(ret) -> bytes:
    return json.dumps(export_document(ret), indent=2, ensure_ascii=False).encode("utf-8")


def render_csv(ret) -> bytes:
    doc = export_document(ret)
    rows = []
    for ind in doc["indicators"]:
        common = [
            doc["service"],
            doc["period"]["label"],
            doc["version"],
            ind["code"],
            ind["label"],
            ind["unit"],
        ]
        rows.append([*common, "Total", ind["value"]])
        rows.extend([*common, key, value] for key, value in ind["breakdown"].items())
    return write_csv(rows, header=CSV_HEADER).encode("utf-8-sig")


def _fmt(value, unit: str) -> str:
    if value is None:
        return "No data"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        return value
    if unit == "percent":
        return f"{value}%"
    if unit == "working days":
        return f"{value} working day{'s' if value != 1 else ''}"
    return f"{value:,}"


def pdf_context(ret) -> dict:
    doc = export_document(ret)
    meta = ret.data.get("meta", {})
    previous = ret.data.get("previous", {})
    indicators = []
    for ind in doc["indicators"]:
        m = meta.get(ind["code"], {})
        indicators.append(
            {
                **ind,
                "meta": m,
                "shown": _fmt(ind["value"], ind["unit"]),
                "previous_shown": _fmt(previous.get(ind["code"]), ind["unit"])
                if ind["code"] in previous
                else "Not available",
                "rows": [(k, _fmt(v, "count")) for k, v in ind["breakdown"].items()],
                "chart": figures.chart_for(ind, meta=m),
            }
        )
    sections = []
    for code, label in GROUPS:
        items = [i for i in indicators if i["meta"].get("group") == code]
        if not items:
            continue
        extra = figures.section_chart(code, {i["code"]: i["breakdown"] for i in items})
        sections.append({"code": code, "label": label, "indicators": items, "extra_chart": extra})
    return {
        "ret": ret,
        "doc": doc,
        "service_name": settings.SERVICE_NAME,
        "commissioner_name": settings.COMMISSIONER_NAME,
        "period_title": ret.data.get("period_title", doc["period"]["label"]),
        "headlines": [i for i in indicators if i["meta"].get("headline")],
        "sections": sections,
        "indicators": indicators,
        "threshold": sdc.threshold(),
        "small_marker": sdc.small_marker(),
        "secondary_explanation": sdc.SECONDARY_EXPLANATION,
        "previous_label": ret.data.get("previous_label", ""),
    }


def render_pdf(ret) -> bytes:
    """The return as a tagged PDF/UA file. No untagged fallback: a WeasyPrint that cannot
    write PDF/UA fails the return's job, where someone sees it."""
    context = pdf_context(ret)
    html = render_to_string("reporting/pdf/return.html", context)
    title = f"{context['service_name']}: quarterly return {context['doc']['period']['label']}"
    return pdf.render_pdf(html, title=title, base_url=str(settings.BASE_DIR))
