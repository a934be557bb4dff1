"""Writes for referral intake and triage. Every function is atomic, records a case event
and changes a case's status only through cases.services.case_transition."""

import json
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Field, Max
from django.utils import timezone
from django.utils.crypto import salted_hmac

from cases import events as case_events
from cases.models.client import Client, SafeContact
from cases.models.lifecycle import Case, ClosureReason
from cases.models.suspects import Suspect
from cases.services.client import safe_contact_update, safe_windows_clean
from cases.services.lifecycle import case_record_event, case_transition, with_unique_reference
from cases.services.risk_level import held_level, higher_level
from cases.statuses import CaseStatus
from risk.models.tools import risk_band_at_intake
from stalkingservice.audit import audit_record
from stalkingservice.client_address import rate_limit_key
from stalkingservice.domain import DomainError, bump_version, check_version
from stalkingservice.history import set_history_reason
from stalkingservice.models import AuditEvent
from stalkingservice.personal_data import blind_indexes_refresh
from stalkingservice.updates import only, record_update
from stalkingservice.workdays import add_working_days

from . import events
from .models import (
    DeclineReason,
    Referral,
    ReferralSource,
    SelfReferralAttempt,
    reported_contact_label,
)
from .selectors import DuplicateCandidate, age_on, conflict_matches, duplicate_candidates

# Messages shared with the tests.
NOT_AWAITING_CHECKS = "The triage checks for this referral have already been recorded."
NOT_AWAITING_DECISION = "Record the triage checks before deciding on this referral."
ALREADY_DECIDED = "A decision has already been recorded for this referral."
DECLINE_NEEDS_REASON = "Select why the referral is declined."
SIGNPOST_NEEDS_WHERE = "Enter where the person was signposted or handed over to."
ACCEPT_NOT_ELIGIBLE = (
    "This referral does not meet the eligibility rules ({reasons}). Decline it with a "
    "reason, or signpost or hand it over instead."
)
LINK_NOT_A_CANDIDATE = "That client is not one of the possible duplicates shown."
# One message whatever the hidden match is (restricted or only someone else's client),
# so it confirms nothing about who the service supports.
POSSIBLE_MATCH_FOR_MANAGER = "A possible match exists; a manager will check it."
PASSED_TO_MANAGER = (
    "Referral passed to a manager: a possible match exists; a manager will check it."
)
NO_HIDDEN_MATCH = "You can see every possible match for this referral: record the checks."
LINK_HAS_OPEN_CASE = (
    "{name} already has an open case ({reference}). Decline this referral as a duplicate "
    "and add the new information to that case instead."
)
RATE_LIMITED = (
    "You have sent several referrals from this device in the last hour. To keep this form "
    "safe from misuse, please wait an hour and try again, or call us instead."
)

# What each triage step may change on the referral (record_update ignores anything else).
TRIAGE_CHECK_FIELDS = (
    "duplicate_checked",
    "in_area",
    "meets_age_policy",
    "domestic_abuse_related",
    "decision_notes",
    "conflict_flag",
    "conflict_detail",
)
DECISION_FIELDS = (
    "outcome",
    "decline_reason",
    "signposted_to",
    "decision_notes",
    "triaged_by",
    "triaged_at",
)

CLOSURE_DECLINED = "declined-at-triage"
CLOSURE_SIGNPOSTED = "signposted-at-triage"

REFERRAL_FIELDS = {
    "source",
    "received_at",
    "referrer_name",
    "referrer_organisation",
    "referrer_role",
    "referrer_phone",
    "referrer_email",
    "consent_to_contact",
    "consent_to_share",
    "behaviours",
    "digital_element",
    "duration",
    "summary",
    "police_involvement",
    "crime_reference",
    "risk_tool",
    "risk_tool_version",
    "risk_score",
    "risk_level_received",
}


@dataclass
class IntakeData:
    """Everything a referral brings, grouped by the record it goes into. Keys are model
    field names; anything else is ignored (the server decides owners and statuses)."""

    referral: dict
    client: dict
    safe_contact: dict = field(default_factory=dict)
    suspects: list[dict] = field(default_factory=list)


def new_reference(prefix: str) -> str:
    """A random, non-guessable reference that says nothing about the person."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read out over the phone
    return prefix + "".join(secrets.choice(alphabet) for _ in range(8))


@transaction.atomic
def referral_create(
    *,
    data: IntakeData,
    by,
    submission_token: uuid.UUID | None = None,
    is_self_referral: bool = False,
) -> Referral:
    """Record a referral as received: the client (with safe-contact details, encrypted),
    a new case in 'referred' with its first-contact due date, the referral itself and the
    suspects. A repeat submit of the same form (same token) returns the first referral."""
    if submission_token is not None:
        existing = Referral.objects.filter(submission_token=submission_token).first()
        if existing is not None:
            return existing
    referral_data = only(data.referral, REFERRAL_FIELDS)
    received_at = referral_data.get("received_at") or timezone.now()
    referral_data["received_at"] = received_at
    referral_data["risk_level_received"] = referral_data.get("risk_level_received") or ""
    behaviours = list(referral_data.get("behaviours") or [])
    referral_data["behaviours"] = behaviours

    client = Client(**only(data.client, Client.personal_data.fields))
    if client.date_of_birth and client.age_at_referral is None:
        client.age_at_referral = age_on(
            client.date_of_birth, timezone.localtime(received_at).date()
        )
    set_history_reason(client, "Referral received")
    client.save()

    safe = SafeContact(client=client, **only(data.safe_contact, SafeContact.personal_data.fields))
    blind_indexes_refresh(safe)
    set_history_reason(safe, "Referral received")
    safe.save()

    band = risk_band_at_intake(
        tool=referral_data.get("risk_tool") or "",
        score=referral_data.get("risk_score"),
        level=referral_data.get("risk_level_received") or "",
    )

    def create_case(reference):
        case = Case(
            reference=reference,
            client=client,
            status=CaseStatus.REFERRED,
            district=client.district,
            digital_element=bool(referral_data.get("digital_element")),
            referred_at=received_at,
            risk_level_at_intake=band,
            first_contact_due=add_working_days(
                received_at, settings.FIRST_CONTACT_DUE_WORKING_DAYS
            ),
        )
        set_history_reason(case, "Referral received")
        case.save()
        return case

    case = with_unique_reference(create_case)

    prefix = "SR-" if is_self_referral else "RF-"
    for _ in range(5):
        referral = Referral(
            case=case,
            reference=new_reference(prefix),
            is_self_referral=is_self_referral,
            created_by=by,
            submission_token=submission_token,
            **referral_data,
        )
        set_history_reason(referral, "Referral received")
        try:
            with transaction.atomic():
                referral.save()
            break
        except IntegrityError as exc:
            if "submission_token" in str(exc):
                # Two submits of the same form raced; the other one won.
                raise DuplicateSubmission from exc
            if "reference" not in str(exc):
                raise
    else:
        raise DomainError("Could not allocate a referral reference; please try again.")

    for suspect_data in data.suspects:
        values = only(suspect_data, Suspect.personal_data.fields)
        if not any(v for k, v in values.items() if k not in ("sex", "relationship")) and (
            values.get("relationship") in (None, "", Suspect.Relationship.UNKNOWN)
        ):
            continue  # an empty suspect block: nothing known
        suspect = Suspect(case=case, **values)
        if suspect.relationship in Suspect.DOMESTIC_RELATIONSHIPS:
            suspect.domestic_abuse_related = True
        set_history_reason(suspect, "Referral received")
        suspect.save()

    _refresh_conflict(referral)
    source = referral.source
    case_record_event(
        case=case,
        kind=case_events.REFERRAL_RECEIVED,
        by=by,
        at=received_at,
        summary=f"Referral from {source.label}" + (" (self-referral)" if is_self_referral else ""),
        data={"referral": referral.reference, "source": source.code},
    )
    return referral


class DuplicateSubmission(DomainError):
    """The same intake form was submitted twice at the same moment."""

    def __init__(self):
        super().__init__("This referral has already been saved.")


def _refresh_conflict(referral: Referral) -> None:
    lines = conflict_matches(case=referral.case)
    referral.conflict_flag = bool(lines)
    referral.conflict_detail = "\n".join(lines)
    set_history_reason(referral, "Conflict check")
    referral.save(update_fields=["conflict_flag", "conflict_detail", "updated_at"])


# ---- self-referral ------------------------------------------------------------------


def _rate(limit: str) -> tuple[int, timedelta]:
    count, _, unit = limit.partition("/")
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit.strip()[:1] or "h"]
    return int(count), timedelta(seconds=seconds)


def client_hash(ip_address: str | None) -> str:
    """A keyed hash of the sender's address (an IPv6 address by its /64): enough to count
    attempts, not to find them."""
    return salted_hmac("referrals.self_referral", rate_limit_key(ip_address)).hexdigest()


@transaction.atomic
def self_referral_attempt_record(*, ip_address: str | None) -> None:
    """Count one submission of the public form; refuse it beyond the rate limit."""
    limit, window = _rate(settings.SELF_REFERRAL_RATE_LIMIT)
    now = timezone.now()
    digest = client_hash(ip_address)
    # Nothing older than a day is needed for any limit we use; keep the table small.
    SelfReferralAttempt.objects.filter(at__lt=now - max(window, timedelta(days=1))).delete()
    recent = SelfReferralAttempt.objects.filter(client_hash=digest, at__gte=now - window).count()
    if recent >= limit:
        raise RateLimited(RATE_LIMITED)
    SelfReferralAttempt.objects.create(client_hash=digest, at=now)


class RateLimited(DomainError):
    pass


@transaction.atomic
def referral_self_create(*, data: IntakeData) -> Referral:
    """A victim's own referral from the public form: source 'self', no staff author."""
    data.referral["source"] = ReferralSource.objects.get(code="self")
    data.referral["received_at"] = timezone.now()
    data.referral["consent_to_contact"] = True
    return referral_create(data=data, by=None, is_self_referral=True)


# ---- triage -------------------------------------------------------------------------


def _locked(referral: Referral) -> Referral:
    """Re-read the referral and its case under a row lock, so two people triaging at the
    same moment are serialised and the second sees the first one's change."""
    locked = Referral.objects.select_for_update().select_related("case").get(pk=referral.pk)
    Case.objects.select_for_update().filter(pk=locked.case_id).first()
    return locked


def _link_to_existing_client(*, referral: Referral, existing: Client, by) -> None:
    case = referral.case
    provisional = case.client
    last_case = existing.cases.order_by("-episode", "-referred_at").first()
    open_case = existing.cases.exclude(status=CaseStatus.CLOSED).exclude(pk=case.pk).first()
    if open_case is not None:
        raise DomainError(
            LINK_HAS_OPEN_CASE.format(name=existing.full_name, reference=open_case.reference),
            field="duplicate",
        )
    highest = existing.cases.aggregate(m=Max("episode"))["m"] or 0
    case.client = existing
    case.episode = highest + 1
    if last_case is not None and not Case.objects.filter(previous_case=last_case).exists():
        case.previous_case = last_case
    if not case.district_id and existing.district_id:
        case.district_id = existing.district_id
    if last_case is not None:
        # A returning client starts at the last known level (or the referral's, if
        # higher), never "not assessed"; the waiting list is ordered by it.
        level = higher_level(held_level(last_case), held_level(case))
        case.risk_level = case.risk_level_at_intake = level
    bump_version(case)
    set_history_reason(case, "Linked to an existing client at triage")
    case.save()

    # Anyone can send a referral, a stalker too: what it says about contacting a client we
    # already know is kept on the referral as reported, never copied into the client's safe
    # contact (not even into a gap, and never a code word) until a worker confirms it.
    _keep_reported_contact(
        referral=referral,
        reported=getattr(provisional, "safe_contact", None),
        current=SafeContact.objects.filter(client=existing).first(),
        by=by,
    )
    set_history_reason(provisional, "Duplicate of an existing client: removed at triage")
    provisional.delete()
    case_record_event(
        case=case,
        kind=events.REFERRAL_LINKED_CLIENT,
        by=by,
        summary=f"Same person as an existing client: episode {case.episode}"
        + (f", previous case {last_case.reference}" if last_case else ""),
        data={"client": existing.pk, "previous_case": last_case.pk if last_case else None},
    )


# Never kept from a referral, even as reported: a code word must be agreed with the client
# directly (one chosen by whoever sent the referral would let them pass as the client),
# and only the worker can say when details were confirmed.
NEVER_REPORTED = ("code_word", "confirmed_on")
CODE_WORD_NOT_KEPT = (
    "A code word was given on referral {reference}. It has not been kept: agree a code word "
    "with the client directly."
)
REPORTED_ALREADY_DEALT_WITH = "That detail has already been dealt with."


def _keep_reported_contact(*, referral: Referral, reported, current, by) -> None:
    """Keep on the referral, as reported and unconfirmed, each safe-contact detail it
    brought that says something (differs from the model's safe default) and that the
    client's record does not already hold."""
    if reported is None:
        return
    details = {}
    for name in SafeContact.personal_data.fields:
        if name in NEVER_REPORTED:
            continue
        value = getattr(reported, name)
        model_field = SafeContact._meta.get_field(name)
        default = model_field.get_default() if isinstance(model_field, Field) else None
        if value == default or value in ("", None):
            continue
        if current is not None and getattr(current, name) == value:
            continue
        details[name] = {"value": value, "status": "pending"}
    referral.reported_contact = json.dumps(details, default=str) if details else ""
    set_history_reason(referral, "Safe-contact details kept as reported, not confirmed")
    referral.save(update_fields=["reported_contact", "updated_at"])
    if reported.code_word:
        case_record_event(
            case=referral.case,
            kind=events.REFERRAL_LINKED_CLIENT,
            by=by,
            summary=CODE_WORD_NOT_KEPT.format(reference=referral.reference),
        )


@transaction.atomic
def referral_reported_contact_resolve(*, referral: Referral, field: str, use: bool, by) -> Referral:
    """A worker deals with one safe-contact detail reported on a referral: confirmed with
    the client and used (written through the normal safe-contact service, with its
    history and timeline entry), or discarded. Either way it stops being shown as
    waiting."""
    referral = Referral.objects.select_for_update().select_related("case").get(pk=referral.pk)
    details = referral.reported_contact_details
    detail = details.get(field)
    if not detail or detail.get("status") != "pending" or field in NEVER_REPORTED:
        raise DomainError(REPORTED_ALREADY_DEALT_WITH)
    case = referral.case
    label = reported_contact_label(field)
    if use:
        current = SafeContact.objects.select_for_update().filter(client=case.client).first()
        value = detail["value"]
        if field == "safe_windows":
            value = safe_windows_clean(value)
        safe_contact_update(
            client=case.client,
            case=case,
            data={field: value},
            version=current.version if current else None,
            by=by,
        )
    detail.update(status="used" if use else "discarded", by=by.pk, at=timezone.now().isoformat())
    referral.reported_contact = json.dumps(details, default=str)
    bump_version(referral)
    set_history_reason(
        referral,
        f"Reported {label.lower()} " + ("confirmed and used" if use else "discarded"),
    )
    referral.save()
    case_record_event(
        case=case,
        kind=case_events.SAFE_CONTACT_UPDATED,
        by=by,
        summary=(
            f"{label} reported on referral {referral.reference}: "
            + ("confirmed with the client and used" if use else "not used (discarded)")
        ),
    )
    return referral


@transaction.atomic
def referral_record_checks(
    *,
    referral: Referral,
    link_to_client: Client | None,
    in_area: bool,
    meets_age_policy: bool,
    domestic_abuse_related: bool,
    notes: str = "",
    version: int | None,
    by,
) -> Referral:
    """The triage checks: duplicate check (link to an existing client or confirm new),
    conflict check (re-run now; managers only see the result) and eligibility. Moves the
    case from referred to triaged."""
    referral = _locked(referral)
    check_version(referral, version)
    if referral.outcome != Referral.Outcome.PENDING or referral.case.status != CaseStatus.REFERRED:
        raise DomainError(NOT_AWAITING_CHECKS)
    candidates = duplicate_candidates(referral=referral, user=by)
    if any(c.hidden for c in candidates):
        raise DomainError(POSSIBLE_MATCH_FOR_MANAGER)
    if link_to_client is not None:
        allowed = {c.client.pk for c in candidates if c.client is not None}
        if link_to_client.pk not in allowed:
            raise DomainError(LINK_NOT_A_CANDIDATE, field="duplicate")
        _link_to_existing_client(referral=referral, existing=link_to_client, by=by)
    lines = conflict_matches(case=referral.case)
    checks = {
        "duplicate_checked": True,
        "in_area": in_area,
        "meets_age_policy": meets_age_policy,
        "domestic_abuse_related": domestic_abuse_related,
        "conflict_flag": bool(lines),
        "conflict_detail": "\n".join(lines),
    }
    if notes:
        checks["decision_notes"] = notes
    record_update(
        obj=referral,
        fields=TRIAGE_CHECK_FIELDS,
        data=checks,
        by=by,
        reason="Triage checks recorded",
    )
    case = referral.case
    reasons = _ineligible_reasons(referral)
    case_record_event(
        case=case,
        kind=case_events.TRIAGE_CHECKED,
        by=by,
        # No word about the conflict check here: the timeline is seen by caseworkers.
        summary="Duplicate check: "
        + ("linked to an existing client" if link_to_client else "new client")
        + "; eligibility: "
        + ("meets the criteria" if not reasons else ", ".join(reasons)),
    )
    case_transition(case=case, to=CaseStatus.TRIAGED, by=by, summary="Triage checks done")
    return referral


def referral_log_duplicate_matches(
    *, referral: Referral, candidates: list[DuplicateCandidate], user, request=None
) -> None:
    """Every possible match shown to a user is a look at another client's record (even
    "a possible match exists" says something), so each one is an access-log row against
    the matched case: its managers see who was shown it, and from which referral. Ids
    only, no names or references, in the row's text."""
    for candidate in candidates:
        if candidate.matched_case is None:
            continue
        audit_record(
            action=AuditEvent.Action.CASE_VIEW,
            user=user,
            request=request,
            case_id=candidate.matched_case.pk,
            page="triage duplicate check",
            detail=(
                f"Shown as a possible match for referral id {referral.pk}: "
                + ("details withheld" if candidate.hidden else "details shown")
            ),
        )


@transaction.atomic
def referral_pass_to_manager(*, referral: Referral, by) -> Referral:
    """A caseworker's duplicate check found a possible match they may not see: the
    checks (and the link decision) become a manager's. The referral leaves caseworkers'
    triage scope; the timeline says only that the duplicate check went to a manager."""
    referral = _locked(referral)
    if referral.outcome != Referral.Outcome.PENDING or referral.case.status != CaseStatus.REFERRED:
        raise DomainError(NOT_AWAITING_CHECKS)
    if not any(c.hidden for c in duplicate_candidates(referral=referral, user=by)):
        raise DomainError(NO_HIDDEN_MATCH)
    record_update(
        obj=referral,
        fields=("duplicate_for_manager",),
        data={"duplicate_for_manager": True},
        by=by,
        reason="Duplicate check passed to a manager",
    )
    case_record_event(
        case=referral.case,
        kind=events.REFERRAL_DUPLICATE_FOR_MANAGER,
        by=by,
        summary="Duplicate check passed to a manager",
    )
    return referral


def _ineligible_reasons(referral: Referral) -> list[str]:
    reasons = []
    if referral.in_area is False:
        reasons.append("lives outside Staffordshire and Stoke-on-Trent")
    if referral.meets_age_policy is False:
        reasons.append(f"under {settings.MINIMUM_CLIENT_AGE}")
    if referral.domestic_abuse_related:
        reasons.append("domestic-abuse related")
    return reasons


@transaction.atomic
def referral_decide(
    *,
    referral: Referral,
    outcome: str,
    decline_reason: DeclineReason | None = None,
    signposted_to: str = "",
    notes: str = "",
    version: int | None,
    by,
) -> Referral:
    """The triage decision. Accepted: the case waits for allocation. Declined (with a
    reason) or signposted / handed over (to where): the case is closed."""
    referral = _locked(referral)
    check_version(referral, version)
    if referral.outcome != Referral.Outcome.PENDING:
        raise DomainError(ALREADY_DECIDED)
    case = referral.case
    if case.status != CaseStatus.TRIAGED:
        raise DomainError(NOT_AWAITING_DECISION)
    now = timezone.now()
    decision = {"outcome": outcome, "triaged_by": by, "triaged_at": now}
    if outcome == Referral.Outcome.ACCEPTED:
        reasons = _ineligible_reasons(referral)
        if reasons:
            raise DomainError(ACCEPT_NOT_ELIGIBLE.format(reasons=", ".join(reasons)))
        target, summary = CaseStatus.WAITING, "Accepted at triage: waiting for allocation"
    elif outcome == Referral.Outcome.DECLINED:
        if decline_reason is None:
            raise DomainError(DECLINE_NEEDS_REASON, field="decline_reason")
        decision["decline_reason"] = decline_reason
        case.closure_reason = ClosureReason.objects.get(code=CLOSURE_DECLINED)
        case.closure_summary = f"Declined at triage: {decline_reason.label}"
        target, summary = CaseStatus.CLOSED, case.closure_summary
    elif outcome == Referral.Outcome.SIGNPOSTED:
        signposted_to = (signposted_to or "").strip()
        if not signposted_to:
            raise DomainError(SIGNPOST_NEEDS_WHERE, field="signposted_to")
        decision["signposted_to"] = signposted_to
        case.closure_reason = ClosureReason.objects.get(code=CLOSURE_SIGNPOSTED)
        case.closure_summary = f"Signposted or handed over at triage to {signposted_to}"
        target, summary = CaseStatus.CLOSED, case.closure_summary
    else:
        raise DomainError("Select the triage decision.", field="outcome")
    if notes:
        decision["decision_notes"] = (
            f"{referral.decision_notes}\n{notes}".strip() if referral.decision_notes else notes
        )
    record_update(
        obj=referral,
        fields=DECISION_FIELDS,
        data=decision,
        by=by,
        reason=f"Triage decision: {Referral.Outcome(outcome).label}",
    )
    case_record_event(
        case=case,
        kind=case_events.TRIAGE_DECIDED,
        by=by,
        at=now,
        # The decision notes go on the timeline too (the conflict check never does).
        summary=f"{summary}. Notes: {notes}" if notes else summary,
        data={"outcome": outcome},
    )
    case_transition(case=case, to=target, by=by, at=now, summary=summary)
    return referral
