"""The work the service does: for clients (MARAC referrals, safety plans and
digital-safety checks, one-to-one and group support, police and court advocacy and
orders, signposting and handovers) and beyond them (awareness raising), and what people
say of it (compliments and complaints)."""

from django.db.models import Case as SqlCase
from django.db.models import Count, Q, Sum, Value, When

from cases.models.handover import HandoverReferral, ServiceDirectoryEntry
from cases.models.orders import ProtectiveOrder
from cases.models.police_court import CourtSupport, Hearing, PoliceContact
from cases.models.service_records import AwarenessSession, Feedback
from risk.models.assessment import MaracReferral
from risk.models.digital import DigitalSafetyCheck
from risk.models.groups import GroupAttendance, GroupProgramme, GroupSession
from risk.models.safety_plan import SafetyPlanVersion
from risk.models.sessions import OneToOneSession, SessionStatus, SessionType

from ..registry import COUNT, Period, Result, indicator
from .common import (
    DAY_RULE,
    at_times,
    breakdown,
    choice_rows,
    counts_where,
    linked,
    on_days,
)

# ---- risk management and safety planning -------------------------------------------------


MARAC_CRITERIA = [
    ("visible_high_risk", "Visible high risk (DASH 14 or more)"),
    ("professional_judgement", "Professional judgement"),
    ("potential_escalation", "Potential escalation"),
    ("repeat", "Repeat (within 12 months of a referral)"),
]


@indicator(
    code="marac_referrals",
    label="MARAC referrals made",
    group="safety",
    definition="Referrals of a client to the Multi-Agency Risk Assessment Conference "
    "(MARAC) made by the service, counted on the referral date, with the criteria each "
    "referral met. A referral can meet more than one criterion, so the rows do not add "
    "up to the total.",
    period_rule="referred in the quarter",
    unit=COUNT,
    breakdown_label="Criterion met",
    chart="bar",
)
def marac_referrals(p: Period) -> Result:
    totals = counts_where(
        MaracReferral.objects.filter(**on_days("referred_on", p)),
        {"total": None, **{name: Q(**{name: True}) for name, _ in MARAC_CRITERIA}},
    )
    return Result(value=totals["total"], rows=choice_rows(totals, MARAC_CRITERIA), groups=[])


@indicator(
    code="safety_plans_agreed",
    label="Safety plans completed (agreed with the client)",
    group="safety",
    definition="Safety plans agreed with the client: a client's first plan, and a plan "
    "agreed again after a review. Each agreement is counted once, at the time it was "
    "agreed.",
    period_rule="agreed in the quarter",
    unit=COUNT,
    breakdown_label="Plan",
)
def safety_plans_agreed(p: Period) -> Result:
    qs = SafetyPlanVersion.objects.filter(**at_times("agreed_at", p)).annotate(
        kind=SqlCase(When(number=1, then=Value("first")), default=Value("review"))
    )
    return breakdown(
        qs,
        "kind",
        [("first", "First safety plan agreed"), ("review", "Plan agreed again after a review")],
    )


_STALKERWARE_ROWS = [
    ("no", "Stalkerware not suspected"),
    ("suspected", "Stalkerware suspected"),
    ("found", "Stalkerware found"),
]


@indicator(
    code="digital_checks_completed",
    label="Digital-safety checks completed",
    group="safety",
    definition="Digital-safety checks of a client's phone, accounts and devices marked "
    "complete, counted at the time of completion, by what was found about stalkerware. "
    "Tracking devices found are shown as well (those checks are already in the "
    "stalkerware rows).",
    period_rule="completed in the quarter",
    unit=COUNT,
    breakdown_label="Finding",
)
def digital_checks_completed(p: Period) -> Result:
    Status = DigitalSafetyCheck.Stalkerware
    totals = counts_where(
        DigitalSafetyCheck.objects.filter(
            status=DigitalSafetyCheck.Status.COMPLETE, **at_times("completed_at", p)
        ),
        {
            "total": None,
            "no": Q(stalkerware=Status.NOT_SUSPECTED),
            "suspected": Q(stalkerware=Status.SUSPECTED),
            "found": Q(stalkerware=Status.FOUND),
            "tracker": Q(tracker_found=True),
        },
    )
    rows = choice_rows(totals, [*_STALKERWARE_ROWS, ("tracker", "Tracking device found")])
    return Result(value=totals["total"], rows=rows, groups=[[k for k, _ in _STALKERWARE_ROWS]])


# ---- one-to-one and group support --------------------------------------------------------


@indicator(
    code="one_to_one_sessions",
    label="One-to-one support sessions delivered",
    group="support",
    definition="One-to-one sessions with a client recorded as delivered (not planned or "
    "cancelled), by the kind of support given.",
    period_rule="delivered in the quarter",
    unit=COUNT,
    breakdown_label="Type of support",
    chart="bar",
)
def one_to_one_sessions(p: Period) -> Result:
    qs = OneToOneSession.objects.filter(
        status=SessionStatus.DELIVERED, **on_days("session_date", p)
    )
    return breakdown(qs, "session_type", SessionType.choices)


@indicator(
    code="group_sessions",
    label="Group sessions delivered",
    group="support",
    definition="Sessions of the service's group programmes that took place, by the kind of group.",
    period_rule="delivered in the quarter",
    unit=COUNT,
    breakdown_label="Kind of group",
)
def group_sessions(p: Period) -> Result:
    qs = GroupSession.objects.filter(status=SessionStatus.DELIVERED, **on_days("session_date", p))
    return breakdown(qs, "programme__kind", GroupProgramme.Kind.choices)


_ATTENDANCE_ROWS = [
    ("attended", "Attended"),
    ("apologies", "Apologies"),
    ("dna", "Did not attend"),
    ("clients", "Different clients who attended"),
]


@indicator(
    code="group_attendances",
    label="Group session attendances",
    group="support",
    definition="For group sessions delivered in the quarter, the number of times a client "
    "attended, with the apologies and non-attendance recorded and the number of different "
    "clients who attended at least once.",
    period_rule="session delivered in the quarter",
    unit=COUNT,
    breakdown_label="Attendance",
)
def group_attendances(p: Period) -> Result:
    A = GroupAttendance.Status
    totals = GroupAttendance.objects.filter(
        session__status=SessionStatus.DELIVERED,
        **on_days("session__session_date", p),
    ).aggregate(
        attended=Count("id", filter=Q(status=A.ATTENDED)),
        apologies=Count("id", filter=Q(status=A.APOLOGIES)),
        dna=Count("id", filter=Q(status=A.DID_NOT_ATTEND)),
        clients=Count("case", distinct=True, filter=Q(status=A.ATTENDED)),
    )
    rows = choice_rows(totals, _ATTENDANCE_ROWS)
    result = Result(value=totals["attended"], rows=rows, groups=[])
    # The value is the "Attended" row.
    return linked(result, "attendances", "status", cell="attendances/status=attended")


# ---- police, courts and orders -----------------------------------------------------------


@indicator(
    code="police_advocacy_actions",
    label="Police advocacy actions",
    group="justice",
    definition="Contacts the service made with the police on a client's behalf (for "
    "example chasing an investigation, passing on evidence, asking for a marker), "
    "counted on the date of contact, by whether the contact was about a recorded crime "
    "report.",
    period_rule="contacted in the quarter",
    unit=COUNT,
    breakdown_label="Contact",
)
def police_advocacy_actions(p: Period) -> Result:
    totals = counts_where(
        PoliceContact.objects.filter(**on_days("contacted_on", p)),
        {"total": None, "crime_report": Q(investigation__isnull=False)},
    )
    totals["other"] = totals["total"] - totals["crime_report"]
    rows = choice_rows(
        totals,
        [("crime_report", "About a crime report"), ("other", "Other contact with the police")],
    )
    return Result(value=totals["total"], rows=rows)


_COURT_ROWS = [
    ("attended", "Hearings attended with the client"),
    ("visit", "Pre-trial court visits arranged"),
    ("vps_offered", "Victim Personal Statements offered"),
    ("vps_made", "Victim Personal Statements made"),
]


@indicator(
    code="court_advocacy_actions",
    label="Court advocacy actions",
    group="justice",
    definition="Support given for court: hearings a caseworker attended with the client "
    "and pre-trial court visits arranged (both counted on the hearing date), and Victim "
    "Personal Statements offered and made (counted on those dates).",
    period_rule=DAY_RULE,
    unit=COUNT,
    breakdown_label="Action",
)
def court_advocacy_actions(p: Period) -> Result:
    totals = {
        **counts_where(
            Hearing.objects.filter(**on_days("hearing_on", p)),
            {"attended": Q(caseworker_attended=True), "visit": Q(pre_trial_visit=True)},
        ),
        **counts_where(
            CourtSupport.objects.all(),
            {
                "vps_offered": Q(**on_days("vps_offered_on", p)),
                "vps_made": Q(**on_days("vps_made_on", p)),
            },
        ),
    }
    rows = choice_rows(totals, _COURT_ROWS)
    return Result(value=sum(r.value for r in rows), rows=rows)


def _orders_by_type(p: Period, dated: str) -> Result:
    qs = ProtectiveOrder.objects.filter(**on_days(dated, p))
    return breakdown(qs, "order_type", ProtectiveOrder.OrderType.choices)


@indicator(
    code="orders_applied",
    label="Orders applied for",
    group="justice",
    definition="Protective orders and bail conditions applied for on a client's behalf "
    "or with the service's support, counted on the application date, by type of order.",
    period_rule="applied for in the quarter",
    unit=COUNT,
    breakdown_label="Type of order",
    chart="bar",
)
def orders_applied(p: Period) -> Result:
    return _orders_by_type(p, "applied_on")


@indicator(
    code="orders_granted",
    label="Orders granted",
    group="justice",
    definition="Protective orders and bail conditions granted by a court (or set by the "
    "police), counted on the date granted, by type of order. An interim order is counted "
    "here only under its own type (interim Stalking Protection Order) or when the full "
    "order is granted.",
    period_rule="granted in the quarter",
    unit=COUNT,
    breakdown_label="Type of order",
)
def orders_granted(p: Period) -> Result:
    return _orders_by_type(p, "granted_on")


# ---- signposting and handovers -----------------------------------------------------------


def _handovers(p: Period):
    return HandoverReferral.objects.filter(**on_days("made_on", p))


@indicator(
    code="handovers_by_destination",
    label="Clients signposted or handed over",
    group="handovers",
    definition="Clients signposted (given information) or handed over with a warm "
    "introduction to another service, counted on the date made, by the kind of service "
    "they were referred to.",
    period_rule="made in the quarter",
    unit=COUNT,
    breakdown_label="Destination",
    chart="bar",
)
def handovers_by_destination(p: Period) -> Result:
    result = breakdown(_handovers(p), "service__category", ServiceDirectoryEntry.Category.choices)
    return linked(result, "handovers", "destination")


@indicator(
    code="handovers_by_kind",
    label="Signposting and handovers",
    group="handovers",
    definition="The same signposting and handovers, by whether the service gave the "
    "client information about another service or made a managed handover (a warm "
    "introduction, with the client's consent to share information).",
    period_rule="made in the quarter",
    unit=COUNT,
    breakdown_label="Kind of handover",
)
def handovers_by_kind(p: Period) -> Result:
    return linked(
        breakdown(_handovers(p), "kind", HandoverReferral.Kind.choices), "handovers", "kind"
    )


# ---- awareness raising, compliments and complaints ---------------------------------------


def _awareness_sessions(p: Period):
    return AwarenessSession.objects.filter(**on_days("delivered_on", p))


@indicator(
    code="awareness_sessions",
    label="Awareness-raising sessions delivered",
    group="service",
    definition="Talks and training about stalking delivered by the service to "
    "professionals and the public, by audience.",
    period_rule="delivered in the quarter",
    unit=COUNT,
    breakdown_label="Audience",
)
def awareness_sessions(p: Period) -> Result:
    return breakdown(_awareness_sessions(p), "audience_type", AwarenessSession.Audience.choices)


@indicator(
    code="awareness_attendees",
    label="Awareness-raising attendees",
    group="service",
    definition="The number of people who attended the awareness-raising sessions, as "
    "recorded for each session, by audience.",
    period_rule="delivered in the quarter",
    unit=COUNT,
    breakdown_label="Audience",
    chart="bar",
)
def awareness_attendees(p: Period) -> Result:
    return breakdown(
        _awareness_sessions(p),
        "audience_type",
        AwarenessSession.Audience.choices,
        measure=Sum("attendees"),
    )


def _feedback(p: Period, kind: str):
    return Feedback.objects.filter(kind=kind, **on_days("received_on", p))


@indicator(
    code="compliments",
    label="Compliments received",
    group="service",
    definition="Compliments about the service received, counted on the date received, by "
    "who gave them.",
    period_rule="received in the quarter",
    unit=COUNT,
    breakdown_label="From",
)
def compliments(p: Period) -> Result:
    return breakdown(_feedback(p, Feedback.Kind.COMPLIMENT), "received_from", Feedback.From.choices)


_COMPLAINT_OUTCOMES = [
    (value, label) for value, label in Feedback.Outcome.choices if value != Feedback.Outcome.SHARED
]


@indicator(
    code="complaints",
    label="Complaints received",
    group="service",
    definition="Complaints about the service received, counted on the date received, by "
    "their outcome so far (upheld, partly upheld, not upheld, withdrawn, or not resolved "
    "yet).",
    period_rule="received in the quarter",
    unit=COUNT,
    breakdown_label="Outcome",
    higher_is_better=False,
)
def complaints(p: Period) -> Result:
    return breakdown(_feedback(p, Feedback.Kind.COMPLAINT), "outcome", _COMPLAINT_OUTCOMES)
