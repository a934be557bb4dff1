"""Retention (DOMAIN 10): list clients whose records are due, let a manager approve or
hold, and anonymise approved ones so only statistical facts remain.

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

from cases import events
from cases.models.client import Client
from cases.models.lifecycle import Case
from cases.services.lifecycle import case_record_event
from cases.statuses import OPEN_STATUSES
from stalkingservice.domain import DomainError

from . import dataprotection
from .audit import audit_record
from .models import AuditEvent
from .models_dataprotection import RetentionReview, RetentionRule

DATA_ANONYMISED = events.register("data_anonymised", "Personal data anonymised (retention)")

HOLD_REASON_REQUIRED = "Enter why these records should be kept for now"
ALREADY_DECIDED = "This review has already been completed."
ALREADY_ANONYMISED = "This client's records have already been anonymised."
CLIENT_HAS_OPEN_CASE = "This client has an open case, so their records cannot be anonymised."
NOT_DUE = "This client's records are not yet due for anonymisation."

ANONYMISED_LABEL = "Anonymised"


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
    if not dues or any(d is None for d in dues):
        return None
    return max(dues, key=lambda d: d.due_on)


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
            review._change_reason = "Listed by the weekly retention job"
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
    review._change_reason = "Held by a manager"
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
    review._change_reason = "Approved by a manager; records anonymised"
    review.save()
    return review


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

    for item in dataprotection.client_related_models():
        model = item.model
        values = {
            f.attname: dataprotection.anonymised_value(model, f)
            for f in dataprotection.personal_fields(model)
        }
        rows = dataprotection.rows_for_client(item, client.pk, case_ids)
        history = dataprotection.history_rows_for_client(item, client.pk, case_ids)
        for name in item.file_fields:
            storage = model._meta.get_field(name).storage
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
    client._change_reason = "Anonymised under the retention rules"
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
