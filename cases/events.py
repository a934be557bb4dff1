"""The case event registry: every kind of thing that goes on a case's timeline and into
the reports. Apps register their kinds at import; an unregistered kind is refused when an
event is written, so the timeline and reports never meet an unknown code."""

from dataclasses import dataclass


@dataclass(frozen=True)
class EventKind:
    code: str
    label: str
    # False for the few kinds that are not a change to the case by the person named: a
    # break-glass opening, a group register taken by its facilitator, and reading the
    # case out for sharing (a chronology, a handover summary, a client's plan copy),
    # which a break-glass reader may do and which the timeline records. Every other kind is
    # casework, which only those who may act on the case can write (see case_record_event).
    acts: bool = True


_REGISTRY: dict[str, EventKind] = {}


def register(code: str, label: str, *, acts: bool = True) -> str:
    kind = EventKind(code, label, acts)
    if code in _REGISTRY and _REGISTRY[code] != kind:
        raise ValueError(f"Event kind {code!r} registered twice differently")
    _REGISTRY[code] = kind
    return code


def label_for(code: str) -> str:
    kind = _REGISTRY.get(code)
    return kind.label if kind else code.replace("_", " ").capitalize()


def is_registered(code: str) -> bool:
    return code in _REGISTRY


def is_act(code: str) -> bool:
    """Whether writing this kind is a change to the case (see EventKind.acts)."""
    return _REGISTRY[code].acts


def all_kinds() -> list[EventKind]:
    return sorted(_REGISTRY.values(), key=lambda k: k.code)


# The casework spine's own kinds. Other apps register theirs in their events.py.
STATUS_CHANGED = register("status_changed", "Status changed")
REFERRAL_RECEIVED = register("referral_received", "Referral received")
TRIAGE_CHECKED = register("triage_checked", "Triage checks completed")
TRIAGE_DECIDED = register("triage_decided", "Triage decision")
ALLOCATED = register("allocated", "Allocated")
REALLOCATED = register("reallocated", "Reallocated")
CONTACT_ATTEMPT = register("contact_attempt", "Contact attempt")
FIRST_CONTACT = register("first_contact", "First successful contact")
NOTE_ADDED = register("note_added", "Case note")
TASK_ADDED = register("task_added", "Task added")
TASK_DONE = register("task_done", "Task done")
BREAK_GLASS = register("break_glass", "Break-glass access", acts=False)
CASE_CLOSED = register("case_closed", "Case closed")
CASE_REOPENED = register("case_reopened", "New episode opened")
NOTE_EDITED = register("note_edited", "Case note edited")
CLIENT_UPDATED = register("client_updated", "Client details updated")
SAFE_CONTACT_UPDATED = register("safe_contact_updated", "Safe-contact details updated")
UNSAFE_ROUTE_OVERRIDE = register("unsafe_route_override", "Unconfirmed contact route used")
ROUTES_MARKED_UNSAFE = register(
    "routes_marked_unsafe", "Contact routes marked unsafe after a digital-safety finding"
)
CASE_RESTRICTION_CHANGED = register("restriction_changed", "Case restriction changed")
# A lower risk level needs a manager: proposed (the case keeps its level), then decided.
RISK_LEVEL_CHANGED = register("risk_level_changed", "Risk level changed")
RISK_DOWNGRADE_PROPOSED = register("risk_downgrade_proposed", "Lower risk level proposed")
RISK_DOWNGRADE_REJECTED = register("risk_downgrade_rejected", "Lower risk level not signed off")

# Advocacy and the end of support.
INVESTIGATION_RECORDED = register("investigation_recorded", "Crime report recorded")
INVESTIGATION_STATUS = register("investigation_status", "Investigation status changed")
POLICE_CONTACT = register("police_contact", "Contact with police")
VICTIMS_CODE_CHECKED = register("victims_code_checked", "Victims' Code right checked")
VICTIMS_CODE_ESCALATED = register("victims_code_escalated", "Victims' Code escalation")
HEARING_RECORDED = register("hearing_recorded", "Court hearing recorded")
COURT_SUPPORT_UPDATED = register("court_support", "Court support updated")
ORDER_RECORDED = register("order_recorded", "Protective order recorded")
ORDER_STATUS = register("order_status", "Order status changed")
ORDER_BREACH = register("order_breach", "Order breach recorded")
HANDOVER_MADE = register("handover_made", "Signposting or handover")
HANDOVER_ACKNOWLEDGED = register("handover_acknowledged", "Handover acknowledged")
HANDOVER_SUMMARY_PRINTED = register(
    "handover_summary", "Handover summary viewed for sharing", acts=False
)
OUTCOMES_RECORDED = register("outcomes_recorded", "Outcome measures recorded")
EXIT_PLAN_SAVED = register("exit_plan_saved", "Exit plan saved")
CLOSURE_REQUESTED = register("closure_requested", "Closure requested")
CLOSURE_RETURNED = register("closure_returned", "Closure returned by manager")
CLOSURE_APPROVED = register("closure_approved", "Closure approved")
FEEDBACK_LINKED = register("feedback_linked", "Compliment or complaint recorded")
