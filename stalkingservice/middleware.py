import time
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


# When this session was signed in (seconds since the epoch), set on sign-in.
SESSION_STARTED_KEY = "signed_in_at"
SESSION_ABSOLUTE_MESSAGE = (
    "You have been signed in for {hours} hours, so you were signed out to keep the records "
    "safe. Sign in again to carry on."
)


class SessionAbsoluteLifetimeMiddleware:
    """A session ends SESSION_ABSOLUTE_SECONDS after sign-in, however active it is (the
    idle limit alone would let a stolen or forgotten session live for ever). Comes after
    the message middleware, so the sign-in page can say why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.get(SESSION_STARTED_KEY)
            if not isinstance(started, int):
                # Signed in before this check existed (or by a path that sent no signal).
                request.session[SESSION_STARTED_KEY] = now
            elif now - started >= settings.SESSION_ABSOLUTE_SECONDS:
                from django.contrib import messages
                from django.contrib.auth import logout
                from django.contrib.auth.views import redirect_to_login

                logout(request)
                hours = settings.SESSION_ABSOLUTE_SECONDS / 3600
                messages.info(request, SESSION_ABSOLUTE_MESSAGE.format(hours=f"{hours:g}"))
                next_url = request.get_full_path() if request.method == "GET" else "/"
                return redirect_to_login(next_url)
        return self.get_response(request)


NO_STORE = "no-store, private"


class NoStoreForSignedInMiddleware:
    """Pages shown to a signed-in user hold casework: no browser, proxy or back button
    may keep a copy (`Cache-Control: no-store, private`). Public pages (sign-in, the
    self-referral pages, health check) keep whatever they set themselves."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path_info.startswith(settings.STATIC_URL)
            and _url_name(request) not in PUBLIC_URL_NAMES
        ):
            directives = {d.strip().lower() for d in response.get("Cache-Control", "").split(",")}
            if not {"no-store", "private"} <= directives:
                response["Cache-Control"] = NO_STORE
            response.headers.pop("Expires", None)
        return response


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
