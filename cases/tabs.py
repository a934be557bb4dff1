"""The sub-navigation of a case page. Each app's case tabs are listed here, once, so the
tab bar is the same on every part of a case."""

from django.urls import reverse

# (slug, label, url name taking the case pk)
CASE_TABS = [
    ("overview", "Overview", "cases:detail"),
    ("contact", "Contact and notes", "cases:contact"),
    ("tasks", "Tasks", "cases:tasks"),
    ("risk", "Risk", "risk:case_risk"),
    ("safety", "Safety plan", "risk:safety_plan"),
    ("care", "Care plan", "risk:care_plan"),
    ("interventions", "Interventions", "risk:interventions"),
    ("incidents", "Incidents and evidence", "risk:incidents"),
    ("digital", "Digital safety", "risk:digital_safety"),
    ("police", "Police and court", "cases:police"),
    ("handover", "Signposting and handover", "cases:handovers"),
    ("outcomes", "Outcomes", "cases:outcomes"),
    ("exit", "Exit and closure", "cases:exit"),
    ("access", "Who has looked", "cases:access_log"),
]


def tab_url(slug: str, case) -> str:
    """The URL of one tab of this case (a form on the tab goes back to it)."""
    name = next(name for tab, _, name in CASE_TABS if tab == slug)
    return reverse(name, args=[case.pk])


def tabs_for(case, user, current: str):
    from stalkingservice.roles import Capability

    items = []
    for slug, label, name in CASE_TABS:
        if slug == "access" and not user.can(Capability.VIEW_ACCESS_LOG):
            continue
        url = reverse(name, args=[case.pk])
        items.append({"slug": slug, "label": label, "url": url, "current": slug == current})
    return items
