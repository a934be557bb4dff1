"""Case timeline and reporting event kinds of the risk app, one block per area."""

from cases.events import register

# assessment
ASSESSMENT_DRAFT_SAVED = register("risk_assessment_draft", "Risk assessment draft saved")
ASSESSMENT_COMPLETED = register("risk_assessment_completed", "Risk assessment completed")
RISK_LEVEL_CHANGED = register("risk_level_changed", "Risk level changed")
MARAC_REFERRED = register("marac_referred", "MARAC referral")
MARAC_UPDATED = register("marac_updated", "MARAC referral updated")
REVIEW_DUE_SET = register("risk_review_due", "Risk review due date set")

# incidents
INCIDENT_RECORDED = register("incident_recorded", "Incident recorded")
INCIDENT_UPDATED = register("incident_updated", "Incident updated")
CHRONOLOGY_EXPORTED = register("chronology_exported", "Chronology exported for police", acts=False)

# exhibits
EXHIBIT_ADDED = register("exhibit_added", "Exhibit added")

# safety plan
SAFETY_ACTION_ADDED = register("safety_action_added", "Safety plan action added")
SAFETY_ACTION_UPDATED = register("safety_action_updated", "Safety plan action updated")
SAFETY_PLAN_AGREED = register("safety_plan_agreed", "Safety plan agreed with the client")
SAFETY_PLAN_CLIENT_COPY = register(
    "safety_plan_client_copy", "Safety plan client copy made", acts=False
)
SAFETY_PLAN_COPY_CONSENT = register(
    "safety_plan_copy_consent", "What goes on the client's copy changed"
)

# care plan
NEEDS_ASSESSED = register("needs_assessed", "Needs assessment")
CARE_GOAL_ADDED = register("care_goal_added", "Care plan goal added")
CARE_GOAL_UPDATED = register("care_goal_updated", "Care plan goal updated")
CARE_GOAL_PROGRESS = register("care_goal_progress", "Care plan progress note")

# sessions
SESSION_RECORDED = register("session_recorded", "One-to-one session")
SESSION_UPDATED = register("session_updated", "One-to-one session updated")

# groups
GROUP_ENROLLED = register("group_enrolled", "Enrolled on group work")
GROUP_ATTENDANCE = register("group_attendance", "Group session attendance", acts=False)

# digital
DIGITAL_CHECK_RECORDED = register("digital_check_recorded", "Digital safety check recorded")
DIGITAL_CHECK_UPDATED = register("digital_check_updated", "Digital safety check updated")
DIGITAL_CHECK_COMPLETED = register("digital_check_completed", "Digital safety check completed")
