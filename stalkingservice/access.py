"""Which URLs are public by design. Everything else needs a signed-in user (and, when
REQUIRE_2FA is on, a verified second factor). Listed once, here; the URL walk test reads it."""

PUBLIC_URL_NAMES = frozenset(
    {
        "login",
        "healthz",
        "referrals:self_referral_start",
        "referrals:self_referral",
        "referrals:self_referral_check",
        "referrals:self_referral_done",
    }
)

# Reachable after a password but before the second factor.
TWO_FACTOR_URL_NAMES = frozenset({"two_factor_verify", "two_factor_setup", "logout"})
