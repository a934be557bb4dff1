from django.conf import settings

from .navigation import navigation_for


def service(request):
    user = getattr(request, "user", None)
    return {
        "SERVICE_NAME": settings.SERVICE_NAME,
        "nav_items": navigation_for(user) if user is not None else [],
    }
