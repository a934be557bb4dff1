"""Erasure that is complete (issue 13, points 1 and 2).

One client is built through the real services in every shape the flows make: an agency
referral taken on, notes edited many times, safe contact, safety-plan versions agreed,
incidents with exhibit files, break-glass with a reason naming the client, a
reallocation, a closed case reopened as a new episode, and a self-referral from the same
person linked to them at triage as a duplicate (its provisional client and safe contact
are deleted and keep their history under the old id). The subject access bundle must
find all of it; after anonymisation, no table of the database (every model, history
models included, text and JSON fields decrypted through the model's own fields, plus a
raw scan of every table) and no file under MEDIA_ROOT (names and contents) may hold any
value known about the client."""

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models
from django.utils import timezone

from cases.models.client import Client
from cases.models.lifecycle import Case, ClosureReason
from cases.services.client import safe_contact_update
from cases.services.lifecycle import (
    break_glass_grant,
    case_allocate,
    case_reallocate,
    case_reopen,
    closure_request,
)
from cases.services.notes_tasks import note_add, note_edit
from dataprotection.services.anonymise import client_anonymise
from dataprotection.services.subject_access import bundle_json, subject_access_bundle
from referrals import services as referrals
from referrals.models import Referral, ReferralSource
from risk.models.exhibits import Exhibit
from risk.models.safety_plan import SafetyPlanVersion
from risk.services.incidents import incident_record
from risk.services.safety_plan import safety_action_add, safety_action_update, safety_plan_agree
from stalkingservice.audit import BREAK_GLASS_DETAIL, FREE_TEXT_REMOVED, audit_record
from stalkingservice.models import AuditEvent
from tests.factories import district
from tests.factories_security import closed_case

pytestmark = pytest.mark.django_db

FIRST, LAST = "Philomena", "Quarrington"
DOB = date(1987, 11, 23)
KNOWN = {
    "first name": FIRST,
    "last name": LAST,
    "preferred name": "Minty",
    # The same person spelt differently on her own self-referral: only the provisional
    # client's history holds this spelling.
    "self-referral spelling": "Phillomena",
    "date of birth": DOB.isoformat(),
    "date of birth (UK)": DOB.strftime("%d/%m/%Y"),
    "date of birth (words)": f"{DOB.day} {DOB:%B %Y}",
    "address": "14 Wrenfield Close",
    "phone": "07700 900881",
    "phone digits": "07700900881",
    "self-referral phone": "07700 900882",
    "email": "mena.quarrington@example.org",
    "postal address": "PO Box 4471",
    "code word": "Kestrelmarmalade",
    # Never copied from a referral (issue 13 point 7): only the provisional safe
    # contact's history holds it.
    "self-referral code word": "Lanternwisp",
    "suspect": "Zebedee Ormskirk",
    "referrer": "PC Ottilie Farthingale",
    "note": "Says the Tillingbourne allotment is where he waits",
    "edited note": "Tillingbourne allotment gate, Tuesdays",
    "plan action": "Snowdrop alarm by the back door",
    "plan owner": "Auntie Grizelda",
    "break-glass reason": f"Covering {FIRST} Quarrington's call",
    "reallocation reason": "Worker knows Zebedee socially",
    "incident": "Left a Hollyoake bouquet on the car",
    "exhibit text": "Voicemail transcript for Philomena",
    "exhibit name": "wrenfield-voicemail.txt",
    "closure summary": "Moved to Hollyoake refuge",
}
# Other renderings of the values above: none may be left, though none need be held.
RENDERINGS = {"phone digits", "date of birth (UK)", "date of birth (words)"}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PROTECTED_FILES_ROOT = settings.MEDIA_ROOT
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def _intake(*, first_name, phone, code_word, source, summary, referrer=""):
    return referrals.IntakeData(
        referral={
            "source": ReferralSource.objects.get(code=source),
            "received_at": timezone.now() - timedelta(days=40),
            "consent_to_contact": True,
            "behaviours": ["following", "contacting"],
            "summary": summary,
            "referrer_name": referrer,
        },
        client={
            "first_name": first_name,
            "last_name": LAST,
            "preferred_name": KNOWN["preferred name"],
            "date_of_birth": DOB,
            "address": KNOWN["address"],
            "district": district("stafford"),
        },
        safe_contact={
            "safe_phone": phone,
            "phone_allowed": True,
            "email": KNOWN["email"],
            "email_allowed": True,
            "code_word": code_word,
            "notes": f"Ask for {KNOWN['preferred name']}",
        },
        suspects=[{"name": KNOWN["suspect"], "relationship": "ex_partner"}],
    )


def _triage(referral, *, link_to, by):
    referral = referrals.referral_record_checks(
        referral=referral,
        link_to_client=link_to,
        in_area=True,
        meets_age_policy=True,
        domestic_abuse_related=False,
        version=referral.version,
        by=by,
    )
    referral = referrals.referral_decide(
        referral=referral, outcome="accepted", version=referral.version, by=by
    )
    return referral.case


def _close(case, by):
    closure_request(
        case=Case.objects.get(pk=case.pk),
        reason=ClosureReason.objects.get(code="support-completed"),
        summary=KNOWN["closure summary"],
        by=by,
    )


def build_every_shape(*, worker, other_worker, manager):
    """The client's records, made the way the service makes them."""
    first = referrals.referral_create(
        data=_intake(
            first_name=FIRST,
            phone=KNOWN["phone"],
            code_word=KNOWN["code word"],
            source="police",
            summary=f"{KNOWN['suspect']} waits outside",
            referrer=KNOWN["referrer"],
        ),
        by=manager,
    )
    case = _triage(first, link_to=None, by=manager)
    case_allocate(case=case, worker=worker, by=manager)
    case = Case.objects.get(pk=case.pk)
    client = case.client

    safe = client.safe_contact
    safe_contact_update(
        client=client,
        case=case,
        data={
            "postal_address": KNOWN["postal address"],
            "post_allowed": True,
            "others_who_may_answer": KNOWN["plan owner"],
            "safe_windows": [{"days": [0], "start": "09:00", "end": "12:00"}],
        },
        version=safe.version,
        by=worker,
    )

    note = note_add(case=case, note_type="phone", summary=KNOWN["note"], by=worker)
    for round_ in range(4):
        note.refresh_from_db()
        note = note_edit(
            note=note,
            reason=f"Correction {round_} for {FIRST}",
            data={
                "note_type": note.note_type,
                "direction": note.direction,
                "occurred_at": note.occurred_at,
                "duration_minutes": note.duration_minutes,
                "summary": f"{KNOWN['edited note']} ({round_})",
                "sensitive": False,
            },
            version=note.version,
            by=worker,
        )

    action = safety_action_add(
        case=case,
        data={
            "section": "home",
            "description": KNOWN["plan action"],
            "owner": "agency",
            "owner_detail": KNOWN["plan owner"],
            "status": "to_do",
            "client_may_take_copy": True,
        },
        by=worker,
    )
    safety_plan_agree(case=case, next_review_on=None, review_note=f"Agreed with {FIRST}", by=worker)
    safety_action_update(
        action=action,
        data={
            "section": "home",
            "description": f"{KNOWN['plan action']} and the front",
            "owner": "agency",
            "owner_detail": KNOWN["plan owner"],
            "status": "in_progress",
            "client_may_take_copy": True,
        },
        by=worker,
    )
    safety_plan_agree(case=case, next_review_on=None, review_note="Second review", by=worker)

    incident_record(
        case=case,
        data={
            "occurred_at": timezone.now() - timedelta(days=2),
            "behaviour": "following",
            "description": KNOWN["incident"],
            "place": KNOWN["address"],
            "witnesses": KNOWN["plan owner"],
        },
        upload=SimpleUploadedFile(
            KNOWN["exhibit name"], f"{KNOWN['exhibit text']} {LAST}\n".encode()
        ),
        exhibit_description=f"Voicemail left for {FIRST}",
        by=worker,
    )

    break_glass_grant(case=case, user=other_worker, reason=KNOWN["break-glass reason"])
    case_reallocate(case=case, worker=manager, reason=KNOWN["reallocation reason"], by=manager)
    case_reallocate(case=case, worker=worker, reason=KNOWN["reallocation reason"], by=manager)
    _close(case, manager)

    # Reopened: a new episode for the same client, with a note, closed again.
    second = case_reopen(case=Case.objects.get(pk=case.pk), reason=f"{FIRST} rang", by=worker)
    note_add(case=second, note_type="phone", summary=KNOWN["note"], by=worker)
    _close(second, manager)

    # Her own self-referral later, spelt differently, with a new phone and a code word:
    # linked at triage to the client we know, its provisional client deleted.
    own = referrals.referral_self_create(
        data=_intake(
            first_name=KNOWN["self-referral spelling"],
            phone=KNOWN["self-referral phone"],
            code_word=KNOWN["self-referral code word"],
            source="self",
            summary=f"{KNOWN['suspect']} again",
        )
    )
    provisional = own.case.client_id
    third = _triage(own, link_to=client, by=manager)
    assert third.client_id == client.pk
    assert not Client.objects.filter(pk=provisional).exists()
    case_allocate(case=third, worker=worker, by=manager)
    note_add(
        case=Case.objects.get(pk=third.pk), note_type="phone", summary=KNOWN["note"], by=worker
    )
    _close(third, manager)
    return Client.objects.get(pk=client.pk)


# ---- the scans --------------------------------------------------------------------------


def _text_fields(model):
    return [
        f.attname
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.JSONField)
    ]


def model_hits(values: dict[str, str]) -> set[tuple[str, str]]:
    """(what, model.field) for every known value in any text or JSON field of any model,
    history models included, read through the ORM so encrypted fields are decrypted."""
    needles = {k: v.casefold() for k, v in values.items()}
    hits = set()
    for model in apps.get_models(include_auto_created=True):
        fields = _text_fields(model)
        if not fields or model._meta.proxy:
            continue
        for row in model._base_manager.values_list(*fields).iterator():
            for name, value in zip(fields, row, strict=True):
                if value in (None, "", [], {}):
                    continue
                text = (
                    value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                ).casefold()
                for what, needle in needles.items():
                    if needle in text:
                        hits.add((what, f"{model._meta.label}.{name}"))
    return hits


def table_hits(values: dict[str, str]) -> set[tuple[str, str]]:
    """The same over every table's raw rows (tables no model describes included)."""
    hits = set()
    patterns = [f"%{v}%" for v in values.values()]
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(
                f'SELECT t::text FROM "{table}" t WHERE t::text ILIKE ANY(%s)',  # noqa: S608
                [patterns],
            )
            for (row,) in cursor.fetchall():
                hits |= {(w, table) for w, v in values.items() if v.casefold() in row.casefold()}
    return hits


def file_hits(root: Path, values: dict[str, str]) -> set[tuple[str, str]]:
    hits = set()
    for path in root.rglob("*"):
        if not path.is_file():
            continue
        content = path.read_bytes().decode("utf-8", "replace").casefold()
        name = str(path.relative_to(root)).casefold()
        for what, needle in values.items():
            if needle.casefold() in content or needle.casefold() in name:
                hits.add((what, str(path.relative_to(root))))
    return hits


def test_anonymising_leaves_no_copy_anywhere(
    media, caseworker, caseworker2, manager, django_capture_on_commit_callbacks
):
    client = build_every_shape(worker=caseworker, other_worker=caseworker2, manager=manager)

    # Everything known is held somewhere before (else the scans below prove nothing)...
    held = {what for what, _ in model_hits(KNOWN)} | {what for what, _ in file_hits(media, KNOWN)}
    held |= {what for what, _ in table_hits(KNOWN)}
    assert held == set(KNOWN) - RENDERINGS
    assert file_hits(media, {"exhibit": KNOWN["exhibit text"]})

    # ... and the subject access bundle finds it: the merged-away client's history, the
    # agreed plan versions and the break-glass reason included.
    bundle = bundle_json(subject_access_bundle(client=client)).decode().casefold()
    missing = [
        what
        for what, value in KNOWN.items()
        if value.casefold() not in bundle
        and what not in RENDERINGS | {"exhibit text", "date of birth"}
    ]
    assert missing == []
    assert KNOWN["date of birth (words)"].casefold() in bundle  # how the bundle shows dates

    facts = list(
        Case.objects.filter(client=client)
        .order_by("episode")
        .values_list("reference", "episode", "status", "district_id", "risk_level")
    )
    assert len(facts) == 3

    with django_capture_on_commit_callbacks(execute=True):
        client_anonymise(client=client, by=manager, reason="test")

    # The statistics stay: the three episodes, the behaviours reported, the exhibit's
    # reference and type, every agreed plan version and what each action's status was.
    assert (
        list(
            Case.objects.filter(client=client)
            .order_by("episode")
            .values_list("reference", "episode", "status", "district_id", "risk_level")
        )
        == facts
    )
    assert {tuple(r.behaviours) for r in Referral.objects.filter(case__client=client)} == {
        ("following", "contacting")
    }
    exhibit = Exhibit.objects.get(case__client=client)
    assert (exhibit.reference.endswith("/EX001"), exhibit.content_type, exhibit.stored_name) == (
        True,
        "text/plain",
        "",
    )
    assert sorted(
        SafetyPlanVersion.objects.filter(plan__case__client=client).values_list("number", flat=True)
    ) == [1, 2]

    assert sorted(model_hits(KNOWN)) == []
    assert sorted(table_hits(KNOWN)) == []
    assert sorted(file_hits(media, KNOWN)) == []
    assert [p for p in media.rglob("*") if p.is_file()] == []


def test_break_glass_reasons_written_into_the_audit_before_are_removed(manager):
    """Break-glass rows once held the reason itself as their detail; those words go with
    the client, while what happened, who and when stay (and other clients' rows)."""
    case = closed_case(days_ago=60, accepted=False)
    other = closed_case(days_ago=60, accepted=False)
    for on in (case, other):
        audit_record(
            action=AuditEvent.Action.BREAK_GLASS,
            user=manager,
            case_id=on.pk,
            detail=KNOWN["break-glass reason"],
        )
    structured = audit_record(
        action=AuditEvent.Action.BREAK_GLASS,
        user=manager,
        case_id=case.pk,
        detail=BREAK_GLASS_DETAIL.format(grant=7, hours=8),
    )

    client_anonymise(client=case.client, by=manager, reason="test")

    rows = AuditEvent.objects.filter(action=AuditEvent.Action.BREAK_GLASS)
    assert sorted(rows.filter(case_id=case.pk).values_list("detail", "user")) == sorted(
        [(FREE_TEXT_REMOVED, manager.pk), (structured.detail, manager.pk)]
    )
    assert rows.get(case_id=other.pk).detail == KNOWN["break-glass reason"]
