"""Navigation by role: each entry names the capability that shows it. Apps add their
entries here so the menu and the access rules come from the same table."""

from django.urls import reverse
from django.utils.text import slugify

from .roles import Capability

# Menu groups, in the order they are shown. Items with no group stand alone in the bar.
CASEWORK = "Casework"
SERVICE = "Service"
DATA_PROTECTION = "Data protection"

# (label, url name, capability or None for any signed-in user, menu group or None)
NAV_ITEMS = [
    ("Home", "home", None, None),
    ("My cases", "cases:my_cases", Capability.WORK_CASES, None),
    ("New referral", "referrals:intake", Capability.TRIAGE, CASEWORK),
    ("Triage", "referrals:triage_queue", Capability.TRIAGE, CASEWORK),
    ("All cases", "cases:all_cases", Capability.SEE_ALL_CASES, CASEWORK),
    ("Waiting list", "cases:waiting_list", Capability.ALLOCATE, CASEWORK),
    ("High-risk reviews", "risk:high_risk_reviews", Capability.SEE_ALL_CASES, CASEWORK),
    ("Closures to approve", "cases:closures_awaiting", Capability.APPROVE_CLOSURE, CASEWORK),
    ("Group work", "risk:groups", Capability.WORK_CASES, CASEWORK),
    ("Services directory", "cases:service_directory", Capability.WORK_CASES, CASEWORK),
    ("Dashboard", "reporting:dashboard", Capability.VIEW_DASHBOARD, SERVICE),
    ("Returns", "reporting:returns", Capability.DOWNLOAD_RETURNS, SERVICE),
    ("Awareness sessions", "cases:awareness_list", Capability.MANAGE_SERVICE_RECORDS, SERVICE),
    (
        "Compliments and complaints",
        "cases:feedback_list",
        Capability.MANAGE_SERVICE_RECORDS,
        SERVICE,
    ),
    ("Audit", "audit_log", Capability.VIEW_AUDIT, DATA_PROTECTION),
    ("Role changes", "role_changes", Capability.APPROVE_ROLE_CHANGES, DATA_PROTECTION),
    ("Retention", "dataprotection:retention", Capability.MANAGE_DATA_PROTECTION, DATA_PROTECTION),
    (
        "Subject access",
        "dataprotection:sar_list",
        Capability.MANAGE_DATA_PROTECTION,
        DATA_PROTECTION,
    ),
    ("Accounts", "admin:index", Capability.MANAGE_ACCOUNTS, None),
]


def navigation_for(user):
    if not getattr(user, "is_authenticated", False):
        return []
    items = []
    for label, name, capability, group in NAV_ITEMS:
        if capability is not None and not user.can(capability):
            continue
        items.append({"label": label, "url": reverse(name), "name": name, "group": group})
    return items


def navigation_menu(items, path: str):
    """The menu bar built from navigation_for(): stand-alone links and dropdown groups, each
    group placed where its first item is. A group with one item for this user is shown as a
    plain link (a dropdown of one is only an extra key press)."""
    by_group: dict[str, list] = {}
    for item in items:
        item["current"] = item["url"] == path
        if item["group"]:
            by_group.setdefault(item["group"], []).append(item)
    menu, placed = [], set()
    for item in items:
        group = item["group"]
        if not group or len(by_group[group]) == 1:
            menu.append({"link": item})
        elif group not in placed:
            placed.add(group)
            children = by_group[group]
            menu.append(
                {
                    "label": group,
                    "slug": slugify(group),
                    "items": children,
                    "current": any(child["current"] for child in children),
                }
            )
    return menu
