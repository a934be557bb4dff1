"""Subject access (UK GDPR Art. 15): track requests and build the bundle of everything
held about a client, with third-party data marked for redaction review."""

import json
from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from cases.models.lifecycle import Case
from cases.permissions import cases_visible_to
from stalkingservice.audit import audit_record
from stalkingservice.domain import DomainError
from stalkingservice.history import set_history_reason
from stalkingservice.models import AuditEvent
from stalkingservice.pdf import render_pdf

from .. import client_records
from ..models import SubjectAccessRequest

CASE_NOT_FOUND = "No case with that reference was found. Check the reference and try again."
RECEIVED_IN_FUTURE = "The date received cannot be in the future"
ALREADY_COMPLETED = "This request has already been completed."
THIRD_PARTY_NOTICE = (
    "Items marked THIRD PARTY are about someone other than the client (the suspect, "
    "witnesses, referrers, other people). Review each one and redact it where the law "
    "requires before the bundle is released."
)


def sar_due_on(received_on: date) -> date:
    """One calendar month (31 January -> 28/29 February, as the ICO counts it)."""
    return received_on + relativedelta(months=1)


@transaction.atomic
def sar_create(*, case_reference: str, received_on: date, by) -> SubjectAccessRequest:
    """Log a request received for the client of a case."""
    case = cases_visible_to(by).filter(reference__iexact=(case_reference or "").strip()).first()
    if case is None:
        raise DomainError(CASE_NOT_FOUND)
    if received_on > timezone.localdate():
        raise DomainError(RECEIVED_IN_FUTURE)
    sar = SubjectAccessRequest(
        client_id=case.client_id,
        received_on=received_on,
        due_on=sar_due_on(received_on),
        created_by=by,
    )
    set_history_reason(sar, "Request logged")
    sar.save()
    return sar


@transaction.atomic
def sar_complete(*, sar: SubjectAccessRequest, by) -> SubjectAccessRequest:
    sar = SubjectAccessRequest.objects.select_for_update().get(pk=sar.pk)
    if sar.status == SubjectAccessRequest.Status.COMPLETED:
        raise DomainError(ALREADY_COMPLETED)
    sar.status = SubjectAccessRequest.Status.COMPLETED
    sar.completed_on = timezone.localdate()
    sar.completed_by = by
    set_history_reason(sar, "Completed")
    sar.save()
    return sar


def sar_log_download(*, sar: SubjectAccessRequest, fmt: str, request) -> None:
    """Every bundle download is in the audit trail, once per case of the client."""
    case_ids: list[int | None] = list(
        Case.objects.filter(client_id=sar.client_id).values_list("pk", flat=True)
    )
    # A client with no case left still gets one audit row, with no case.
    for case_id in case_ids or [None]:
        audit_record(
            action=AuditEvent.Action.SUBJECT_ACCESS,
            request=request,
            case_id=case_id,
            detail=f"Subject access request {sar.pk}: bundle downloaded as {fmt.upper()}",
        )


# ---- the bundle ----------------------------------------------------------------------


def _display(obj, f):
    if isinstance(f, models.ForeignKey | models.OneToOneField):
        if getattr(obj, f.attname) is None:
            return ""
        try:
            return str(getattr(obj, f.name))
        except f.related_model.DoesNotExist:  # history rows may point at deleted rows
            return f"#{getattr(obj, f.attname)}"
    if isinstance(f, models.FileField):
        value = getattr(obj, f.attname)
        return f"File: {value}" if value else ""
    if f.choices:
        value = getattr(obj, f.attname)
        return str(dict(f.flatchoices).get(value, value if value is not None else ""))
    value = getattr(obj, f.attname)
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d %B %Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d %B %Y")
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if value is None:
        return ""
    return value


def _bundle_fields(model):
    index_fields = client_records.blind_index_fields(model)
    return [f for f in model._meta.concrete_fields if f.name not in index_fields]


def _record(model, obj, fields):
    return [
        {
            "name": f.name,
            "label": str(f.verbose_name).capitalize(),
            "value": _display(obj, f),
            "third_party": client_records.is_third_party(model, f.name),
        }
        for f in fields
    ]


def subject_access_bundle(*, client) -> dict:
    """Everything held about the client: each related record (agreed safety-plan
    versions and break-glass grants with their reasons included), its full history, and
    the access log of their cases."""
    scope = client_records.client_scope(client.pk)
    case_ids = scope.case_ids
    references = dict(Case.objects.filter(pk__in=case_ids).values_list("pk", "reference"))
    sections = []
    for item in scope.items.values():
        model = item.model
        fields = _bundle_fields(model)
        rows = client_records.rows_for_client(item, scope).order_by("pk")
        records = [{"id": obj.pk, "fields": _record(model, obj, fields)} for obj in rows]
        history = []
        # Includes the history of records deleted since and of provisional clients
        # merged into this one at triage (their names and safe contact as first given).
        history_qs = client_records.history_rows_for_client(item, scope)
        if history_qs is not None and item.history is not None:
            names = {f.name for f in fields}
            hfields = [f for f in item.history._meta.concrete_fields if f.name in names]
            for h in history_qs.select_related("history_user").order_by("history_date"):
                history.append(
                    {
                        "record_id": h.id,
                        "changed_at": timezone.localtime(h.history_date).strftime("%d %B %Y %H:%M"),
                        "change": {"+": "Created", "~": "Changed", "-": "Deleted"}.get(
                            h.history_type, h.history_type
                        ),
                        "changed_by": str(h.history_user) if h.history_user_id else "",
                        "reason": h.history_change_reason or "",
                        "fields": _record(model, h, hfields),
                    }
                )
        if not records and not history:
            continue
        sections.append(
            {
                "model": model._meta.label,
                "title": str(model._meta.verbose_name_plural).capitalize(),
                "third_party_record": client_records.is_third_party_record(model),
                "records": records,
                "history": history,
            }
        )
    access_log = [
        {
            "at": timezone.localtime(e.at).strftime("%d %B %Y %H:%M"),
            "who": e.username,
            "action": e.get_action_display(),
            "case": references.get(e.case_id, e.case_id) if e.case_id is not None else None,
            "page": e.page,
        }
        for e in AuditEvent.objects.filter(case_id__in=case_ids).order_by("at", "id")
    ]
    return {
        "generated_at": timezone.localtime().strftime("%d %B %Y %H:%M"),
        "client_id": client.pk,
        "case_references": [references[c] for c in sorted(references)],
        "notice": THIRD_PARTY_NOTICE,
        "sections": sections,
        "access_log": access_log,
    }


def bundle_json(bundle: dict) -> bytes:
    return json.dumps(bundle, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False).encode()


def bundle_pdf(bundle: dict) -> bytes:
    html = render_to_string("dataprotection/sar_bundle_pdf.html", {"bundle": bundle})
    return render_pdf(html, title="Subject access bundle")
