"""Error pages say nothing about records: the same words whether a thing exists or not."""

from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.cache import add_never_cache_headers

from .access import VICTIM_FACING_URL_NAMES

# A person using the public self-referral form sees the public page (with "Exit this
# page"), never the staff shell with its sign-in link.
PUBLIC_CSRF_TEMPLATE = "referrals/self/expired.html"
PUBLIC_NOT_FOUND_TEMPLATE = "referrals/self/not_found.html"


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def _victim_facing(request) -> bool:
    try:
        view_name = resolve(request.path_info).view_name
    except Resolver404:
        return False
    return view_name in VICTIM_FACING_URL_NAMES and not request.user.is_authenticated


def _public(request, template, status):
    """A public error page: the victim-facing shell (with "Exit this page", no staff
    links) and never stored by the browser, like the rest of the self-referral."""
    response = render(request, template, status=status)
    add_never_cache_headers(response)
    return response


def page_not_found(request, exception=None):
    if _victim_facing(request):
        return _public(request, PUBLIC_NOT_FOUND_TEMPLATE, 404)
    return render(request, "errors/404.html", status=404)


def server_error(request):
    return render(request, "errors/500.html", status=500)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: an expired or missing form token, in the product's words."""
    if _victim_facing(request):
        return _public(request, PUBLIC_CSRF_TEMPLATE, 403)
    return render(request, "errors/403_csrf.html", status=403)
