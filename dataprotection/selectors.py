"""Reads for the data-protection screens (managers only; see the views)."""

from django.db.models import Case as SqlCase
from django.db.models import IntegerField, Prefetch, Value, When
from django.shortcuts import get_object_or_404

from cases.models.lifecycle import Case

from .models import RetentionReview, SubjectAccessRequest

_CASES = Prefetch(
    "client__cases",
    queryset=Case.objects.only("pk", "reference", "client_id", "status", "closed_at").order_by(
        "referred_at"
    ),
)


def retention_reviews_open():
    return (
        RetentionReview.objects.filter(status__in=RetentionReview.OPEN_STATUSES)
        .select_related("client", "decided_by")
        .prefetch_related(_CASES)
        .order_by("-status", "due_on", "pk")
    )


def retention_reviews_done():
    return (
        RetentionReview.objects.filter(status=RetentionReview.Status.ANONYMISED)
        .select_related("client", "decided_by")
        .prefetch_related(_CASES)
        .order_by("-decided_at", "-pk")
    )


def retention_review_get(*, pk) -> RetentionReview:
    return get_object_or_404(RetentionReview.objects.select_related("client"), pk=pk)


def subject_access_requests():
    """Open first (most urgent due date first), then completed, newest first."""
    return (
        SubjectAccessRequest.objects.select_related("client", "created_by", "completed_by")
        .prefetch_related(_CASES)
        .annotate(
            open_first=SqlCase(
                When(status=SubjectAccessRequest.Status.OPEN, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("open_first", "due_on", "-pk")
    )


def subject_access_request_get(*, pk) -> SubjectAccessRequest:
    return get_object_or_404(
        SubjectAccessRequest.objects.select_related(
            "client", "created_by", "completed_by"
        ).prefetch_related(_CASES),
        pk=pk,
    )
