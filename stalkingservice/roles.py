"""What each role may do, written once. Views, templates and tests all read this table."""

from django.db import models


class Role(models.TextChoices):
    CASEWORKER = "caseworker", "Caseworker (ISAC)"
    MANAGER = "manager", "Service manager"
    COMMISSIONER = "commissioner", "Commissioner's contract manager"
    ADMINISTRATOR = "administrator", "System administrator"


class Capability(models.TextChoices):
    WORK_CASES = "work_cases", "Record casework on cases they may see"
    SEE_ALL_CASES = "see_all_cases", "See every case"
    BREAK_GLASS = "break_glass", "Open another worker's case with a recorded reason"
    TRIAGE = "triage", "Take referrals and triage them"
    ALLOCATE = "allocate", "Allocate and reallocate cases"
    APPROVE_CLOSURE = "approve_closure", "Approve case closures"
    APPROVE_RISK_DOWNGRADE = "approve_risk_downgrade", "Sign off a lower risk level on a case"
    VIEW_ACCESS_LOG = "view_access_log", "See who has looked at a case"
    VIEW_AUDIT = "view_audit", "Search the audit log"
    MANAGE_RETURNS = "manage_returns", "Generate and finalise quarterly returns"
    VIEW_DASHBOARD = "view_dashboard", "See live performance with true numbers"
    DOWNLOAD_RETURNS = "download_returns", "Download finalised quarterly returns"
    MANAGE_SERVICE_RECORDS = "manage_service_records", "Record awareness sessions, feedback"
    MANAGE_ACCOUNTS = "manage_accounts", "Manage user accounts"
    APPROVE_ROLE_CHANGES = (
        "approve_role_changes",
        "Approve another person's request to make someone a manager or administrator",
    )
    MANAGE_REFERENCE_DATA = "manage_reference_data", "Manage reference data"
    MANAGE_DATA_PROTECTION = (
        "manage_data_protection",
        "Approve retention and answer subject access requests",
    )


ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.CASEWORKER: frozenset(
        {
            Capability.WORK_CASES,
            Capability.BREAK_GLASS,
            Capability.TRIAGE,
            Capability.MANAGE_SERVICE_RECORDS,
        }
    ),
    Role.MANAGER: frozenset(
        {
            Capability.WORK_CASES,
            Capability.SEE_ALL_CASES,
            Capability.TRIAGE,
            Capability.ALLOCATE,
            Capability.APPROVE_CLOSURE,
            Capability.APPROVE_RISK_DOWNGRADE,
            Capability.VIEW_ACCESS_LOG,
            Capability.VIEW_AUDIT,
            Capability.MANAGE_RETURNS,
            Capability.VIEW_DASHBOARD,
            Capability.DOWNLOAD_RETURNS,
            Capability.MANAGE_SERVICE_RECORDS,
            Capability.MANAGE_DATA_PROTECTION,
            Capability.APPROVE_ROLE_CHANGES,
        }
    ),
    Role.COMMISSIONER: frozenset({Capability.DOWNLOAD_RETURNS}),
    Role.ADMINISTRATOR: frozenset(
        {
            Capability.MANAGE_ACCOUNTS,
            Capability.MANAGE_REFERENCE_DATA,
            Capability.APPROVE_ROLE_CHANGES,
        }
    ),
}

# Roles that open every case or every account: giving one (to an existing account or a new
# one) takes a second person's approval (stalkingservice.services.role_change_request).
ROLES_NEEDING_APPROVAL = frozenset({Role.MANAGER, Role.ADMINISTRATOR})


def has_capability(user, capability: str) -> bool:
    """True when the signed-in user's role grants the capability."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return capability in ROLE_CAPABILITIES.get(user.role, frozenset())
