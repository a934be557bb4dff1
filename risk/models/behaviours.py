"""Stalking behaviours: the vocabulary of the incident log, also used when a referral
says what is happening. Risk owns it; referrals imports it (never the reverse)."""

from django.db import models

__all__ = ["DIGITAL_BEHAVIOURS", "Behaviour"]


class Behaviour(models.TextChoices):
    """Stalking behaviours (DOMAIN 5): the statutory examples and the common others."""

    FOLLOWING = "following", "Following"
    CONTACTING = "contacting", "Contacting or trying to contact"
    PUBLISHING = "publishing", "Publishing material about the person"
    MONITORING = "monitoring", "Monitoring internet, email or other communication"
    LOITERING = "loitering", "Loitering"
    INTERFERING_PROPERTY = "interfering_property", "Interfering with property"
    WATCHING = "watching", "Watching or spying"
    GIFTS = "gifts", "Unwanted gifts"
    PROPERTY_DAMAGE = "property_damage", "Property damage"
    THREATS = "threats", "Threats (to the victim, others or self)"
    VIOLENCE = "violence", "Violence or sexual assault"
    PROXY = "proxy", "Third-party or proxy contact"
    TURNING_UP = "turning_up", "Turning up at home or work"
    FAKE_ACCOUNTS = "fake_accounts", "Fake accounts or impersonation"
    TRACKING = "tracking", "Tracking devices or location sharing"
    STALKERWARE = "stalkerware", "Stalkerware"
    ACCOUNT_COMPROMISE = "account_compromise", "Account compromise"
    IMAGE_ABUSE = "image_abuse", "Image-based abuse (sharing or threatening to share)"
    ORDERING_GOODS = "ordering_goods", "Ordering goods in the victim's name"
    BREACH = "breach", "Breach of an order or bail"
    OTHER = "other", "Other"


DIGITAL_BEHAVIOURS = frozenset(
    {
        "monitoring",
        "fake_accounts",
        "tracking",
        "stalkerware",
        "account_compromise",
        "image_abuse",
        "publishing",
    }
)
