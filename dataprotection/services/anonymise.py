"""Anonymisation: remove a client's personal data from every table and its history,
keeping the statistical facts, once a manager approved it (services/retention.py)."""

from dataclasses import dataclass
from pathlib import Path

from django.db import models, transaction
from django.utils import timezone

from cases.models.client import Client
from cases.models.lifecycle import Case
from cases.services.lifecycle import case_record_event
from cases.statuses import OPEN_STATUSES
from stalkingservice.audit import audit_free_text_remove, audit_record
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


def _scrub_json(qs, names: list[str]) -> int:
    """Scrub each row's JSON fields (row by row: every row's value differs)."""
    changed = 0
    for pk, *values in qs.values_list("pk", *names).iterator():
        changes = {}
        for name, value in zip(names, values, strict=True):
            scrubbed = client_records.json_scrubbed(value)
            if scrubbed != value:
                changes[name] = scrubbed
        if changes:
            changed += qs.model._base_manager.filter(pk=pk).update(**changes)
    return changed


@transaction.atomic
def client_anonymise(*, client: Client, by, reason: str) -> AnonymiseResult:
    """Remove a client's personal data from every related table and its history (those
    of provisional clients merged into them at triage included), the free text of the
    audit rows about their cases, and delete their uploaded files, keeping statistical
    facts (dates, statuses, district, risk levels, source, outcome, equality categories,
    event counts).

    QuerySet.update() is used on purpose, for live and history rows alike: saving each
    object would add new history rows, and the point is that the old history rows lose
    their personal data too."""
    client = Client.objects.select_for_update().get(pk=client.pk)
    if client.anonymised_at is not None:
        raise DomainError(ALREADY_ANONYMISED)
    if client.cases.filter(status__in=OPEN_STATUSES).exists():
        raise DomainError(CLIENT_HAS_OPEN_CASE)
    scope = client_records.client_scope(client.pk)
    case_ids = scope.case_ids
    result = AnonymiseResult(rows=0, history_rows=0, files=0)
    doomed_files: set[tuple[object, str]] = set()
    doomed_paths: set[Path] = set()

    # Which rows are the client's is worked out before anything changes (from foreign
    # keys, which anonymisation leaves as they are).
    work = [
        (
            item,
            client_records.rows_for_client(item, scope),
            client_records.history_rows_for_client(item, scope),
        )
        for item in scope.items.values()
    ]
    for item, rows, history in work:
        model = item.model
        values = {
            f.attname: client_records.anonymised_value(model, f)
            for f in client_records.personal_fields(model)
        }
        querysets = [qs for qs in (rows, history) if qs is not None]
        for name in item.file_fields:
            file_field = model._meta.get_field(name)
            assert isinstance(file_field, models.FileField)  # file_fields holds only those
            for qs in querysets:
                for stored in qs.exclude(**{name: ""}).values_list(name, flat=True):
                    if stored:
                        doomed_files.add((file_field.storage, stored))
            values[name] = ""
        for spec in item.stored_files:
            for qs in querysets:
                for stored in qs.exclude(**{spec.field: ""}).values_list(spec.field, flat=True):
                    path = client_records.stored_file_path(spec, stored) if stored else None
                    if path is not None:
                        doomed_paths.add(path)
            values[spec.field] = ""
        json_names = [f.attname for f in client_records.scrubbed_json_fields(model)]
        if json_names:
            result.rows += _scrub_json(rows, json_names)
            if history is not None:
                result.history_rows += _scrub_json(history, json_names)
        if not values:
            continue
        result.rows += rows.update(**values)
        if history is not None:
            history_values = {**values, "history_change_reason": None}
            result.history_rows += history.update(**history_values)

    # The audit outlives anonymisation, so it holds ids and actions; a break-glass
    # reason was once written into it too, and those words go now.
    result.rows += audit_free_text_remove(case_ids=case_ids)

    result.files = len(doomed_files) + len(doomed_paths)

    def delete_files():
        for storage, name in doomed_files:
            storage.delete(name)
        for path in doomed_paths:
            path.unlink(missing_ok=True)

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
