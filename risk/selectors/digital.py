"""Reads for digital safety checks, reached through a case the user may see, and what a
check found that belongs on the safety plan."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from ..models.digital import DigitalSafetyCheck
from ..models.safety_plan import SafetySection


def digital_checks_for_case(*, case) -> QuerySet[DigitalSafetyCheck]:
    return DigitalSafetyCheck.objects.filter(case=case).select_related("checked_by")


def digital_check_get(*, case, pk) -> DigitalSafetyCheck:
    try:
        return DigitalSafetyCheck.objects.select_related("checked_by").get(case=case, pk=pk)
    except (DigitalSafetyCheck.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


@dataclass(frozen=True)
class Finding:
    code: str
    section: str
    text: str


def digital_check_findings(check: DigitalSafetyCheck) -> list[Finding]:
    """What the check found that needs an action, each worded as a safety-plan action."""
    C = DigitalSafetyCheck
    found: list[Finding] = []
    online = SafetySection.ONLINE
    if check.stalkerware == C.Stalkerware.FOUND:
        decision = check.get_stalkerware_decision_display() if check.stalkerware_decision else ""
        found.append(
            Finding(
                "stalkerware_found",
                online,
                "Follow the agreed plan for the phone with stalkerware"
                + (f": {decision.lower()}" if decision else ""),
            )
        )
    elif check.stalkerware == C.Stalkerware.SUSPECTED:
        found.append(
            Finding(
                "stalkerware_suspected",
                online,
                "Get the phone checked for stalkerware before changing anything on it",
            )
        )
    if check.perpetrator_had_access == "yes" or check.phone_paid_by in ("perpetrator", "shared"):
        found.append(
            Finding(
                "phone_account",
                online,
                "Move the phone to an account only the client controls and change its passcode",
            )
        )
    if not (check.device_admin_checked and check.profiles_checked):
        found.append(
            Finding(
                "device_admin",
                online,
                "Check the phone for unknown device admin apps and profiles",
            )
        )
    if not check.location_sharing_reviewed:
        found.append(
            Finding("location_sharing", online, "Review who can see the client's location")
        )
    if check.tracker_found and not check.tracker_police_told:
        found.append(
            Finding(
                "tracker_police",
                SafetySection.POLICE,
                "Tell the police about the tracking device and keep it as evidence",
            )
        )
    unsecured = [
        label
        for flag, label in (
            (check.email_secured, "email"),
            (check.social_secured, "social media"),
            (check.cloud_secured, "cloud storage"),
            (check.banking_secured, "banking"),
        )
        if not flag
    ]
    if unsecured:
        found.append(
            Finding(
                "accounts",
                online,
                "Change passwords and secure the " + ", ".join(unsecured) + " accounts",
            )
        )
    if not check.two_factor_on:
        found.append(Finding("two_factor", online, "Switch on two-factor sign-in for key accounts"))
    if not check.smart_home_checked or not check.car_telematics_checked:
        found.append(
            Finding(
                "smart_home_car",
                SafetySection.HOME,
                "Check smart-home devices, car apps and telematics for shared access",
            )
        )
    if check.childrens_devices == C.ChildrenDevices.NOT_CHECKED:
        found.append(
            Finding(
                "children_devices",
                SafetySection.CHILDREN,
                "Check the children's phones, tablets and games consoles",
            )
        )
    if not check.platform_safety_check_run:
        found.append(
            Finding(
                "platform_check",
                online,
                "Run the safety check on each platform the client uses (Google, Apple, Meta)",
            )
        )
    return found


# What a repeat check starts from: every answer of the last one but its date and notes.
REPEATED_CHECK_FIELDS = tuple(
    name for name in DigitalSafetyCheck.EDITABLE_FIELDS if name not in ("checked_on", "findings")
)


def digital_check_initial(check: DigitalSafetyCheck) -> dict:
    """The answers of a previous check, to start the next one from."""
    return {name: getattr(check, name) for name in REPEATED_CHECK_FIELDS}


def digital_findings_with_state(check: DigitalSafetyCheck) -> list[dict]:
    added = set(check.plan_actions.values_list("source_finding", flat=True))
    return [
        {"finding": f, "on_plan": f.code in added, "section": SafetySection(f.section).label}
        for f in digital_check_findings(check)
    ]
