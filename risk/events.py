"""Case timeline event kinds for risk assessments, MARAC, reviews and the incident log."""

from cases.events import register

ASSESSMENT_DRAFT_SAVED = register("risk_assessment_draft", "Risk assessment draft saved")
ASSESSMENT_COMPLETED = register("risk_assessment_completed", "Risk assessment completed")
RISK_LEVEL_CHANGED = register("risk_level_changed", "Risk level changed")
MARAC_REFERRED = register("marac_referred", "MARAC referral")
MARAC_UPDATED = register("marac_updated", "MARAC referral updated")
REVIEW_DUE_SET = register("risk_review_due", "Risk review due date set")
INCIDENT_RECORDED = register("incident_recorded", "Incident recorded")
INCIDENT_UPDATED = register("incident_updated", "Incident updated")
EXHIBIT_ADDED = register("exhibit_added", "Exhibit added")
CHRONOLOGY_EXPORTED = register("chronology_exported", "Chronology exported for police")
