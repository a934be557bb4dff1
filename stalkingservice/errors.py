"""Error pages say nothing about records: the same words whether a thing exists or not."""

from django.shortcuts import render
from django.urls import Resolver404, resolve

from .access import VICTIM_FACING_URL_NAMES


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    return render(request, "errors/500.html", status=500)


# A person using the public self-referral form sees the public page (with "Exit this
# page"), never the staff shell with its sign-in link.
PUBLIC_CSRF_TEMPLATE = "referrals/self/expired.html"


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: an expired or missing form token, in the product's words."""
    try:
        view_name = resolve(request.path_info).view_name
    except Resolver404:
        view_name = ""
    public = view_name in VICTIM_FACING_URL_NAMES and not request.user.is_authenticated
    template = PUBLIC_CSRF_TEMPLATE if public else "errors/403_csrf.html"
    return render(request, template, status=403)
