"""Reads of the reporting app, scoped to the user who asks."""

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from stalkingservice.roles import Capability

from .models import Notification, QuarterlyReturn


def _superseded():
    """A later finalised version of the same quarter exists."""
    return Exists(
        QuarterlyReturn.objects.filter(
            quarter=OuterRef("quarter"),
            status=QuarterlyReturn.Status.FINALISED,
            version__gt=OuterRef("version"),
        )
    )


def returns_visible_to(user) -> QuerySet[QuarterlyReturn]:
    """Managers who produce returns see every version, drafts included; everyone else
    with the download capability (the Commissioner) sees only the latest finalised
    version of each quarter: two versions side by side would show, in their differences,
    the few people added or removed between them, however well each is protected."""
    if not getattr(user, "is_authenticated", False):
        return QuarterlyReturn.objects.none()
    qs = QuarterlyReturn.objects.select_related("generated_by", "finalised_by")
    if user.can(Capability.MANAGE_RETURNS):
        return qs
    if user.can(Capability.DOWNLOAD_RETURNS):
        return qs.filter(status=QuarterlyReturn.Status.FINALISED).exclude(_superseded())
    return QuarterlyReturn.objects.none()


def finalised_returns(user) -> QuerySet[QuarterlyReturn]:
    return returns_visible_to(user).filter(status=QuarterlyReturn.Status.FINALISED)


def return_get_for_user(*, user, pk) -> QuarterlyReturn:
    try:
        return returns_visible_to(user).get(pk=pk)
    except (QuarterlyReturn.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def latest_finalised_per_quarter(user) -> list[QuarterlyReturn]:
    """For the trend view: the newest finalised version of each quarter, oldest first."""
    latest: dict[str, QuarterlyReturn] = {}
    for ret in finalised_returns(user).order_by("quarter", "version"):
        latest[ret.quarter] = ret
    return list(latest.values())


def notifications_for(user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)


def unread_notification_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
