"""Emails to a staff account's owner about their own account: the one-time link to set a
password, and a notice of every password set, role change and two-factor reset, so an
owner learns at once of a change they did not make. Sent after the change commits (a
rolled-back change tells nobody); a mail server that is down is logged, never a lost
change."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

NOTICE_FOOTER = (
    "If you did not expect this, tell your service manager straight away: someone may be "
    "trying to use your account."
)


def _send(*, email: str, subject: str, body: str) -> None:
    send_mail(
        f"{settings.SERVICE_NAME}: {subject}",
        body,
        settings.DEFAULT_FROM_EMAIL,
        [email],
    )


def account_notice(*, user, subject: str, text: str) -> None:
    """Tell the owner of `user` about a change to their account (no link in it: a notice
    is never something to click)."""
    email = user.email
    if not email:
        return
    body = f"Hello {user.get_short_name() or user.get_username()},\n\n{text}\n\n{NOTICE_FOOTER}\n"
    transaction.on_commit(lambda: _send(email=email, subject=subject, body=body), robust=True)


def password_link_url(*, user, base_url: str) -> str:
    """A one-time link that lets the owner of `user` choose a password. It stops working
    once a password is set (the token covers the password hash) or after
    PASSWORD_RESET_TIMEOUT."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return base_url.rstrip("/") + path


def password_link(*, user, base_url: str, new_account: bool) -> None:
    """Email the owner of `user`, and nobody else, a one-time link to set their password.
    The link is made after the change commits, from the account as it then is."""
    email = user.email
    hours = settings.PASSWORD_RESET_TIMEOUT // 3600
    opening = (
        "An account has been made for you. Choose your password with this link:"
        if new_account
        else "An administrator has sent you a link to choose a new password:"
    )

    def send():
        url = password_link_url(user=user, base_url=base_url)
        body = (
            f"Hello {user.get_short_name() or user.get_username()},\n\n{opening}\n\n{url}\n\n"
            f"The link works once, for {hours} hours. Your username is "
            f"{user.get_username()}.\n\n{NOTICE_FOOTER}\n"
        )
        _send(email=email, subject="choose your password", body=body)

    transaction.on_commit(send, robust=True)
