from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import Resolver404, resolve

from .access import PUBLIC_URL_NAMES, TWO_FACTOR_URL_NAMES


def _url_name(request):
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return None


class LoginRequiredMiddleware:
    """Deny by default: every page except the declared public ones needs a signed-in user.
    Unknown paths also go to sign-in, so a signed-out visitor learns nothing about URLs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            not request.user.is_authenticated
            and not request.path_info.startswith(settings.STATIC_URL)
            and _url_name(request) not in PUBLIC_URL_NAMES
        ):
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """With REQUIRE_2FA on, a password alone gets no further than the token step."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.REQUIRE_2FA
            and user.is_authenticated
            and not user.is_verified()
            and not request.path_info.startswith(settings.STATIC_URL)
        ):
            name = _url_name(request)
            if name not in TWO_FACTOR_URL_NAMES and name not in PUBLIC_URL_NAMES:
                from django_otp import user_has_device

                step = resolve_url(
                    "two_factor_verify" if user_has_device(user) else "two_factor_setup"
                )
                if request.method == "GET":
                    step += "?" + urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(step)
        return self.get_response(request)


class QueryCountHeaderMiddleware:
    """Benchmark settings only: report how many SQL queries a request ran."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.db import connection

        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Query-Count"] = str(count)
        return response
