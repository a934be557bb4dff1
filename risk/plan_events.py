"""Timeline and reporting event kinds for safety plans, care plans, interventions and
digital safety checks."""

from cases.events import register

SAFETY_ACTION_ADDED = register("safety_action_added", "Safety plan action added")
SAFETY_ACTION_UPDATED = register("safety_action_updated", "Safety plan action updated")
SAFETY_PLAN_AGREED = register("safety_plan_agreed", "Safety plan agreed with the client")
SAFETY_PLAN_CLIENT_COPY = register("safety_plan_client_copy", "Safety plan client copy made")
NEEDS_ASSESSED = register("needs_assessed", "Needs assessment")
CARE_GOAL_ADDED = register("care_goal_added", "Care plan goal added")
CARE_GOAL_UPDATED = register("care_goal_updated", "Care plan goal updated")
CARE_GOAL_PROGRESS = register("care_goal_progress", "Care plan progress note")
SESSION_RECORDED = register("session_recorded", "One-to-one session")
SESSION_UPDATED = register("session_updated", "One-to-one session updated")
GROUP_ENROLLED = register("group_enrolled", "Enrolled on group work")
GROUP_ATTENDANCE = register("group_attendance", "Group session attendance")
DIGITAL_CHECK_RECORDED = register("digital_check_recorded", "Digital safety check recorded")
DIGITAL_CHECK_UPDATED = register("digital_check_updated", "Digital safety check updated")
DIGITAL_CHECK_COMPLETED = register("digital_check_completed", "Digital safety check completed")
