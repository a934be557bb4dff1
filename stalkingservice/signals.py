"""Sign-in events go to the audit trail. Receivers only record; they hold no logic."""

import time

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .audit import audit_record
from .middleware import SESSION_STARTED_KEY
from .models import AuditEvent


@receiver(user_logged_in)
def _audit_sign_in(sender, request, user, **kwargs):
    audit_record(action=AuditEvent.Action.SIGN_IN, user=user, request=request)


@receiver(user_logged_in)
def _stamp_session_start(sender, request, user, **kwargs):
    # The start of the absolute session lifetime (SessionAbsoluteLifetimeMiddleware).
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_STARTED_KEY] = int(time.time())


@receiver(user_logged_out)
def _audit_sign_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(action=AuditEvent.Action.SIGN_OUT, user=user, request=request)


@receiver(user_login_failed)
def _audit_failed_sign_in(sender, credentials, request=None, **kwargs):
    # The attempted username is kept (it may not exist); the password never is.
    audit_record(
        action=AuditEvent.Action.SIGN_IN_FAILED,
        request=request,
        username=str(credentials.get("username", ""))[:150],
    )
