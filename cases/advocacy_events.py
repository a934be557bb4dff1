"""Timeline and reporting event kinds for advocacy and the end of support."""

from .events import register

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
HANDOVER_SUMMARY_PRINTED = register("handover_summary", "Handover summary viewed for sharing")
OUTCOMES_RECORDED = register("outcomes_recorded", "Outcome measures recorded")
EXIT_PLAN_SAVED = register("exit_plan_saved", "Exit plan saved")
CLOSURE_REQUESTED = register("closure_requested", "Closure requested")
CLOSURE_RETURNED = register("closure_returned", "Closure returned by manager")
CLOSURE_APPROVED = register("closure_approved", "Closure approved")
FEEDBACK_LINKED = register("feedback_linked", "Compliment or complaint recorded")
