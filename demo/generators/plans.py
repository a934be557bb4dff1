"""Demo safety plans, care plans, one-to-one sessions, group work and digital safety
checks for the demo cases that have been supported. Bulk writes (with history rows), in
chunks, so 20,000 cases take seconds; cases that already have a safety plan are skipped,
so running it twice adds nothing."""

import datetime

from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from cases.models.lifecycle import Case, CaseEvent
from cases.statuses import SUPPORTED_STATUSES, CaseStatus
from risk import events
from risk.models.care_plan import CareGoal, GoalProgressNote, NeedDomain, NeedsAssessment, NeedScore
from risk.models.digital import DigitalSafetyCheck
from risk.models.groups import GroupAttendance, GroupMember, GroupProgramme, GroupSession
from risk.models.safety_plan import (
    ActionOwner,
    ActionStatus,
    SafetyAction,
    SafetyPlan,
    SafetyPlanVersion,
)
from risk.models.sessions import OneToOneSession, SessionMode, SessionStatus, SessionType
from risk.selectors.digital import digital_check_findings

CHUNK = 2000
BATCH = 2000

ACTIONS = {
    "home": [
        "Fit a video doorbell and keep the footage",
        "Keep doors and windows locked, including in the day",
        "Ask a trusted neighbour to note any visits or cars",
    ],
    "work": [
        "Tell the manager and reception not to confirm shifts to callers",
        "Agree a safe way in and out of work",
    ],
    "travel": [
        "Vary the route and time to the shops",
        "Share journeys with a trusted friend",
    ],
    "online": [
        "Set social media accounts to private and remove location tags",
        "Change email and banking passwords",
    ],
    "children": ["Tell the school who may collect the children"],
    "pets": ["Keep the dog in at night and microchip details up to date"],
    "contacts": ["Agree a code word with a friend to mean 'call the police'"],
    "police": [
        "Ask police to add a marker to the address",
        "Carry the personal alarm and keep the safety app on",
    ],
}
GOALS = {
    "safety": ("Feel safer at home", "Safety planning, target hardening referral"),
    "health": ("Sleep better and manage anxiety", "Emotional support; GP referral"),
    "coping": ("Get back to a normal weekly routine", "Practical support sessions"),
    "housing": ("Move somewhere the suspect does not know", "Housing advocacy with the council"),
    "money": ("Sort out debts run up in the client's name", "Referral to debt advice"),
    "work": ("Return to work with a safety plan in place", "Liaison with the employer"),
    "cjs": ("Understand the court process", "Court familiarisation visit; advocacy with OIC"),
    "digital": ("Secure phone and accounts", "Digital safety session"),
    "family": ("Help the children feel safe", "Referral to family support"),
    "social": ("See friends again", "Peer support group"),
}
PROGRAMMES = [
    ("Moving Forward (Stafford)", GroupProgramme.Kind.RECOVERY),
    ("Moving Forward (Stoke-on-Trent)", GroupProgramme.Kind.RECOVERY),
    ("Peer support circle", GroupProgramme.Kind.PEER),
    ("Staying safe online workshop", GroupProgramme.Kind.DIGITAL),
]
SESSION_TOPICS = [
    "Welcome and ground rules",
    "Understanding fear and stress",
    "Sleep, body and mind",
    "Staying safe online",
    "The criminal justice process",
    "Rebuilding routines",
    "Self-care and support networks",
    "Looking ahead",
]


def _date_between(rng, start: datetime.date, end: datetime.date) -> datetime.date:
    if end <= start:
        return start
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def _aware(day: datetime.date, rng) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(rng.randint(9, 16), rng.choice([0, 15, 30])))
    )


def _default_worker(ctx):
    return ctx.users.get("caseworker") or next(iter(ctx.users.values()))


@transaction.atomic
def seed(ctx) -> None:
    today = timezone.localdate()
    statuses = set(SUPPORTED_STATUSES) | {CaseStatus.CLOSED}
    rows = list(
        Case.objects.filter(status__in=statuses, safety_plan__isnull=True)
        .exclude(allocated_to__isnull=True)
        .order_by("pk")
        .values_list(
            "pk",
            "allocated_to_id",
            "status",
            "referred_at",
            "allocated_at",
            "closed_at",
            "digital_element",
        )
    )
    fallback = _default_worker(ctx)
    has_checks = set(DigitalSafetyCheck.objects.values_list("case_id", flat=True).distinct())
    counts = dict.fromkeys(("plans", "sessions", "checks", "goals"), 0)
    progress = ctx.progress(len(rows))
    for start in range(0, len(rows), CHUNK):
        _seed_chunk(ctx, rows[start : start + CHUNK], today, fallback, counts, has_checks, progress)
    groups = _seed_groups(ctx, [r for r in rows if r[2] != CaseStatus.CLOSED], today, fallback)
    ctx.log.append(
        f"Plans: {counts['plans']} safety plans, {counts['goals']} care goals, "
        f"{counts['sessions']} sessions, {counts['checks']} digital checks, {groups} groups"
    )


def _seed_chunk(ctx, rows, today, fallback, counts, has_checks, progress) -> None:
    rng = ctx.rng
    plans, assessments, goals, sessions, checks = [], [], [], [], []
    case_events = []
    for pk, worker_id, status, referred_at, allocated_at, closed_at, digital in rows:
        progress.advance()
        began = timezone.localtime(allocated_at or referred_at).date()
        ended = timezone.localtime(closed_at).date() if closed_at else today
        worker_id = worker_id or fallback.pk
        plan_day = _date_between(rng, began, min(ended, began + datetime.timedelta(days=14)))
        agreed = rng.random() < 0.8 or status == CaseStatus.CLOSED
        plan = SafetyPlan(
            case_id=pk,
            created_by_id=worker_id,
            created_at=_aware(plan_day, rng),
            status=SafetyPlan.Status.AGREED if agreed else SafetyPlan.Status.DRAFT,
            plan_version=1 if agreed else 0,
            agreed_at=_aware(plan_day, rng) if agreed else None,
            first_agreed_at=_aware(plan_day, rng) if agreed else None,
            agreed_by_id=worker_id if agreed else None,
            next_review_on=plan_day + datetime.timedelta(days=28) if agreed else None,
        )
        plans.append(plan)
        if agreed:
            case_events.append(
                CaseEvent(
                    case_id=pk,
                    kind=events.SAFETY_PLAN_AGREED,
                    by_id=worker_id,
                    at=plan.agreed_at,
                    summary="Version 1 agreed",
                )
            )
        assessments.append(
            NeedsAssessment(case_id=pk, assessed_on=plan_day, assessed_by_id=worker_id)
        )
        for domain in rng.sample(list(GOALS), rng.randint(1, 3)):
            goal, interventions = GOALS[domain]
            finished = status == CaseStatus.CLOSED or rng.random() < 0.3
            goals.append(
                CareGoal(
                    case_id=pk,
                    domain=domain,
                    goal=goal,
                    planned_interventions=interventions,
                    review_on=plan_day + datetime.timedelta(days=rng.choice([28, 42, 56])),
                    status=rng.choice(["achieved", "achieved", "partly"]) if finished else "open",
                    closed_on=_date_between(rng, plan_day, ended) if finished else None,
                    created_by_id=worker_id,
                )
            )
        for _ in range(rng.choice([0, 1, 2, 2, 3, 4, 5])):
            day = _date_between(rng, began, ended)
            planned = day >= today and rng.random() < 0.5
            session = OneToOneSession(
                case_id=pk,
                session_type=rng.choices(SessionType.values, weights=[30, 25, 20, 10, 8, 4, 3])[0],
                session_date=day,
                duration_minutes=rng.choice([20, 30, 45, 60, 90]),
                mode=rng.choices(SessionMode.values, weights=[3, 5, 2])[0],
                status=SessionStatus.PLANNED if planned else SessionStatus.DELIVERED,
                notes="Demo session notes.",
                worker_id=worker_id,
            )
            sessions.append(session)
            case_events.append(
                CaseEvent(
                    case_id=pk,
                    kind=events.SESSION_RECORDED,
                    by_id=worker_id,
                    at=_aware(day, rng),
                    summary=f"{session.get_session_type_display()}, {session.duration_minutes} minutes",
                )
            )
        if (digital or rng.random() < 0.35) and pk not in has_checks:
            day = _date_between(rng, began, ended)
            found = rng.random() < 0.12
            check = DigitalSafetyCheck(
                case_id=pk,
                number=1,
                checked_on=day,
                checked_by_id=worker_id,
                status="complete" if rng.random() < 0.85 else "draft",
                phone_os=rng.choice(["android", "ios"]),
                phone_paid_by=rng.choice(["client", "client", "shared", "perpetrator"]),
                perpetrator_had_access=rng.choice(["yes", "no", "unknown"]),
                stalkerware="found" if found else rng.choice(["no", "no", "suspected"]),
                stalkerware_decision=rng.choice(["police", "leave", "replace"]) if found else "",
                stalkerware_decision_agreed_by="Client and caseworker, with the OIC"
                if found
                else "",
                device_admin_checked=rng.random() < 0.7,
                profiles_checked=rng.random() < 0.7,
                location_sharing_reviewed=rng.random() < 0.8,
                tracker_found=rng.random() < 0.05,
                email_secured=rng.random() < 0.7,
                social_secured=rng.random() < 0.7,
                cloud_secured=rng.random() < 0.6,
                banking_secured=rng.random() < 0.8,
                two_factor_on=rng.random() < 0.6,
                smart_home_checked=rng.random() < 0.5,
                car_telematics_checked=rng.random() < 0.5,
                childrens_devices=rng.choice(["na", "na", "checked", "not_checked"]),
                platform_safety_check_run=rng.random() < 0.5,
            )
            if check.tracker_found:
                check.tracker_where = "Under the car's rear bumper"
                check.tracker_kept_as_evidence = True
            if check.status == "complete":
                check.completed_at = _aware(day, rng)
                case_events.append(
                    CaseEvent(
                        case_id=pk,
                        kind=events.DIGITAL_CHECK_COMPLETED,
                        by_id=worker_id,
                        at=check.completed_at,
                        summary="Check 1 (complete)",
                    )
                )
            checks.append(check)

    # History rows only for the plans and checks themselves: the high-volume child tables
    # skip them in demo data so seeding 20,000 cases stays fast.
    bulk_create_with_history(plans, SafetyPlan, batch_size=BATCH, default_change_reason="Demo")
    plan_by_case = {p.case_id: p for p in plans}
    actions = []
    for plan in plans:
        plan_day = timezone.localtime(plan.created_at).date()
        for section in rng.sample(list(ACTIONS), rng.randint(2, 5)):
            owner = rng.choices(ActionOwner.values, weights=[5, 4, 2, 1])[0]
            done = rng.random() < 0.4
            actions.append(
                SafetyAction(
                    plan=plan,
                    section=section,
                    description=rng.choice(ACTIONS[section]),
                    owner=owner,
                    owner_detail="Housing options team" if owner == "agency" else "",
                    due_on=plan_day + datetime.timedelta(days=rng.choice([7, 14, 28])),
                    status=ActionStatus.DONE if done else rng.choice(["to_do", "in_progress"]),
                    completed_on=plan_day + datetime.timedelta(days=7) if done else None,
                    client_may_take_copy=rng.random() < 0.7,
                    created_by_id=plan.created_by_id,
                )
            )
    SafetyAction.objects.bulk_create(actions, batch_size=BATCH)
    snapshots = {}
    for action in actions:
        snapshots.setdefault(action.plan_id, []).append(
            {
                "section": action.section,
                "section_label": action.get_section_display(),
                "description": action.description,
                "owner": action.get_owner_display(),
                "owner_detail": action.owner_detail,
                "due_on": action.due_on.isoformat(),
                "status": action.get_status_display(),
                "client_may_take_copy": action.client_may_take_copy,
            }
        )
    SafetyPlanVersion.objects.bulk_create(
        [
            SafetyPlanVersion(
                plan=p,
                number=1,
                agreed_at=p.agreed_at,
                agreed_by_id=p.agreed_by_id,
                snapshot=snapshots.get(p.pk, []),
            )
            for p in plans
            if p.plan_version
        ],
        batch_size=BATCH,
    )

    NeedsAssessment.objects.bulk_create(assessments, batch_size=BATCH)
    _insert_scores([a.pk for a in assessments])
    for assessment in assessments:
        case_events.append(
            CaseEvent(
                case_id=assessment.case_id,
                kind=events.NEEDS_ASSESSED,
                by_id=assessment.assessed_by_id,
                at=_aware(assessment.assessed_on, rng),
                summary="Needs assessment",
            )
        )

    CareGoal.objects.bulk_create(goals, batch_size=BATCH)
    GoalProgressNote.objects.bulk_create(
        [
            GoalProgressNote(
                goal=g,
                note=rng.choice(
                    ["Good progress this week", "Some setbacks; plan adjusted", "Goal discussed"]
                ),
                by_id=g.created_by_id,
                written_at=timezone.localtime(plan_by_case[g.case_id].created_at)
                + datetime.timedelta(days=rng.randint(7, 21)),
            )
            for g in goals
            if rng.random() < 0.6
        ],
        batch_size=BATCH,
    )
    OneToOneSession.objects.bulk_create(sessions, batch_size=BATCH)
    bulk_create_with_history(
        checks, DigitalSafetyCheck, batch_size=BATCH, default_change_reason="Demo"
    )
    from_checks = []
    for check in checks:
        for finding in digital_check_findings(check)[:2]:
            from_checks.append(
                SafetyAction(
                    plan=plan_by_case[check.case_id],
                    section=finding.section,
                    description=finding.text,
                    owner="caseworker",
                    due_on=check.checked_on + datetime.timedelta(days=14),
                    source_check=check,
                    source_finding=finding.code,
                    created_by_id=check.checked_by_id,
                )
            )
    SafetyAction.objects.bulk_create(from_checks, batch_size=BATCH)
    CaseEvent.objects.bulk_create(case_events, batch_size=BATCH * 2)
    counts["plans"] += len(plans)
    counts["goals"] += len(goals)
    counts["sessions"] += len(sessions)
    counts["checks"] += len(checks)


def _insert_scores(assessment_ids: list[int]) -> None:
    """Ten need ratings per assessment, made in the database (one statement instead of
    200,000 Python objects). Ratings vary with the ids, so the demo is the same each time;
    safety is always at least medium for a stalking case."""
    domains = NeedDomain.values
    if connection.vendor != "postgresql":
        # The SQLite of `make run`: the same ratings, made in Python.
        ratings = ["none", "none", "low", "low", "medium", "high"]
        NeedScore.objects.bulk_create(
            NeedScore(
                assessment_id=a,
                domain=d,
                rating=(
                    ["medium", "high"][(a + n) % 2]
                    if d == "safety"
                    else ratings[(a * 7 + n * 13) % 6]
                ),
                comment="",
            )
            for a in assessment_ids
            for n, d in enumerate(domains)
        )
        return
    values = ", ".join(["(%s, %s)"] * len(domains))
    params = [p for n, d in enumerate(domains) for p in (n, d)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {NeedScore._meta.db_table} (assessment_id, domain, rating, comment)
            SELECT a.id, d.code,
                CASE WHEN d.code = 'safety'
                     THEN (ARRAY['medium', 'high'])[1 + (a.id + d.n) %% 2]
                     ELSE (ARRAY['none', 'none', 'low', 'low', 'medium', 'high'])
                          [1 + (a.id * 7 + d.n * 13) %% 6]
                END,
                ''
            FROM {NeedsAssessment._meta.db_table} a
            CROSS JOIN (VALUES {values}) AS d(n, code)
            WHERE a.id = ANY(%s)
            """,  # noqa: S608  # nosec B608 - table names from model meta; values are parameters
            [*params, assessment_ids],
        )


def _seed_groups(ctx, rows, today, fallback) -> int:
    rng = ctx.rng
    facilitators = [
        ctx.users.get("caseworker2") or fallback,
        ctx.users.get("caseworker") or fallback,
    ]
    made = 0
    candidates = [r[0] for r in rows]
    taken = set(GroupMember.objects.values_list("case_id", flat=True))
    for index, (name, kind) in enumerate(PROGRAMMES):
        if GroupProgramme.objects.filter(name=name).exists() or not candidates:
            continue
        starts_on = today - datetime.timedelta(weeks=6 - index)
        programme = GroupProgramme(
            name=name,
            kind=kind,
            starts_on=starts_on,
            created_by=ctx.users.get("manager") or fallback,
            description="Eight weekly sessions for people affected by stalking.",
        )
        programme._change_reason = "Demo"
        programme.save()
        programme.facilitators.set([facilitators[index % 2]])
        pool = [c for c in candidates if c not in taken]
        members = rng.sample(pool, min(len(pool), rng.randint(6, 12)))
        taken.update(members)
        member_rows = [
            GroupMember(
                programme=programme,
                case_id=c,
                enrolled_on=starts_on,
                enrolled_by=facilitators[index % 2],
            )
            for c in members
        ]
        bulk_create_with_history(member_rows, GroupMember, default_change_reason="Demo")
        sessions = [
            GroupSession(
                programme=programme,
                session_date=starts_on + datetime.timedelta(weeks=w),
                topic=SESSION_TOPICS[w],
                duration_minutes=120,
                status=(
                    SessionStatus.DELIVERED
                    if starts_on + datetime.timedelta(weeks=w) <= today
                    else SessionStatus.PLANNED
                ),
            )
            for w in range(len(SESSION_TOPICS))
        ]
        bulk_create_with_history(sessions, GroupSession, default_change_reason="Demo")
        attendance, case_events = [], []
        for session in sessions:
            if session.status != SessionStatus.DELIVERED:
                continue
            for case_id in members:
                status = rng.choices(GroupAttendance.Status.values, weights=[7, 2, 1])[0]
                attendance.append(
                    GroupAttendance(
                        session=session,
                        case_id=case_id,
                        status=status,
                        recorded_by=facilitators[index % 2],
                        recorded_at=_aware(session.session_date, rng),
                    )
                )
                case_events.append(
                    CaseEvent(
                        case_id=case_id,
                        kind=events.GROUP_ATTENDANCE,
                        by=facilitators[index % 2],
                        at=_aware(session.session_date, rng),
                        summary=f"{name}: {GroupAttendance.Status(status).label.lower()}",
                    )
                )
        bulk_create_with_history(attendance, GroupAttendance, default_change_reason="Demo")
        CaseEvent.objects.bulk_create(case_events)
        made += 1
    return made
