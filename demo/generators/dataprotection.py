"""Demo data for the managers' data-protection pages: the weekly retention job's queue as
it would stand today, and subject access requests (one open, one completed), so a
manager trying the demo finds work on the Retention and Subject access pages."""

from datetime import timedelta

from django.utils import timezone

from cases.models.lifecycle import Case
from cases.statuses import CaseStatus
from dataprotection.models import RetentionReview, SubjectAccessRequest
from dataprotection.services.retention import retention_list_due
from dataprotection.services.subject_access import sar_complete, sar_create


def seed(ctx) -> None:
    if not RetentionReview.objects.exists():
        ctx.say("listing the clients due for a retention review (the weekly job)")
        listed = retention_list_due()
        ctx.log.append(f"retention reviews listed: {len(listed)}")
    if SubjectAccessRequest.objects.exists():
        return
    manager = ctx.users["manager"]
    today = timezone.localdate()
    active = (
        Case.objects.filter(status=CaseStatus.ACTIVE).order_by("pk").values_list("reference")[:1]
    )
    closed = (
        Case.objects.filter(status=CaseStatus.CLOSED, client__anonymised_at__isnull=True)
        .exclude(client__retention_reviews__isnull=False)
        .order_by("-closed_at")
        .values_list("reference")[:1]
    )
    for (reference,) in active:
        sar_create(case_reference=reference, received_on=today - timedelta(days=9), by=manager)
    for (reference,) in closed:
        sar = sar_create(
            case_reference=reference, received_on=today - timedelta(days=40), by=manager
        )
        sar_complete(sar=sar, by=manager)
