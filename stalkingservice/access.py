"""Who may reach a view. Which URLs are public by design: everything else needs a
signed-in user (and, when REQUIRE_2FA is on, a verified second factor); listed once, here,
and the URL walk test reads it. And the capability decorator every app's views use."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .roles import has_capability

# Pages a victim may use: they carry "Exit this page" and never lead to staff pages.
VICTIM_FACING_URL_NAMES = frozenset(
    {
        "referrals:self_referral_start",
        "referrals:self_referral",
        "referrals:self_referral_check",
        "referrals:self_referral_done",
        "referrals:self_referral_privacy",
        # "Exit this page" forgets the caller's own draft (POST, see the view).
        "referrals:self_referral_discard",
    }
)
# "password_reset_confirm" is the page an emailed one-time link opens (the token is the key).
PUBLIC_URL_NAMES = (
    frozenset({"login", "healthz", "password_reset_confirm"}) | VICTIM_FACING_URL_NAMES
)

# Reachable after a password but before the second factor.
TWO_FACTOR_URL_NAMES = frozenset({"two_factor_verify", "two_factor_setup", "logout"})


def capability_required(capability: str, *, hide: bool = True):
    """Allow the view only to roles with the capability. With hide=True a refusal is a 404,
    so a page's existence is not confirmed to someone who may not use it. Put it above
    require_POST, so a refused role gets that 404 whatever the method (not a 405)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not has_capability(request.user, capability):
                if hide:
                    raise Http404
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_capability = capability
        return wrapped

    return decorator
