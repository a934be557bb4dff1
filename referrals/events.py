"""Case event kinds recorded by referral intake and triage. The spine's own kinds
(referral_received, triage_checked, triage_decided) are registered in cases.events."""

from cases.events import register

REFERRAL_LINKED_CLIENT = register(
    "referral_linked_client", "Referral linked to an existing client (new episode)"
)
REFERRAL_DUPLICATE_FOR_MANAGER = register(
    "referral_duplicate_for_manager", "Duplicate check passed to a manager"
)
