"""The one place a case's risk level is set. The level only goes up on its own: a lower
one is a *downgrade*, which needs a reason and a manager's sign-off, and until then the
case keeps the level it holds everywhere (lists, reviews, returns). Assessments (risk
app), new episodes and intake all come through here or through `held_level`."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from stalkingservice.audit import audit_record
from stalkingservice.domain import DomainError, bump_version
from stalkingservice.models import AuditEvent
from stalkingservice.roles import Capability
from stalkingservice.updates import save_with_reason

from .. import events
from ..models.lifecycle import Case
from ..models.risk_level import RiskDowngrade
from ..statuses import RISK_ORDER, RiskLevel
from .common import name_of
from .lifecycle import case_record_event

# Messages shared with the forms and the tests.
DOWNGRADE_REASON_REQUIRED = (
    "This gives a lower risk level ({proposed}) than the case holds ({held}). Enter the "
    "reason the risk is lower: the case stays {held} until a manager signs the change off"
)
DOWNGRADE_APPROVER_ONLY = "Only a service manager can sign off a lower risk level."
DOWNGRADE_OWN = "Someone other than the person who proposed the lower level must sign it off."
DOWNGRADE_NOT_PENDING = "This lower risk level has already been decided."
DOWNGRADE_REJECT_NEEDS_NOTE = "Say why the level is kept, so the caseworker can act on it"
DOWNGRADE_DECISION_REQUIRED = "Select whether to sign off the lower level or keep the current one"


def _label(level: str) -> str:
    return RiskLevel(level).label.lower() if level else "not assessed"


def _title(level: str) -> str:
    return RiskLevel(level).label if level else "Not assessed"


def held_level(case: Case) -> str:
    """The level a case holds: its current level, or the level it came in with when it has
    not been assessed yet (what the lists rank it by)."""
    return case.risk_level or case.risk_level_at_intake


def higher_level(*levels: str) -> str:
    """The highest of the levels given ("" when none is set)."""
    return max(levels, key=lambda level: RISK_ORDER[level or ""], default="") or ""


def _supersede(case: Case, *, by, note: str) -> None:
    for old in case.risk_downgrades.select_for_update().filter(status=RiskDowngrade.Status.PENDING):
        old.status = RiskDowngrade.Status.SUPERSEDED
        old.decided_at = timezone.now()
        old.decision_note = note
        bump_version(old)
        save_with_reason(old, "Superseded by a later assessment", by=by)


def _review_due(case: Case, assessed_on: datetime.date | None) -> None:
    """Reviews follow the level the case holds, not a lower one still waiting."""
    if assessed_on is not None and case.risk_level:
        interval = settings.REVIEW_INTERVAL_DAYS[case.risk_level]
        case.next_review_due = assessed_on + datetime.timedelta(days=interval)


@transaction.atomic
def case_risk_level_set(
    *,
    case: Case,
    level: str,
    by,
    reason: str = "",
    source: str = "",
    source_ref: str = "",
    assessed_at: datetime.datetime | None = None,
    assessed_on: datetime.date | None = None,
    intake_level: str | None = None,
) -> RiskDowngrade | None:
    """Set the case's risk level from a new result (an assessment). The same or a higher
    level applies at once (and replaces a lower level still waiting). A lower level is
    refused without a reason; with one it is recorded as a pending downgrade and the case
    keeps its level until a manager decides. Returns the pending downgrade, if any.

    `assessed_at`/`assessed_on` stamp when risk was last assessed and move the review
    date (by the level the case holds); `intake_level`, when given, is the level at
    intake (callers pass the higher of the old and the new)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    held = held_level(case)
    previous = case.risk_level
    downgrade = None
    if RISK_ORDER[level] >= RISK_ORDER[held]:
        _supersede(case, by=by, note=f"A later result gave {_label(level)} risk")
        case.risk_level = level
    else:
        latest = case.risk_downgrades.exclude(status=RiskDowngrade.Status.SUPERSEDED).first()
        already = (
            latest is not None
            and bool(source_ref)
            and latest.source_ref == source_ref
            and latest.proposed_level == level
        )
        if latest is not None and already:
            # The same result again (the latest assessment re-read after a back-dated one
            # was completed): it is already waiting, or a manager has already said no.
            downgrade = latest if latest.is_pending else None
        else:
            if not reason.strip():
                raise DomainError(
                    DOWNGRADE_REASON_REQUIRED.format(proposed=_label(level), held=_label(held)),
                    field="downgrade_reason",
                )
            _supersede(case, by=by, note="A later result proposed another level")
            downgrade = RiskDowngrade(
                case=case,
                from_level=held,
                proposed_level=level,
                reason=reason.strip(),
                source=source[:200],
                source_ref=source_ref,
                proposed_by=by,
            )
            save_with_reason(downgrade, "Lower level proposed", by=by)
            case_record_event(
                case=case,
                kind=events.RISK_DOWNGRADE_PROPOSED,
                by=by,
                summary=(
                    f"{source + ' gives ' if source else ''}{_label(level)} risk; the case "
                    f"stays {_label(held)} until a manager signs off. Reason: {reason.strip()}"
                ),
                data={"from": held, "to": level, "downgrade": downgrade.pk},
            )
        # An unassessed case that came in at a level holds it explicitly from now on.
        case.risk_level = held
    if intake_level is not None:
        case.risk_level_at_intake = intake_level
    if assessed_at is not None:
        case.risk_assessed_at = assessed_at
    _review_due(case, assessed_on)
    bump_version(case)
    save_with_reason(case, f"Risk level: {source or 'set'}"[:100], by=by)
    if previous != case.risk_level:
        case_record_event(
            case=case,
            kind=events.RISK_LEVEL_CHANGED,
            by=by,
            summary=f"{_title(previous)} to {_title(case.risk_level)}",
            data={"from": previous, "to": case.risk_level, "source": source_ref},
        )
    return downgrade


def _decide(*, downgrade: RiskDowngrade, status: str, note: str, by) -> RiskDowngrade:
    if not by.can(Capability.APPROVE_RISK_DOWNGRADE):
        raise DomainError(DOWNGRADE_APPROVER_ONLY)
    # The case first, then its downgrade: the order case_risk_level_set takes them in.
    Case.objects.select_for_update().filter(pk=downgrade.case_id).first()
    downgrade = RiskDowngrade.objects.select_for_update().get(pk=downgrade.pk)
    if not downgrade.is_pending:
        raise DomainError(DOWNGRADE_NOT_PENDING)
    if downgrade.proposed_by_id == by.pk:
        raise DomainError(DOWNGRADE_OWN)
    downgrade.status = status
    downgrade.decided_by = by
    downgrade.decided_at = timezone.now()
    downgrade.decision_note = note.strip()
    bump_version(downgrade)
    save_with_reason(downgrade, RiskDowngrade.Status(status).label, by=by)
    audit_record(
        action=AuditEvent.Action.RISK_DOWNGRADE,
        user=by,
        case_id=downgrade.case_id,
        # Levels and the decision only: the reasons stay on the case, not in the audit.
        detail=(
            f"Risk downgrade {downgrade.pk}: {downgrade.from_level} to "
            f"{downgrade.proposed_level} {status}"
        ),
    )
    return downgrade


@transaction.atomic
def risk_downgrade_approve(*, downgrade: RiskDowngrade, note: str = "", by) -> RiskDowngrade:
    """A manager signs off a lower level: the case moves to it, with the reason on the
    timeline and an audit row. Never the person who proposed it."""
    downgrade = _decide(downgrade=downgrade, status=RiskDowngrade.Status.APPROVED, note=note, by=by)
    case = Case.objects.select_for_update().get(pk=downgrade.case_id)
    previous = case.risk_level
    case.risk_level = downgrade.proposed_level
    if case.risk_assessed_at is not None:
        _review_due(case, timezone.localtime(case.risk_assessed_at).date())
    bump_version(case)
    save_with_reason(case, "Lower risk level signed off", by=by)
    summary = (
        f"{_title(previous)} to {_title(case.risk_level)}, signed off by "
        f"{name_of(by)}. Reason: {downgrade.reason}"
    )
    if downgrade.decision_note:
        summary += f" Manager's note: {downgrade.decision_note}"
    case_record_event(
        case=case,
        kind=events.RISK_LEVEL_CHANGED,
        by=by,
        summary=summary,
        data={
            "from": previous,
            "to": case.risk_level,
            "downgrade": downgrade.pk,
            "proposed_by": downgrade.proposed_by_id,
        },
    )
    return downgrade


@transaction.atomic
def risk_downgrade_reject(*, downgrade: RiskDowngrade, note: str, by) -> RiskDowngrade:
    """A manager keeps the level the case holds, saying why."""
    if by.can(Capability.APPROVE_RISK_DOWNGRADE) and not note.strip():
        raise DomainError(DOWNGRADE_REJECT_NEEDS_NOTE, field="note")
    downgrade = _decide(downgrade=downgrade, status=RiskDowngrade.Status.REJECTED, note=note, by=by)
    case_record_event(
        case=downgrade.case,
        kind=events.RISK_DOWNGRADE_REJECTED,
        by=by,
        summary=(
            f"{_label(downgrade.proposed_level).capitalize()} not signed off by "
            f"{name_of(by)}; the case stays {_label(downgrade.from_level)}. "
            f"Note: {downgrade.decision_note}"
        ),
        data={"downgrade": downgrade.pk},
    )
    return downgrade
