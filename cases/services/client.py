"""The client's details and how it is safe to contact them. The fields a page may change
are declared once on each model (`personal_data.fields`); nothing else in the data is
read."""

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from stalkingservice.domain import bump_version, check_version
from stalkingservice.personal_data import blind_indexes_refresh
from stalkingservice.updates import save_with_reason, set_fields

from .. import events
from ..models.client import Client, SafeContact
from ..models.lifecycle import Case
from .lifecycle import case_record_event


def safe_contact_of(client: Client) -> SafeContact | None:
    """The client's safe-contact details, or None when none are recorded."""
    try:
        return client.safe_contact
    except SafeContact.DoesNotExist:
        return None


def _changed_summary(model, changed: list[str], *, none: str) -> str:
    # Which fields changed, never their values: equality answers are special-category data.
    labels = [str(model._meta.get_field(f).verbose_name) for f in changed]
    return ("Changed: " + ", ".join(labels)) if labels else none


@transaction.atomic
def client_update(
    *, client: Client, case: Case, data: Mapping[str, Any], version: int | None, by
) -> Client:
    """Edit the client's personal details and equality monitoring answers."""
    check_version(client, version)
    changed = set_fields(client, fields=Client.personal_data.fields, data=data)
    bump_version(client)
    save_with_reason(client, "Client details edited")
    case_record_event(
        case=case,
        kind=events.CLIENT_UPDATED,
        by=by,
        summary=_changed_summary(Client, changed, none="Saved with no changes"),
    )
    return client


@transaction.atomic
def safe_contact_update(
    *, client: Client, case: Case, data: Mapping[str, Any], version: int | None, by
) -> SafeContact:
    """Create or edit the client's safe-contact details (and the date they were confirmed)."""
    safe_contact = safe_contact_of(client) or SafeContact(client=client)
    if safe_contact.pk:
        check_version(safe_contact, version)
    changed = set_fields(safe_contact, fields=SafeContact.personal_data.fields, data=data)
    blind_indexes_refresh(safe_contact)
    if safe_contact.pk:
        bump_version(safe_contact)
    save_with_reason(safe_contact, "Safe-contact details edited")
    case_record_event(
        case=case,
        kind=events.SAFE_CONTACT_UPDATED,
        by=by,
        summary=_changed_summary(SafeContact, changed, none="Confirmed with no changes"),
    )
    return safe_contact
