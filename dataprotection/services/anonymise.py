"""Anonymisation: remove a client's personal data from every table and its history,
keeping the statistical facts, once a manager approved it (services/retention.py)."""

from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone

from cases.models.client import Client
from cases.models.lifecycle import Case
from cases.services.lifecycle import case_record_event
from cases.statuses import OPEN_STATUSES
from stalkingservice.audit import audit_record
from stalkingservice.domain import DomainError
from stalkingservice.history import set_history_reason
from stalkingservice.models import AuditEvent

from .. import client_records
from ..events import DATA_ANONYMISED

ALREADY_ANONYMISED = "This client's records have already been anonymised."
CLIENT_HAS_OPEN_CASE = "This client has an open case, so their records cannot be anonymised."

# What an anonymised client is called on every screen (declared on the Client model).
ANONYMISED_LABEL = Client.personal_data.anonymised["first_name"]


@dataclass
class AnonymiseResult:
    rows: int
    history_rows: int
    files: int


@transaction.atomic
def client_anonymise(*, client: Client, by, reason: str) -> AnonymiseResult:
    """Remove a client's personal data from every related table and its history, and
    delete their uploaded files, keeping statistical facts (dates, statuses, district,
    risk levels, source, outcome, equality categories, event counts).

    QuerySet.update() is used on purpose, for live and history rows alike: saving each
    object would add new history rows, and the point is that the old history rows lose
    their personal data too."""
    client = Client.objects.select_for_update().get(pk=client.pk)
    if client.anonymised_at is not None:
        raise DomainError(ALREADY_ANONYMISED)
    if client.cases.filter(status__in=OPEN_STATUSES).exists():
        raise DomainError(CLIENT_HAS_OPEN_CASE)
    case_ids = list(client.cases.values_list("pk", flat=True))
    result = AnonymiseResult(rows=0, history_rows=0, files=0)
    doomed_files: list[tuple[object, str]] = []

    for item in client_records.client_related_models():
        model = item.model
        values = {
            f.attname: client_records.anonymised_value(model, f)
            for f in client_records.personal_fields(model)
        }
        rows = client_records.rows_for_client(item, client.pk, case_ids)
        history = client_records.history_rows_for_client(item, client.pk, case_ids)
        for name in item.file_fields:
            file_field = model._meta.get_field(name)
            assert isinstance(file_field, models.FileField)  # file_fields holds only those
            storage = file_field.storage
            for qs in (rows, history):
                if qs is None:
                    continue
                for stored in qs.exclude(**{name: ""}).values_list(name, flat=True):
                    if stored:
                        doomed_files.append((storage, stored))
            values[name] = ""
        if not values:
            continue
        result.rows += rows.update(**values)
        if history is not None:
            history_values = {**values, "history_change_reason": None}
            result.history_rows += history.update(**history_values)

    unique_files = set(doomed_files)
    result.files = len(unique_files)

    def delete_files():
        for storage, name in unique_files:
            storage.delete(name)

    # Files go only once the database change is committed, so a failure leaves both.
    transaction.on_commit(delete_files)

    client.refresh_from_db()
    client.anonymised_at = timezone.now()
    client.version = (client.version or 0) + 1
    set_history_reason(client, "Anonymised under the retention rules")
    client.save()
    for case in Case.objects.filter(pk__in=case_ids):
        case_record_event(
            case=case,
            kind=DATA_ANONYMISED,
            by=by,
            summary="Personal data removed under the retention rules; statistics kept.",
        )
        audit_record(
            action=AuditEvent.Action.RETENTION,
            user=by,
            case_id=case.pk,
            page="retention",
            detail=(
                f"Anonymised ({reason}): {result.rows} rows, {result.history_rows} history "
                f"rows, {result.files} files"
            ),
        )
    return result
