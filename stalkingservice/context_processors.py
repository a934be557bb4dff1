from django.conf import settings

from .navigation import navigation_for, navigation_menu


def service(request):
    user = getattr(request, "user", None)
    items = navigation_for(user) if user is not None else []
    return {
        "SERVICE_NAME": settings.SERVICE_NAME,
        "nav_items": items,
        "nav_menu": navigation_menu(items, request.path),
    }
