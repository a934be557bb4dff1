"""Case status and the only moves allowed between statuses. Tested as a table."""

from django.db import models


class CaseStatus(models.TextChoices):
    REFERRED = "referred", "Referred"
    TRIAGED = "triaged", "Triaged"
    WAITING = "waiting", "Waiting for allocation"
    ALLOCATED = "allocated", "Allocated"
    ACTIVE = "active", "Active"
    EXIT_PLANNING = "exit_planning", "Exit planning"
    CLOSED = "closed", "Closed"


S = CaseStatus

ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    # referred: awaiting triage. triaged: checks done (duplicate, conflict, eligibility),
    # decision pending. A triage decision either accepts (waiting) or closes it
    # (declined / signposted).
    S.REFERRED: frozenset({S.TRIAGED, S.CLOSED}),
    S.TRIAGED: frozenset({S.WAITING, S.ALLOCATED, S.CLOSED}),
    S.WAITING: frozenset({S.ALLOCATED, S.CLOSED}),
    S.ALLOCATED: frozenset({S.ACTIVE, S.WAITING, S.CLOSED}),
    S.ACTIVE: frozenset({S.EXIT_PLANNING, S.CLOSED}),
    S.EXIT_PLANNING: frozenset({S.ACTIVE, S.CLOSED}),
    # Closed is terminal: coming back is a new episode (a new case), never a reopen in place.
    S.CLOSED: frozenset(),
}

OPEN_STATUSES = frozenset(s for s in CaseStatus if s != S.CLOSED)
INTAKE_STATUSES = frozenset({S.REFERRED, S.TRIAGED})
SUPPORTED_STATUSES = frozenset({S.ALLOCATED, S.ACTIVE, S.EXIT_PLANNING})
TERMINAL_STATUSES = frozenset({S.CLOSED})


def can_move(current: str, target: str) -> bool:
    return target in ALLOWED_TRANSITIONS.get(current, frozenset())


class RiskLevel(models.TextChoices):
    STANDARD = "standard", "Standard"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


RISK_ORDER = {None: 0, "": 0, RiskLevel.STANDARD: 1, RiskLevel.MEDIUM: 2, RiskLevel.HIGH: 3}
