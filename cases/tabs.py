"""The sub-navigation of a case page. Each app's case tabs are listed here, once, so the
tab bar is the same on every part of a case. A tab whose URL is not built yet is hidden."""

from django.urls import NoReverseMatch, reverse

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


def tabs_for(case, user, current: str):
    from stalkingservice.roles import Capability

    items = []
    for slug, label, name in CASE_TABS:
        if slug == "access" and not user.can(Capability.VIEW_ACCESS_LOG):
            continue
        try:
            url = reverse(name, args=[case.pk])
        except NoReverseMatch:
            continue
        items.append({"slug": slug, "label": label, "url": url, "current": slug == current})
    return items
