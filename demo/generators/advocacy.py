"""Demo data for advocacy and the end of support, on the demo cases made by
demo.generators.cases: police liaison, court, orders and breaches, handovers, outcome
measures (closed cases have entry and exit), exit plans and closure records; plus
awareness sessions and feedback.

Idempotent: a case that already has any advocacy record is skipped, and each case draws
from its own random stream (seed + case id), so a second run adds nothing. Bulk writes
with history rows for the main records, in chunks (about 14 s per 1000 cases on a busy
2-core box)."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from cases import events
from cases import events as ev
from cases.models.handover import HandoverReferral, ServiceDirectoryEntry
from cases.models.lifecycle import Case, CaseEvent, ClosureRequest, ExitPlan
from cases.models.notes_tasks import Task
from cases.models.orders import OrderBreach, OrderStatusChange, ProtectiveOrder
from cases.models.outcomes import OutcomeAnswer, OutcomeAssessment, OutcomeMeasure
from cases.models.police_court import (
    CourtSupport,
    Hearing,
    InvestigationStatusChange,
    PoliceContact,
    PoliceInvestigation,
    VictimsCodeCheck,
)
from cases.models.service_records import AwarenessSession, Feedback
from cases.statuses import CaseStatus
from stalkingservice.models import District
from stalkingservice.roles import Role

CHUNK = 1000
# Every eighth supported case (by id) has no entry outcome measure, and every fifth closed
# case no exit measure (the gaps a real service has). By id, not by each case's random
# stream: any run of cases has the same share measured whatever ids they happened to get,
# and a case keeps its answer when the seed is run again (it stays idempotent).
OUTCOME_ENTRY_GAP_EVERY = 8
OUTCOME_EXIT_GAP_EVERY = 5
S = CaseStatus
ENTRY = [m.value for m in OutcomeMeasure if m != OutcomeMeasure.SATISFACTION]

# (final status, path of statuses from "reported", weight)
INVESTIGATION_PATHS = [
    (["investigating"], 28),
    (["investigating", "rui"], 14),
    (["investigating", "bailed"], 10),
    (["investigating", "nfa"], 22),
    (["nfa"], 6),
    (["investigating", "bailed", "charged"], 12),
    (["investigating", "charged"], 8),
]
ORDER_TYPES = [
    ("spo", 30),
    ("interim_spo", 8),
    ("restraining", 24),
    ("bail", 32),
    ("non_molestation", 6),
]
ORDER_PATHS = [
    (["considered"], 10),
    (["considered", "applied"], 15),
    (["considered", "applied", "granted"], 40),
    (["considered", "applied", "interim", "granted"], 10),
    (["considered", "applied", "refused"], 10),
    (["considered", "applied", "granted", "varied"], 5),
    (["considered", "applied", "granted", "expired"], 10),
]
COURTS = [
    "North Staffordshire Justice Centre",
    "Cannock Magistrates' Court",
    "Stafford Combined Court",
    "Stoke-on-Trent Crown Court",
]
PURPOSES = [
    "Update on the investigation",
    "Passed on new incidents from the log",
    "Asked about bail conditions",
    "Asked for the crime reference",
    "Raised the client's worry about the suspect's release",
    "Arranged a further statement",
]
OUTCOMES = [
    "Officer will call the client this week.",
    "No update yet; chase in seven days.",
    "Bail conditions confirmed; client told by safe route.",
    "Statement booked.",
    "Officer on leave; spoke to the supervisor.",
]
SHARED = [
    "Client's first name, that they are being stalked by an acquaintance, and safe times to talk.",
    "Summary of support so far and the current risk level; no address.",
    "Name, the reason for referral, and that the client prefers text first.",
]
AWARENESS_TITLES = [
    "Recognising stalking: FOUR behaviours",
    "Digital stalking and tracking",
    "Stalking Protection Orders for frontline officers",
    "Supporting staff who are being stalked",
    "Stalking awareness for students",
]


def _pick(rng, weighted):
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def _day(rng, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _date(value) -> dt.date | None:
    return timezone.localtime(value).date() if value else None


# High-volume detail rows get no initial history row: their history starts at the first
# real edit, and skipping it halves the seeding time for 20000 cases.
WITHOUT_HISTORY = {
    PoliceContact,
    VictimsCodeCheck,
    InvestigationStatusChange,
    OrderStatusChange,
    OutcomeAnswer,
}


def _bulk(objs, model):
    if model in WITHOUT_HISTORY:
        model.objects.bulk_create(objs, batch_size=CHUNK)
    else:
        bulk_create_with_history(objs, model, batch_size=CHUNK)


def seed(ctx):
    directory = {s.code: s for s in ServiceDirectoryEntry.objects.all()}
    workers = [u for u in ctx.users.values() if u.role == Role.CASEWORKER]
    managers = [u for u in ctx.users.values() if u.role == Role.MANAGER]
    if not workers or not directory:
        return
    already = set()
    for model in (
        PoliceInvestigation,
        VictimsCodeCheck,
        ProtectiveOrder,
        HandoverReferral,
        OutcomeAssessment,
        ExitPlan,
        ClosureRequest,
    ):
        already.update(model.objects.values_list("case_id", flat=True).distinct())
    qs = (
        Case.objects.filter(
            status__in=[S.ALLOCATED, S.ACTIVE, S.EXIT_PLANNING, S.CLOSED],
            allocated_at__isnull=False,
        )
        .exclude(pk__in=already)
        .select_related("closure_reason", "allocated_to")
        .order_by("pk")
    )
    batch = []
    seeded = 0
    progress = ctx.progress(qs.count())
    for case in qs.iterator(chunk_size=CHUNK):
        batch.append(case)
        if len(batch) >= CHUNK:
            seeded += _seed_chunk(ctx, batch, workers, managers, directory, progress)
            batch = []
    if batch:
        seeded += _seed_chunk(ctx, batch, workers, managers, directory, progress)
    _seed_service_level(ctx, workers, managers)
    ctx.log.append(f"advocacy: seeded {seeded} cases")


@transaction.atomic
def _seed_chunk(ctx, cases, workers, managers, directory, progress) -> int:
    rows = {
        name: []
        for name in (
            "inv",
            "contact",
            "code",
            "hearing",
            "support",
            "order",
            "handover",
            "assessment",
            "plan",
            "closure",
            "task",
        )
    }
    later = []  # callbacks that need primary keys of the first wave
    today = timezone.localdate()
    for case in cases:
        progress.advance()
        rng = random.Random(f"{ctx.seed}-adv-{case.pk}")  # nosec B311 - demo data
        worker = case.allocated_to or rng.choice(workers)
        start = _date(case.allocated_at)
        end = _date(case.closed_at) if case.status == S.CLOSED else today
        end = min(max(end, start), today)
        closed = case.status == S.CLOSED
        supported = not closed or (
            case.closure_reason is None
            or case.closure_reason.code
            not in ("never-contacted", "declined-at-triage", "signposted-at-triage")
        )
        if not supported or case.status == S.ALLOCATED and rng.random() < 0.6:
            continue

        # Police liaison: most clients have reported; some never will.
        if rng.random() < 0.62:
            path = _pick(rng, INVESTIGATION_PATHS)
            reported = _day(rng, start - dt.timedelta(days=30), start + dt.timedelta(days=10))
            reported = min(reported, end)
            dates = sorted(_day(rng, reported, end) for _ in path)
            inv = PoliceInvestigation(
                case=case,
                crime_reference=f"SP-{rng.randint(100000, 999999)}-{reported:%y}",
                officer_name=f"DC {rng.choice(['Jones', 'Patel', 'Evans', 'Clarke', 'Khan', 'Wright'])}",
                officer_collar_number=str(rng.randint(1000, 9999)),
                officer_contact="Via the local policing team switchboard",
                status=path[-1],
                status_changed_on=dates[-1],
                reported_on=reported,
                charged_on=dates[-1] if path[-1] == "charged" else None,
                cps_decision="charge" if path[-1] == "charged" else "",
                cps_decision_on=dates[-1] if path[-1] == "charged" else None,
                offences="Stalking (s2A Protection from Harassment Act 1997)",
                created_at=case.allocated_at,
            )
            rows["inv"].append(inv)
            later.append(("inv", inv, path, dates, worker, rng))
            for _ in range(rng.randint(1, 4)):
                rows["contact"].append(
                    PoliceContact(
                        case=case,
                        contacted_on=_day(rng, start, end),
                        who=inv.officer_name,
                        purpose=rng.choice(PURPOSES),
                        outcome=rng.choice(OUTCOMES),
                        by=worker,
                    )
                )
            if path[-1] == "charged":
                charged = dates[-1]
                hearing_types = ["first", "plea", "trial", "sentence"][: rng.randint(1, 4)]
                hearing_day = charged
                for kind in hearing_types:
                    hearing_day = hearing_day + dt.timedelta(days=rng.randint(14, 60))
                    rows["hearing"].append(
                        Hearing(
                            case=case,
                            hearing_type=kind,
                            court=rng.choice(COURTS),
                            hearing_on=hearing_day,
                            outcome=""
                            if hearing_day > today
                            else rng.choice(
                                [
                                    "Adjourned",
                                    "Not guilty plea entered",
                                    "Guilty",
                                    "Sentenced: community order and restraining order",
                                ]
                            ),
                            caseworker_attended=kind == "trial" and rng.random() < 0.7,
                            pre_trial_visit=kind == "trial" and rng.random() < 0.5,
                            by=worker,
                        )
                    )
                rows["support"].append(
                    CourtSupport(
                        case=case,
                        special_measures_requested="Screens; separate waiting area",
                        special_measures_status=rng.choice(["granted", "part", "requested"]),
                        vps_offered_on=min(charged + dt.timedelta(days=5), today),
                        vps_made_on=min(charged + dt.timedelta(days=20), today)
                        if rng.random() < 0.7
                        else None,
                        witness_care_contact="Witness Care Unit, Staffordshire",
                        witness_care_last_contact_on=min(charged + dt.timedelta(days=10), today),
                    )
                )
            for right in (1, 4, 6, 12):
                if rng.random() < 0.75:
                    not_met = right == 6 and rng.random() < 0.08
                    rows["code"].append(
                        VictimsCodeCheck(
                            case=case,
                            right=right,
                            explained=True,
                            checked_on=_day(rng, start, end),
                            met="not_met" if not_met else "met",
                            escalation="Emailed the officer's supervisor" if not_met else "",
                            escalation_result="Update given within a week" if not_met else "",
                            by=worker,
                        )
                    )
        elif rng.random() < 0.8:
            for right in (1, 4, 12):
                rows["code"].append(
                    VictimsCodeCheck(
                        case=case,
                        right=right,
                        explained=True,
                        checked_on=_day(rng, start, end),
                        met="na",
                        by=worker,
                    )
                )

        # Orders
        if rng.random() < 0.2:
            path = _pick(rng, ORDER_PATHS)
            dates = sorted(_day(rng, start, end) for _ in path)
            fields = {f"{s}_on": d for s, d in zip(path, dates, strict=True)}
            order = ProtectiveOrder(
                case=case,
                order_type=_pick(rng, ORDER_TYPES),
                status=path[-1],
                conditions="Not to contact the client directly or indirectly; not to enter the client's street."
                if "granted" in path or "interim" in path
                else "",
                expires_on=fields.get("granted_on")
                and fields["granted_on"] + dt.timedelta(days=730),
                by=worker,
                **fields,
            )
            rows["order"].append(order)
            later.append(("order", order, path, dates, worker, rng))

        # Signposting and handover
        if rng.random() < 0.35:
            managed = rng.random() < 0.4
            made = _day(rng, start, end)
            acked = managed and rng.random() < 0.8
            code = rng.choice(
                ["local-idva", "victim-gateway", "mental-health", "housing", "paladin"]
                if managed
                else [
                    "national-stalking-helpline",
                    "samaritans",
                    "victim-support",
                    "protection-against-stalking",
                    "cyber-helpline",
                ]
            )
            rows["handover"].append(
                HandoverReferral(
                    case=case,
                    service=directory.get(code) or next(iter(directory.values())),
                    kind="managed" if managed else "information",
                    made_on=made,
                    consent_to_share=managed,
                    consent_covers_contact_details=managed and rng.random() < 0.5,
                    information_shared=rng.choice(SHARED) if managed else "",
                    acknowledged_on=min(made + dt.timedelta(days=rng.randint(1, 6)), today)
                    if acked
                    else None,
                    acknowledgement="Email from the service" if acked else "",
                    by=worker,
                )
            )
            if managed and not acked and not closed:
                rows["task"].append(
                    Task(
                        case=case,
                        title="Check the handover has been acknowledged",
                        due_on=made + dt.timedelta(days=5),
                        assignee=worker,
                        created_by=worker,
                    )
                )

        # Outcomes: entry after the first assessment; exit at the end.
        if case.status != S.ALLOCATED and case.pk % OUTCOME_ENTRY_GAP_EVERY:
            entry = OutcomeAssessment(
                case=case,
                stage="entry",
                recorded_on=min(start + dt.timedelta(days=rng.randint(3, 20)), end),
                by=worker,
            )
            rows["assessment"].append(entry)
            later.append(("answers", entry, "entry", None, worker, rng))
            if closed and case.pk % OUTCOME_EXIT_GAP_EVERY:
                exit_ = OutcomeAssessment(case=case, stage="exit", recorded_on=end, by=worker)
                rows["assessment"].append(exit_)
                later.append(("answers", exit_, "exit", entry, worker, rng))

        # Exit plan and closure records
        if case.status == S.EXIT_PLANNING or (closed and rng.random() < 0.85):
            rows["plan"].append(
                ExitPlan(
                    case=case,
                    readiness="Client feels ready; incidents have stopped for two months.",
                    ongoing_safety="Safety plan kept; order in place where granted; 999 if in danger.",
                    who_to_contact="Officer in case for breaches; National Stalking Helpline.",
                    how_to_come_back="Call the service or ask police to refer again; no need to retell.",
                    agreed_with_client=True,
                    by=worker,
                )
            )
        if closed and case.closure_reason_id:
            approval = case.risk_level == "high"
            rows["closure"].append(
                ClosureRequest(
                    case=case,
                    reason_id=case.closure_reason_id,
                    summary=case.closure_summary or "Support ended; see exit plan.",
                    approval_needed_because="the case is high risk" if approval else "",
                    status="approved" if approval else "closed",
                    requested_by=worker,
                    requested_at=case.closed_at,
                    decided_by=(managers[0] if managers and approval else worker),
                    decided_at=case.closed_at,
                )
            )

    # First wave (need primary keys for children)
    models = {
        "inv": PoliceInvestigation,
        "contact": PoliceContact,
        "code": VictimsCodeCheck,
        "hearing": Hearing,
        "support": CourtSupport,
        "order": ProtectiveOrder,
        "handover": HandoverReferral,
        "assessment": OutcomeAssessment,
        "plan": ExitPlan,
        "closure": ClosureRequest,
        "task": Task,
    }
    for key, model in models.items():
        if rows[key]:
            _bulk(rows[key], model)

    inv_changes, order_changes, breaches, answers = [], [], [], []
    for kind, obj, path, dates, worker, rng in later:
        if kind == "inv":
            previous = ""
            for status, day in zip(["reported", *path], [obj.reported_on, *dates], strict=True):
                inv_changes.append(
                    InvestigationStatusChange(
                        investigation=obj,
                        from_status=previous,
                        to_status=status,
                        changed_on=day,
                        by=worker,
                    )
                )
                previous = status
        elif kind == "order":
            previous = ""
            for status, day in zip(path, dates, strict=True):
                order_changes.append(
                    OrderStatusChange(
                        order=obj, from_status=previous, to_status=status, changed_on=day, by=worker
                    )
                )
                previous = status
            if obj.status in ("granted", "varied", "expired") and rng.random() < 0.18:
                breaches.append(
                    OrderBreach(
                        order=obj,
                        case_id=obj.case_id,
                        occurred_on=dates[-1],
                        description="Suspect seen outside the client's home.",
                        reported_to_police=rng.random() < 0.85,
                        by=worker,
                    )
                )
        else:
            stage, entry = path, dates
            entry_ratings = getattr(entry, "_ratings", {}) if entry else {}
            measures = [*ENTRY, "satisfaction"] if stage == "exit" else ENTRY
            ratings = {}
            for measure in measures:
                roll = rng.random()
                if measure == "justice" and roll < 0.25:
                    answers.append(
                        OutcomeAnswer(assessment=obj, measure=measure, response="not_relevant")
                    )
                    continue
                if roll < 0.06:
                    answers.append(
                        OutcomeAnswer(assessment=obj, measure=measure, response="not_asked")
                    )
                    continue
                if roll < 0.09:
                    answers.append(
                        OutcomeAnswer(assessment=obj, measure=measure, response="declined")
                    )
                    continue
                if stage == "entry":
                    rating = rng.choices([1, 2, 3, 4], weights=[25, 40, 25, 10])[0]
                elif measure == "satisfaction":
                    rating = rng.choices([3, 4, 5], weights=[10, 30, 60])[0]
                else:
                    base = entry_ratings.get(measure, 2)
                    rating = max(
                        1,
                        min(
                            5, base + rng.choices([-1, 0, 1, 2, 3], weights=[5, 20, 40, 25, 10])[0]
                        ),
                    )
                ratings[measure] = rating
                answers.append(
                    OutcomeAnswer(assessment=obj, measure=measure, response="rated", rating=rating)
                )
            obj._ratings = ratings
    for rows_, model in (
        (inv_changes, InvestigationStatusChange),
        (order_changes, OrderStatusChange),
        (breaches, OrderBreach),
        (answers, OutcomeAnswer),
    ):
        if rows_:
            _bulk(rows_, model)

    # Timeline and reporting facts
    def at(day):
        return timezone.make_aware(dt.datetime.combine(day, dt.time(11, 0)))

    case_events = []
    for inv in rows["inv"]:
        case_events.append(
            CaseEvent(
                case_id=inv.case_id,
                kind=ev.INVESTIGATION_RECORDED,
                at=at(inv.reported_on),
                summary=f"Crime reference {inv.crime_reference}",
            )
        )
    for c in rows["contact"]:
        case_events.append(
            CaseEvent(
                case_id=c.case_id,
                kind=ev.POLICE_CONTACT,
                at=at(c.contacted_on),
                by=c.by,
                summary=f"{c.who}: {c.purpose}",
            )
        )
    for h in rows["hearing"]:
        case_events.append(
            CaseEvent(
                case_id=h.case_id,
                kind=ev.HEARING_RECORDED,
                at=at(min(h.hearing_on, today)),
                by=h.by,
                summary=f"{h.get_hearing_type_display()} at {h.court}",
            )
        )
    for ch in order_changes:
        case_events.append(
            CaseEvent(
                case_id=ch.order.case_id,
                kind=ev.ORDER_STATUS,
                at=at(ch.changed_on),
                by=ch.by,
                summary=f"{ch.order.get_order_type_display()}: {ch.get_to_status_display()}",
                data={"order_type": ch.order.order_type, "to": ch.to_status},
            )
        )
    for b in breaches:
        case_events.append(
            CaseEvent(
                case_id=b.case_id,
                kind=ev.ORDER_BREACH,
                at=at(b.occurred_on),
                by=b.by,
                summary="Breach recorded",
            )
        )
    for h in rows["handover"]:
        case_events.append(
            CaseEvent(
                case_id=h.case_id,
                kind=ev.HANDOVER_MADE,
                at=at(h.made_on),
                by=h.by,
                summary=f"{h.get_kind_display()}: {h.service}",
                data={"service": h.service.code, "kind": h.kind},
            )
        )
    for a in rows["assessment"]:
        case_events.append(
            CaseEvent(
                case_id=a.case_id,
                kind=ev.OUTCOMES_RECORDED,
                at=at(a.recorded_on),
                by=a.by,
                summary=f"{a.get_stage_display()} outcome measures",
                data={"stage": a.stage},
            )
        )
    for p in rows["plan"]:
        case_events.append(
            CaseEvent(case_id=p.case_id, kind=ev.EXIT_PLAN_SAVED, at=timezone.now(), by=p.by)
        )
    for t in rows["task"]:
        case_events.append(
            CaseEvent(
                case_id=t.case_id,
                kind=events.TASK_ADDED,
                at=timezone.now(),
                by=t.created_by,
                summary=t.title,
            )
        )
    CaseEvent.objects.bulk_create(case_events, batch_size=CHUNK)
    return len({c.case_id for key in rows for c in rows[key]})


def _seed_service_level(ctx, workers, managers):
    rng = random.Random(f"{ctx.seed}-adv-service")  # nosec B311 - demo data
    today = timezone.localdate()
    staff = workers + managers
    if not AwarenessSession.objects.exists():
        districts = list(District.objects.all()) or [None]
        sessions = []
        for _ in range(max(12, ctx.cases // 40)):
            sessions.append(
                AwarenessSession(
                    delivered_on=today - dt.timedelta(days=rng.randint(0, 540)),
                    title=rng.choice(AWARENESS_TITLES),
                    audience_type=rng.choice([c for c, _ in AwarenessSession.Audience.choices]),
                    district=rng.choice(districts),
                    attendees=rng.randint(6, 80),
                    delivered_by=rng.choice(staff),
                    created_by=rng.choice(staff),
                )
            )
        bulk_create_with_history(sessions, AwarenessSession, batch_size=CHUNK)
    if not Feedback.objects.exists():
        case_ids = list(
            Case.objects.filter(status=S.CLOSED, allocated_at__isnull=False).values_list(
                "pk", flat=True
            )[:5000]
        )
        items = []
        for kind, count in (
            ("compliment", max(8, ctx.cases // 25)),
            ("complaint", max(3, ctx.cases // 150)),
        ):
            for _ in range(count):
                received = today - dt.timedelta(days=rng.randint(0, 540))
                resolved = received + dt.timedelta(days=rng.randint(3, 40))
                open_ = kind == "complaint" and rng.random() < 0.2
                items.append(
                    Feedback(
                        kind=kind,
                        received_from=rng.choice(
                            ["client", "client", "client", "professional", "family"]
                        ),
                        received_on=received,
                        acknowledged_on=min(received + dt.timedelta(days=rng.randint(0, 3)), today),
                        resolved_on=None if open_ or resolved > today else resolved,
                        summary="Thank you for listening and for the help with the police."
                        if kind == "compliment"
                        else "Calls were not returned when promised.",
                        outcome=""
                        if open_ or resolved > today
                        else (
                            "shared"
                            if kind == "compliment"
                            else rng.choice(["upheld", "partly", "not_upheld"])
                        ),
                        case_id=rng.choice(case_ids) if case_ids and rng.random() < 0.6 else None,
                        recorded_by=rng.choice(managers or staff),
                    )
                )
        bulk_create_with_history(items, Feedback, batch_size=CHUNK)
