"""Retention (DOMAIN 10): list clients whose records are due, and let a manager approve
(the records are anonymised: services/anonymise.py) or hold.

Rules (periods in settings.RETENTION_PERIODS), decided per closed case:
- never taken up: the referral was declined or signposted, or the case was never
  accepted                                  -> the period after the case closed
- never contacted: accepted, but no successful contact
                                            -> the period after the case closed
- supported: there was a successful contact -> the period after the last contact
A client is due when every one of their cases is closed and past its date; the rule shown
is that of the case due last."""

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from cases.models.client import Client
from cases.models.lifecycle import Case
from cases.statuses import OPEN_STATUSES
from stalkingservice.audit import audit_record
from stalkingservice.domain import DomainError
from stalkingservice.history import set_history_reason
from stalkingservice.models import AuditEvent

from ..models import RetentionReview, RetentionRule
from .anonymise import CLIENT_HAS_OPEN_CASE, client_anonymise

HOLD_REASON_REQUIRED = "Enter why these records should be kept for now"
ALREADY_DECIDED = "This review has already been completed."
NOT_DUE = "This client's records are not yet due for anonymisation."


@dataclass(frozen=True)
class Due:
    rule: str
    due_on: date


def _period(rule: str) -> relativedelta:
    return relativedelta(**settings.RETENTION_PERIODS[rule])


def case_retention(case: Case) -> Due | None:
    """The rule and date for one case, or None while it is open."""
    if case.status in OPEN_STATUSES or case.closed_at is None:
        return None
    closed_on = timezone.localdate(case.closed_at)
    # A case made without a referral raises RelatedObjectDoesNotExist (an AttributeError).
    referral = getattr(case, "referral", None)
    declined = referral is not None and referral.outcome in ("declined", "signposted")
    if declined or case.accepted_at is None:
        return Due(RetentionRule.NEVER_TAKEN_UP, closed_on + _period("never_taken_up"))
    if case.first_contact_at is None:
        return Due(RetentionRule.NEVER_CONTACTED, closed_on + _period("never_contacted"))
    last = max(d for d in (case.first_contact_at, case.last_contact_at) if d is not None)
    return Due(RetentionRule.SUPPORTED, timezone.localdate(last) + _period("supported"))


def client_retention(client: Client, cases) -> Due | None:
    """Due when every case is closed; the latest date (and its rule) wins."""
    dues = [case_retention(c) for c in cases]
    known = [d for d in dues if d is not None]
    if not dues or len(known) < len(dues):
        return None
    return max(known, key=lambda d: d.due_on)


def retention_candidates():
    return (
        Client.objects.filter(anonymised_at__isnull=True, cases__isnull=False)
        .exclude(cases__status__in=OPEN_STATUSES)
        .exclude(retention_reviews__status__in=RetentionReview.OPEN_STATUSES)
        .distinct()
        .prefetch_related(Prefetch("cases", queryset=Case.objects.select_related("referral")))
    )


def retention_list_due(*, today: date | None = None) -> list[RetentionReview]:
    """Put every client now due into the review queue. Safe to run twice: a client with
    a pending or held review is not listed again."""
    today = today or timezone.localdate()
    created = []
    for client in retention_candidates().order_by("pk").iterator(chunk_size=200):
        due = client_retention(client, client.cases.all())
        if due is None or due.due_on > today:
            continue
        with transaction.atomic():
            if RetentionReview.objects.filter(
                client=client, status__in=RetentionReview.OPEN_STATUSES
            ).exists():
                continue
            review = RetentionReview(client=client, rule=due.rule, due_on=due.due_on)
            set_history_reason(review, "Listed by the weekly retention job")
            review.save()
            created.append(review)
    return created


@transaction.atomic
def retention_hold(*, review: RetentionReview, reason: str, by) -> RetentionReview:
    """Keep the records for now (e.g. a court case, a complaint, the Commissioner asked)."""
    review = RetentionReview.objects.select_for_update().get(pk=review.pk)
    if review.status == RetentionReview.Status.ANONYMISED:
        raise DomainError(ALREADY_DECIDED)
    if not (reason or "").strip():
        raise DomainError(HOLD_REASON_REQUIRED)
    review.status = RetentionReview.Status.HELD
    review.hold_reason = reason.strip()
    review.decided_by = by
    review.decided_at = timezone.now()
    set_history_reason(review, "Held by a manager")
    review.save()
    audit_record(
        action=AuditEvent.Action.RETENTION,
        user=by,
        page="retention",
        # The reason stays on the review (it is anonymised with the client later); the
        # audit, which is never anonymised, holds no free text.
        detail=f"Retention review {review.pk} held",
    )
    return review


@transaction.atomic
def retention_approve(*, review: RetentionReview, by) -> RetentionReview:
    """A manager approves: the client's records are anonymised now."""
    review = RetentionReview.objects.select_for_update().get(pk=review.pk)
    if review.status == RetentionReview.Status.ANONYMISED:
        raise DomainError(ALREADY_DECIDED)
    due = client_retention(review.client, review.client.cases.select_related("referral"))
    if due is None:
        raise DomainError(CLIENT_HAS_OPEN_CASE)
    if due.due_on > timezone.localdate():
        raise DomainError(NOT_DUE)
    client_anonymise(client=review.client, by=by, reason=f"retention review {review.pk}")
    review.refresh_from_db()  # anonymisation emptied its free text (a hold reason)
    review.status = RetentionReview.Status.ANONYMISED
    review.decided_by = by
    review.decided_at = timezone.now()
    set_history_reason(review, "Approved by a manager; records anonymised")
    review.save()
    return review
