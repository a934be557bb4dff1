"""Which URLs are public by design. Everything else needs a signed-in user (and, when
REQUIRE_2FA is on, a verified second factor). Listed once, here; the URL walk test reads it."""

# Pages a victim may use: they carry "Exit this page" and never lead to staff pages.
VICTIM_FACING_URL_NAMES = frozenset(
    {
        "referrals:self_referral_start",
        "referrals:self_referral",
        "referrals:self_referral_check",
        "referrals:self_referral_done",
    }
)
PUBLIC_URL_NAMES = frozenset({"login", "healthz"}) | VICTIM_FACING_URL_NAMES

# Reachable after a password but before the second factor.
TWO_FACTOR_URL_NAMES = frozenset({"two_factor_verify", "two_factor_setup", "logout"})
