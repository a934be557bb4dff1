"""Navigation by role: each entry names the capability that shows it. Apps add their
entries here so the menu and the access rules come from the same table."""

from django.urls import NoReverseMatch, reverse

from .roles import Capability

# (label, url name, capability or None for any signed-in user)
NAV_ITEMS = [
    ("Home", "home", None),
    ("My cases", "cases:my_cases", Capability.WORK_CASES),
    ("New referral", "referrals:intake", Capability.TRIAGE),
    ("Triage", "referrals:triage_queue", Capability.TRIAGE),
    ("All cases", "cases:all_cases", Capability.SEE_ALL_CASES),
    ("Group work", "risk:groups", Capability.WORK_CASES),
    ("Waiting list", "cases:waiting_list", Capability.ALLOCATE),
    ("High-risk reviews", "risk:high_risk_reviews", Capability.SEE_ALL_CASES),
    ("Dashboard", "reporting:dashboard", Capability.VIEW_DASHBOARD),
    ("Returns", "reporting:returns", Capability.DOWNLOAD_RETURNS),
    ("Closures to approve", "cases:closures_awaiting", Capability.APPROVE_CLOSURE),
    ("Services directory", "cases:service_directory", Capability.WORK_CASES),
    ("Awareness sessions", "cases:awareness_list", Capability.MANAGE_SERVICE_RECORDS),
    ("Compliments and complaints", "cases:feedback_list", Capability.MANAGE_SERVICE_RECORDS),
    ("Audit", "audit_log", Capability.VIEW_AUDIT),
    ("Retention", "dataprotection:retention", Capability.MANAGE_DATA_PROTECTION),
    ("Subject access", "dataprotection:sar_list", Capability.MANAGE_DATA_PROTECTION),
    ("Accounts", "admin:index", Capability.MANAGE_ACCOUNTS),
]


def navigation_for(user):
    if not getattr(user, "is_authenticated", False):
        return []
    items = []
    for label, name, capability in NAV_ITEMS:
        if capability is not None and not user.can(capability):
            continue
        try:
            items.append({"label": label, "url": reverse(name), "name": name})
        except NoReverseMatch:
            # The app that owns this page is not built yet; leave it out of the menu.
            continue
    return items
