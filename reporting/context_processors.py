from stalkingservice.roles import Capability

from .selectors import unread_notification_count


def notifications(request):
    """Unread count for the badge in the header (commissioners and managers)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.can(Capability.DOWNLOAD_RETURNS):
        return {}
    return {"unread_notifications": unread_notification_count(user)}
