from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from . import selectors, services
from .access import capability_required
from .domain import DomainError
from .forms import PasswordChangeForm, SetPasswordForm, SignInForm, TokenForm
from .redirects import local_path
from .roles import Capability


@require_GET
@never_cache
def healthz(request):
    """Database and broker status for load balancers and monitoring; no data at all."""
    status = {}
    healthy = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        status["database"] = "ok"
    except Exception:  # noqa: BLE001 - any failure means "down"; the detail is not for the public
        status["database"] = "unavailable"
        healthy = False
    if settings.CELERY_TASK_ALWAYS_EAGER and not settings.REDIS_URL:
        status["broker"] = "eager"
    else:
        status["broker"] = services.broker_status()
        if status["broker"] != "ok":
            healthy = False
    return JsonResponse(status, status=200 if healthy else 503)


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


def locked_out(request, original_response=None, credentials=None):
    """django-axes calls this when a locked account tries to sign in (HTTP 429)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change your own password; the password rules apply and other sessions end."""

    form_class = PasswordChangeForm
    template_name = "registration/password_change.html"

    def get_success_url(self):
        return reverse("home")

    def form_valid(self, form):
        user = services.user_password_set(
            user=form.user,
            password=form.cleaned_data["new_password1"],
            request=self.request,
            how="changed",
        )
        update_session_auth_hash(self.request, user)
        messages.success(self.request, "Your password has been changed.")
        return redirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The page an emailed one-time link opens: the owner chooses a password (the same
    rules), their other sessions end, and the link stops working. Nobody else can set it."""

    form_class = SetPasswordForm
    template_name = "registration/password_reset_confirm.html"

    def form_valid(self, form):
        services.user_password_set(
            user=form.user,
            password=form.cleaned_data["new_password1"],
            request=self.request,
            how="reset with an emailed link",
        )
        self.request.session.pop(auth_views.INTERNAL_RESET_SESSION_TOKEN, None)
        if self.request.user.is_authenticated:
            logout(self.request)
        messages.success(self.request, "Your password is set. Sign in with it now.")
        return redirect("login")


@require_POST
def sign_out(request):
    logout(request)
    messages.info(request, "You have signed out.")
    return redirect("login")


@require_POST
def sign_out_everywhere(request):
    services.user_sign_out_everywhere(user=request.user)
    logout(request)
    messages.info(request, "You have been signed out on every device.")
    return redirect("login")


def _next_url(request):
    nxt = local_path(request.GET.get("next") or request.POST.get("next"))
    if nxt:
        return nxt
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@never_cache
def two_factor_verify(request):
    if not user_has_device(request.user):
        return redirect("two_factor_setup")
    if request.user.is_verified():
        return redirect("home")
    devices = list(TOTPDevice.objects.devices_for_user(request.user, confirmed=True))

    def check(token):
        for device in devices:
            if device.verify_token(token):
                otp_login(request, device)
                return True
        return False

    form = TokenForm(request.POST or None, device_check=check)
    if request.method == "POST" and form.is_valid():
        return redirect(_next_url(request))
    return render(request, "registration/two_factor_verify.html", {"form": form})


ENROLMENT_SESSION_KEY = "two_factor_setup_secret"


@never_cache
def two_factor_setup(request):
    """First sign-in with 2FA on (or the first after an administrator's reset): show a QR
    code, confirm one code, then carry on.

    Each visit starts a fresh enrolment whose secret lives only in this session until a code
    confirms it; nothing is stored on GET. So nobody who saw an earlier QR code, or the
    setup page in another session, holds the secret of the device that is finally saved."""
    if user_has_device(request.user):
        return redirect("two_factor_verify")
    if request.method == "POST":
        key = request.session.get(ENROLMENT_SESSION_KEY)
        if not key:
            messages.error(request, "Your set-up had expired. Scan this new QR code.")
            return redirect(request.get_full_path())
    else:
        key = random_hex(20)
        request.session[ENROLMENT_SESSION_KEY] = key
    candidate = TOTPDevice(user=request.user, key=key, name="Authenticator app", confirmed=True)

    def check(token):
        try:
            services.user_two_factor_enrol(user=request.user, device=candidate, token=token)
        except DomainError:
            return False
        otp_login(request, candidate)
        return True

    form = TokenForm(request.POST or None, device_check=check)
    if request.method == "POST" and form.is_valid():
        request.session.pop(ENROLMENT_SESSION_KEY, None)
        messages.success(request, "Two-factor authentication is set up.")
        return redirect(_next_url(request))
    image = qrcode.make(candidate.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": image.to_string(encoding="unicode"),
            "secret": b32encode(candidate.bin_key).decode(),
        },
    )


def home(request):
    """Each role's front door: it leads to that role's work."""
    # The apps own their roles' front doors; settings name them, so the core imports none.
    view_path = settings.ROLE_HOME_VIEWS.get(request.user.role)
    if view_path is None:
        raise Http404
    return import_string(view_path)(request)


@capability_required(Capability.DOWNLOAD_RETURNS)
def commissioner_home(request):
    return render(
        request,
        "home/commissioner.html",
        {
            "returns_url": reverse("reporting:returns"),
            "commissioner_name": settings.COMMISSIONER_NAME,
        },
    )


@capability_required(Capability.MANAGE_ACCOUNTS)
def administrator_home(request):
    return render(
        request,
        "home/administrator.html",
        {
            "overview": selectors.accounts_overview(),
            "reference_data": selectors.admin_reference_data(request=request),
        },
    )


@capability_required(Capability.MANAGE_ACCOUNTS)
@require_POST
def account_unlock(request, pk):
    user = selectors.user_get(pk=pk)
    services.user_unlock(user=user, by=request.user, request=request)
    messages.success(request, f"{user} can sign in again.")
    return redirect("home")


@capability_required(Capability.MANAGE_ACCOUNTS)
@require_POST
def account_two_factor_reset(request, pk):
    user = selectors.user_get(pk=pk)
    services.user_two_factor_reset(user=user, by=request.user, request=request)
    messages.success(
        request,
        f"Two-factor for {user} was reset and they were signed out everywhere. "
        "They will set it up again when they next sign in.",
    )
    return redirect("home")


@capability_required(Capability.MANAGE_ACCOUNTS)
@require_POST
def account_password_reset_send(request, pk):
    """Email the account's owner a one-time link to choose a password. The link is shown to
    nobody else: no administrator screen sets or sees another person's password."""
    user = selectors.user_get(pk=pk)
    try:
        services.user_password_reset_send(user=user, by=request.user, request=request)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"{user.username} was emailed a one-time link to choose a password."
        )
    return redirect("home")


@capability_required(Capability.APPROVE_ROLE_CHANGES)
def role_changes(request):
    """Changes of role to manager or administrator waiting for a second person, and the
    latest decisions."""
    return render(
        request,
        "accounts/role_changes.html",
        {
            "pending": selectors.role_changes_pending(),
            "decided": selectors.role_changes_decided(),
        },
    )


@capability_required(Capability.APPROVE_ROLE_CHANGES)
@require_POST
def role_change_decide(request, pk):
    change = selectors.role_change_get(pk=pk)
    decision = request.POST.get("decision")
    if decision not in ("approve", "reject"):
        messages.error(request, "Choose whether to approve or reject the change of role.")
        return redirect("role_changes")
    try:
        services.role_change_decide(
            change=change, by=request.user, approve=decision == "approve", request=request
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        verb = "approved" if decision == "approve" else "rejected"
        messages.success(
            request,
            f"The change of {change.user.username} to {change.get_to_role_display()} was {verb}.",
        )
    return redirect("role_changes")


@capability_required(Capability.VIEW_AUDIT)
def audit_log(request):
    from .selectors import audit_events_filtered

    events, filter_form = audit_events_filtered(user=request.user, params=request.GET)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "audit/list.html", {"page": page, "filter_form": filter_form})


def report_problem(request):
    return render(request, "home/report_problem.html")


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
