"""The client's details and how it is safe to contact them. The fields a page may change
are declared once on each model (`personal_data.fields`); nothing else in the data is
read."""

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from stalkingservice.domain import DomainError, bump_version, check_version
from stalkingservice.personal_data import blind_indexes_refresh
from stalkingservice.updates import save_with_reason, set_fields

from .. import events
from ..models.client import Client, SafeContact
from ..models.lifecycle import Case
from .lifecycle import case_record_event, require_may_act


def safe_contact_of(client: Client) -> SafeContact | None:
    """The client's safe-contact details, or None when none are recorded."""
    try:
        return client.safe_contact
    except SafeContact.DoesNotExist:
        return None


WINDOW_NEEDS_DAYS = "Choose at least one day for these times"
WINDOW_NEEDS_TIMES = "Enter the start and end time, like 10:00 and 14:00"
WINDOW_END_BEFORE_START = "The end time must be after the start time"
_HH_MM = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")


def safe_windows_clean(windows: Iterable[Mapping[str, Any]] | None) -> list[dict]:
    """Check and normalise safe days and times: each window has at least one day (0 is
    Monday) and a start before its end ("HH:MM", London time). The error names the form
    field of the window it is about (window_1_days, window_2_start...)."""
    cleaned = []
    for n, window in enumerate(windows or [], start=1):
        days = sorted({int(d) for d in window.get("days") or []})
        start, end = str(window.get("start") or ""), str(window.get("end") or "")
        if not days or not all(0 <= d <= 6 for d in days):
            raise DomainError(WINDOW_NEEDS_DAYS, field=f"window_{n}_days")
        if not (_HH_MM.match(start) and _HH_MM.match(end)):
            raise DomainError(WINDOW_NEEDS_TIMES, field=f"window_{n}_start")
        if end <= start:
            raise DomainError(WINDOW_END_BEFORE_START, field=f"window_{n}_end")
        cleaned.append({"days": days, "start": start, "end": end})
    return cleaned


def within_safe_windows(safe_contact: SafeContact, at: dt.datetime) -> bool:
    """Is this moment inside one of the client's safe windows (London time)? With none
    recorded no time was agreed, so any time is within."""
    windows = safe_contact.safe_windows or []
    if not windows:
        return True
    local = timezone.localtime(at)
    hhmm = f"{local:%H:%M}"
    return any(local.weekday() in w["days"] and w["start"] <= hhmm < w["end"] for w in windows)


def _changed_summary(model, changed: list[str], *, none: str) -> str:
    # Which fields changed, never their values: equality answers are special-category data.
    labels = [str(model._meta.get_field(f).verbose_name) for f in changed]
    return ("Changed: " + ", ".join(labels)) if labels else none


@transaction.atomic
def client_update(
    *, client: Client, case: Case, data: Mapping[str, Any], version: int | None, by
) -> Client:
    """Edit the client's personal details and equality monitoring answers."""
    require_may_act(case, by)
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
    """Create or edit the client's safe-contact details (and the date they were confirmed).
    The row is read afresh under a lock: a digital-safety finding may have marked routes
    unsafe since the page (or the caller's copy) was loaded."""
    require_may_act(case, by)
    safe_contact = SafeContact.objects.select_for_update().filter(client=client).first()
    safe_contact = safe_contact or SafeContact(client=client)
    if safe_contact.pk:
        check_version(safe_contact, version)
    if "safe_windows" in data:
        data = {**data, "safe_windows": safe_windows_clean(data["safe_windows"])}
    changed = set_fields(safe_contact, fields=SafeContact.personal_data.fields, data=data)
    # A route a digital finding made unsafe, allowed again by the worker (a new phone, an
    # account made safe), stops being flagged; the timeline says so.
    reallowed = [
        r
        for r in safe_contact.digital_unsafe_routes or []
        if getattr(safe_contact, SafeContact.ROUTE_FLAGS[r])
    ]
    if reallowed:
        safe_contact.digital_unsafe_routes = [
            r for r in safe_contact.digital_unsafe_routes if r not in reallowed
        ]
        if not safe_contact.digital_unsafe_routes:
            safe_contact.digital_unsafe_since = None
            safe_contact.digital_unsafe_finding = ""
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
    if reallowed:
        case_record_event(
            case=case,
            kind=events.SAFE_CONTACT_UPDATED,
            by=by,
            summary="Allowed again after a digital-safety warning: "
            + ", ".join(SafeContact.ROUTE_LABELS[r] for r in reallowed),
        )
    return safe_contact


@transaction.atomic
def safe_contact_mark_routes_unsafe(
    *, client: Client, case: Case, routes: Iterable[str], finding: str, by
) -> SafeContact:
    """A digital-safety finding (stalkerware, a compromised account) makes the routes it
    exposes unsafe at once: each is no longer allowed, the record says which, when and
    why (with history), and the case timeline has the event. Everyone who opens the case
    sees the warning until a worker allows a route again."""
    safe_contact = SafeContact.objects.select_for_update().filter(
        client=client
    ).first() or SafeContact(client=client)
    routes = [r for r in SafeContact.ROUTE_FLAGS if r in set(routes)]
    newly = [r for r in routes if r not in (safe_contact.digital_unsafe_routes or [])]
    was_allowed = [r for r in routes if getattr(safe_contact, SafeContact.ROUTE_FLAGS[r])]
    if not newly and not was_allowed:
        return safe_contact
    for route in routes:
        setattr(safe_contact, SafeContact.ROUTE_FLAGS[route], False)
    safe_contact.digital_unsafe_routes = [*(safe_contact.digital_unsafe_routes or []), *newly]
    safe_contact.digital_unsafe_since = timezone.now()
    safe_contact.digital_unsafe_finding = finding[:200]
    if safe_contact.pk:
        bump_version(safe_contact)
    save_with_reason(safe_contact, f"Routes marked unsafe: {finding}"[:100])
    case_record_event(
        case=case,
        kind=events.ROUTES_MARKED_UNSAFE,
        by=by,
        summary=f"{finding}. No longer to be used: "
        + ", ".join(SafeContact.ROUTE_LABELS[r] for r in routes),
    )
    return safe_contact
