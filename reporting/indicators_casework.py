"""Indicators of the casework done for clients and of service-level work: MARAC referrals,
safety plans and digital-safety checks, one-to-one and group sessions, police and court
advocacy, orders, handovers, outcome measures, awareness raising, compliments and
complaints. Each figure is one or two aggregate queries (COUNT/SUM with GROUP BY or
FILTER); nothing loops over cases in Python.

Period rules:
- Records dated by a day (a MARAC referral, a session, a hearing, an order, a handover,
  an outcome assessment, an awareness session, feedback) count in the quarter when the
  day falls between the first and the last day of the quarter (inclusive). For the
  dashboard's quarter to date, the last day is today.
- Records stamped with a time (a safety plan agreed, a digital-safety check completed)
  count when the time falls in the quarter in London time: 00:30 BST on 1 July is in Q2
  (July to September), not Q1.
"""

from django.db.models import Case as SqlCase
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Sum, Value, When

from cases.models.handover import HandoverReferral, ServiceDirectoryEntry
from cases.models.orders import ProtectiveOrder
from cases.models.outcomes import ENTRY_MEASURES, OutcomeAnswer, OutcomeAssessment, OutcomeMeasure
from cases.models.police_court import CourtSupport, Hearing, PoliceContact
from cases.models.service_records import AwarenessSession, Feedback
from risk.models.assessment import MaracReferral
from risk.models.digital import DigitalSafetyCheck
from risk.models.groups import GroupAttendance, GroupProgramme, GroupSession
from risk.models.safety_plan import SafetyPlanVersion
from risk.models.sessions import OneToOneSession, SessionStatus, SessionType

from .indicators import _counts
from .registry import COUNT, PERCENT, Period, Result, Row, indicator, register_group

register_group("safety", "Risk management and safety planning", after="caseload")
register_group("support", "One-to-one and group support", after="safety")
register_group("justice", "Police, courts and orders", after="support")
register_group("handovers", "Signposting and handovers to other services", after="justice")
register_group("outcomes", "Outcomes for clients", after="closures")
register_group("service", "Awareness raising, compliments and complaints")

_DAY_RULE = "dated in the quarter"


def on_days(field: str, p: Period) -> dict:
    """Filter for a date field: from the quarter's first day to its last (or today)."""
    return {f"{field}__gte": p.start_date, f"{field}__lte": p.end_date}


def at_times(field: str, p: Period) -> dict:
    """Filter for a time field: within the period in London time ([start, end))."""
    return {f"{field}__gte": p.start, f"{field}__lt": p.end}


def _choice_rows(counts: dict, choices) -> list[Row]:
    return [
        Row(key=value, label=str(label), value=counts.get(value, 0)) for value, label in choices
    ]


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


# ---- risk management and safety planning ------------------------------------------------

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
    totals = MaracReferral.objects.filter(**on_days("referred_on", p)).aggregate(
        total=Count("id"),
        **{name: Count("id", filter=Q(**{name: True})) for name, _ in MARAC_CRITERIA},
    )
    rows = [Row(key=name, label=label, value=totals[name]) for name, label in MARAC_CRITERIA]
    return Result(value=totals["total"], rows=rows, groups=[])


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
    counts = _counts(qs, "kind")
    rows = [
        Row(key="first", label="First safety plan agreed", value=counts.get("first", 0)),
        Row(key="review", label="Plan agreed again after a review", value=counts.get("review", 0)),
    ]
    return Result(value=sum(counts.values()), rows=rows)


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
    totals = DigitalSafetyCheck.objects.filter(
        status=DigitalSafetyCheck.Status.COMPLETE, **at_times("completed_at", p)
    ).aggregate(
        total=Count("id"),
        no=Count("id", filter=Q(stalkerware=Status.NOT_SUSPECTED)),
        suspected=Count("id", filter=Q(stalkerware=Status.SUSPECTED)),
        found=Count("id", filter=Q(stalkerware=Status.FOUND)),
        tracker=Count("id", filter=Q(tracker_found=True)),
    )
    rows = [Row(key=k, label=label, value=totals[k]) for k, label in _STALKERWARE_ROWS]
    rows.append(Row(key="tracker", label="Tracking device found", value=totals["tracker"]))
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
    counts = _counts(qs, "session_type")
    return Result(value=sum(counts.values()), rows=_choice_rows(counts, SessionType.choices))


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
    counts = _counts(qs, "programme__kind")
    return Result(
        value=sum(counts.values()), rows=_choice_rows(counts, GroupProgramme.Kind.choices)
    )


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
    rows = [
        Row(key="attended", label="Attended", value=totals["attended"]),
        Row(key="apologies", label="Apologies", value=totals["apologies"]),
        Row(key="dna", label="Did not attend", value=totals["dna"]),
        Row(key="clients", label="Different clients who attended", value=totals["clients"]),
    ]
    return Result(value=totals["attended"], rows=rows, groups=[])


# ---- police, courts and orders -------------------------------------------------------------


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
    totals = PoliceContact.objects.filter(**on_days("contacted_on", p)).aggregate(
        total=Count("id"), linked=Count("id", filter=Q(investigation__isnull=False))
    )
    rows = [
        Row(key="crime_report", label="About a crime report", value=totals["linked"]),
        Row(
            key="other",
            label="Other contact with the police",
            value=totals["total"] - totals["linked"],
        ),
    ]
    return Result(value=totals["total"], rows=rows)


@indicator(
    code="court_advocacy_actions",
    label="Court advocacy actions",
    group="justice",
    definition="Support given for court: hearings a caseworker attended with the client "
    "and pre-trial court visits arranged (both counted on the hearing date), and Victim "
    "Personal Statements offered and made (counted on those dates).",
    period_rule=_DAY_RULE,
    unit=COUNT,
    breakdown_label="Action",
)
def court_advocacy_actions(p: Period) -> Result:
    hearings = Hearing.objects.filter(**on_days("hearing_on", p)).aggregate(
        attended=Count("id", filter=Q(caseworker_attended=True)),
        visit=Count("id", filter=Q(pre_trial_visit=True)),
    )
    statements = CourtSupport.objects.aggregate(
        offered=Count("id", filter=Q(**on_days("vps_offered_on", p))),
        made=Count("id", filter=Q(**on_days("vps_made_on", p))),
    )
    rows = [
        Row(key="attended", label="Hearings attended with the client", value=hearings["attended"]),
        Row(key="visit", label="Pre-trial court visits arranged", value=hearings["visit"]),
        Row(
            key="vps_offered",
            label="Victim Personal Statements offered",
            value=statements["offered"],
        ),
        Row(key="vps_made", label="Victim Personal Statements made", value=statements["made"]),
    ]
    return Result(value=sum(r.value for r in rows), rows=rows)


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
    counts = _counts(ProtectiveOrder.objects.filter(**on_days("applied_on", p)), "order_type")
    rows = _choice_rows(counts, ProtectiveOrder.OrderType.choices)
    return Result(value=sum(counts.values()), rows=rows)


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
    counts = _counts(ProtectiveOrder.objects.filter(**on_days("granted_on", p)), "order_type")
    rows = _choice_rows(counts, ProtectiveOrder.OrderType.choices)
    return Result(value=sum(counts.values()), rows=rows)


# ---- signposting and handovers -------------------------------------------------------------


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
    qs = HandoverReferral.objects.filter(**on_days("made_on", p))
    counts = _counts(qs, "service__category")
    rows = _choice_rows(counts, ServiceDirectoryEntry.Category.choices)
    return Result(value=sum(counts.values()), rows=rows)


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
    counts = _counts(HandoverReferral.objects.filter(**on_days("made_on", p)), "kind")
    rows = _choice_rows(counts, HandoverReferral.Kind.choices)
    return Result(value=sum(counts.values()), rows=rows)


# ---- outcomes -----------------------------------------------------------------------------


def _exit_answers(p: Period):
    """Ratings (1 to 5) given at exit, for exit assessments recorded in the period."""
    return OutcomeAnswer.objects.filter(
        assessment__stage=OutcomeAssessment.Stage.EXIT,
        response=OutcomeAnswer.Response.RATED,
        **on_days("assessment__recorded_on", p),
    )


def _measured(p: Period):
    """Exit ratings of the measures asked at entry and exit, with the same client's entry
    rating for the same measure as `entry_rating`, where both were rated. One row per
    exit answer. The entry rating is looked up through the two unique keys (a case's
    entry assessment; an assessment's answer to a measure), so the plan stays a pair of
    index lookups per exit answer even on tables without planner statistics (freshly
    bulk-loaded demo or benchmark data)."""
    entry_assessment = (
        OutcomeAssessment.objects.filter(
            case_id=OuterRef(OuterRef("assessment__case_id")),
            stage=OutcomeAssessment.Stage.ENTRY,
        )
        .order_by()
        .values("pk")[:1]
    )
    entry_rating = (
        OutcomeAnswer.objects.filter(
            assessment_id=Subquery(entry_assessment),
            measure=OuterRef("measure"),
            response=OutcomeAnswer.Response.RATED,
        )
        .order_by()
        .values("rating")[:1]
    )
    return (
        _exit_answers(p)
        .filter(measure__in=[str(m) for m in ENTRY_MEASURES])
        .annotate(entry_rating=Subquery(entry_rating, output_field=IntegerField()))
        .filter(entry_rating__isnull=False)
    )


_IMPROVED = Q(rating__gt=F("entry_rating"))
_OUTCOME_RULE = "exit outcomes recorded in the quarter"


def outcome_counts(p: Period) -> dict:
    """{measure: (measured, improved)} for the measures asked at entry and exit."""
    per_measure = {
        row["measure"]: (row["measured"], row["improved"])
        for row in _measured(p)
        .values("measure")
        .annotate(measured=Count("id"), improved=Count("id", filter=_IMPROVED))
        .order_by()
    }
    return {str(m): per_measure.get(str(m), (0, 0)) for m in ENTRY_MEASURES}


def _client_totals(p: Period) -> dict:
    return _measured(p).aggregate(
        measured=Count("assessment", distinct=True),
        improved=Count("assessment", distinct=True, filter=_IMPROVED),
    )


@indicator(
    code="outcomes_measured",
    label="Clients with outcomes measured",
    group="outcomes",
    definition="Clients who rated a measure (1 to 5) both when support began and when it "
    "ended, counted when the exit ratings were recorded; by measure. Answers not asked, "
    "declined or not relevant are not measured. A client usually rates several measures, "
    "so the rows do not add up to the total.",
    period_rule=_OUTCOME_RULE,
    unit=COUNT,
    breakdown_label="Measure",
)
def outcomes_measured(p: Period) -> Result:
    counts = outcome_counts(p)
    rows = [
        Row(key=m, label=str(OutcomeMeasure(m).label), value=measured)
        for m, (measured, _) in counts.items()
    ]
    return Result(value=_client_totals(p)["measured"], rows=rows, groups=[])


@indicator(
    code="outcomes_improved",
    label="Clients whose outcomes improved",
    group="outcomes",
    definition="Of the clients with a measure rated at entry and at exit, those whose "
    "exit rating was higher than their entry rating; the total counts each client who "
    "improved on at least one measure once.",
    period_rule=_OUTCOME_RULE,
    unit=COUNT,
    breakdown_label="Measure",
    chart="improvement",
    higher_is_better=True,
)
def outcomes_improved(p: Period) -> Result:
    counts = outcome_counts(p)
    rows = [
        Row(key=m, label=str(OutcomeMeasure(m).label), value=improved)
        for m, (_, improved) in counts.items()
    ]
    return Result(value=_client_totals(p)["improved"], rows=rows, groups=[])


@indicator(
    code="outcomes_improved_share",
    label="Share of clients whose outcomes improved",
    group="outcomes",
    definition="Of the clients with at least one measure rated at entry and at exit, the "
    "percentage who improved on at least one measure.",
    period_rule=_OUTCOME_RULE,
    unit=PERCENT,
    headline=True,
    higher_is_better=True,
)
def outcomes_improved_share(p: Period) -> Result:
    # No breakdown: the numbers measured and improved are the two indicators above.
    totals = _client_totals(p)
    measured, improved = totals["measured"], totals["improved"]
    return Result(value=_share(improved, measured), base=measured)


_SATISFACTION_ROWS = [
    (5, "5 (very satisfied)"),
    (4, "4"),
    (3, "3"),
    (2, "2"),
    (1, "1 (not at all satisfied)"),
]


@indicator(
    code="satisfaction",
    label="Clients satisfied with the service",
    group="outcomes",
    definition="Of the clients who rated their satisfaction with the service (1 to 5) "
    "when support ended, the percentage who gave 4 or 5.",
    period_rule=_OUTCOME_RULE,
    unit=PERCENT,
    breakdown_label="Satisfaction rating",
    headline=True,
    higher_is_better=True,
)
def satisfaction(p: Period) -> Result:
    counts = _counts(_exit_answers(p).filter(measure=OutcomeMeasure.SATISFACTION), "rating")
    rated = sum(counts.values())
    satisfied = counts.get(4, 0) + counts.get(5, 0)
    rows = [Row(key=str(r), label=label, value=counts.get(r, 0)) for r, label in _SATISFACTION_ROWS]
    return Result(value=_share(satisfied, rated), rows=rows, base=rated)


# ---- awareness raising, compliments and complaints ----------------------------------------


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
    counts = _counts(AwarenessSession.objects.filter(**on_days("delivered_on", p)), "audience_type")
    rows = _choice_rows(counts, AwarenessSession.Audience.choices)
    return Result(value=sum(counts.values()), rows=rows)


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
    sums = {
        row["audience_type"]: row["n"]
        for row in AwarenessSession.objects.filter(**on_days("delivered_on", p))
        .values("audience_type")
        .annotate(n=Sum("attendees"))
        .order_by()
    }
    rows = _choice_rows(sums, AwarenessSession.Audience.choices)
    return Result(value=sum(sums.values()), rows=rows)


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
    qs = Feedback.objects.filter(kind=Feedback.Kind.COMPLIMENT, **on_days("received_on", p))
    counts = _counts(qs, "received_from")
    return Result(value=sum(counts.values()), rows=_choice_rows(counts, Feedback.From.choices))


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
    qs = Feedback.objects.filter(kind=Feedback.Kind.COMPLAINT, **on_days("received_on", p))
    counts = _counts(qs, "outcome")
    return Result(value=sum(counts.values()), rows=_choice_rows(counts, _COMPLAINT_OUTCOMES))
