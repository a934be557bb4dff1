"""Demo data for reporting: the previous quarter's return, produced and finalised, so the
Commissioner's area has something to download. Idempotent: only when no return exists.

The casework seeders spread their records over the past months, so service-level work
that is sparse (group programmes start a few weeks before today; a handful of awareness
sessions, compliments and complaints over eighteen months) can leave a quarter with none.
Before the return is made, each of those indicators that is zero in the previous quarter
or in the current quarter to date gets a few records of its own, so the dashboard and the
return show every section with figures."""

import datetime
import random

from django.utils import timezone

from reporting import registry, services
from reporting.indicators.common import cases_supported
from reporting.models import QuarterlyReturn
from reporting.periods import Quarter
from reporting.registry import Period


def seed(ctx) -> None:
    if QuarterlyReturn.objects.exists():
        return
    manager = ctx.users.get("manager")
    today = timezone.localdate()
    quarter = Quarter.containing(today).previous()
    for period in (
        Period.for_quarter(quarter),
        Period.for_quarter(Quarter.containing(today), until=timezone.now()),
    ):
        _fill_gaps(ctx, period)
    # Each of the three steps renders the return's PDF: seconds each, whatever the size.
    ctx.say(f"producing the {quarter.label} return")
    ret = services.return_generate(quarter=quarter.label, by=manager)
    ctx.say("adding its narrative")
    services.return_update_narrative(
        ret=ret,
        by=manager,
        highlights="Every referral was contacted within the target; the waiting list was cleared.",
        challenges="Two vacancies for most of the quarter; demand from the digital stalking pilot.",
        case_study="A client supported through a Stalking Protection Order application said "
        "she now feels able to go out on her own again.",
    )
    ctx.say("finalising it")
    services.return_finalise(ret=ret, by=manager)
    ctx.log.append(f"reporting: finalised return {quarter.label}")


# ---- filling sparse quarters ------------------------------------------------------------


def _staff(ctx):
    from stalkingservice.models import User

    fallback = User.objects.filter(role__in=["caseworker", "manager"]).order_by("pk").first()
    return ctx.users.get("caseworker") or fallback, ctx.users.get("manager") or fallback


def _days(p: Period, rng, n: int) -> list[datetime.date]:
    """n days in the period, none after its last day (today for a quarter in progress)."""
    span = (p.end_date - p.start_date).days
    return sorted(p.start_date + datetime.timedelta(days=rng.randint(0, span)) for _ in range(n))


def _is_zero(code: str, p: Period) -> bool:
    return not registry.get(code).compute(p).value


def _fill_gaps(ctx, p: Period) -> None:
    rng = random.Random(f"{ctx.seed}-reporting-{p.quarter.label}")  # nosec B311 - demo data
    worker, manager = _staff(ctx)
    if worker is None:
        return
    added = []
    if _is_zero("group_sessions", p) and _group_programme(p, rng, worker, manager):
        added.append("group sessions")
    if _is_zero("awareness_sessions", p):
        _awareness(p, rng, worker)
        added.append("awareness sessions")
    if _is_zero("compliments", p):
        _feedback(p, rng, manager, "compliment", 2)
        added.append("compliments")
    if _is_zero("complaints", p):
        _feedback(p, rng, manager, "complaint", 1)
        added.append("a complaint")
    if added:
        ctx.log.append(f"reporting: added {', '.join(added)} in {p.quarter.label}")


def _group_programme(p: Period, rng, worker, manager) -> bool:
    from cases.models.lifecycle import CaseEvent
    from risk import events
    from risk.models.groups import GroupAttendance, GroupMember, GroupProgramme, GroupSession
    from risk.models.sessions import SessionStatus

    case_ids = list(cases_supported(p).order_by("pk").values_list("pk", flat=True)[:8])
    name = f"Recovery and coping group ({p.quarter.label})"
    if not case_ids or GroupProgramme.objects.filter(name=name).exists():
        return False
    starts_on = p.start_date + datetime.timedelta(days=min(14, (p.end_date - p.start_date).days))
    programme = GroupProgramme(
        name=name,
        kind=GroupProgramme.Kind.RECOVERY,
        starts_on=starts_on,
        created_by=manager,
        description="Six weekly sessions for people affected by stalking.",
    )
    programme._change_reason = "Demo"
    programme.save()
    programme.facilitators.set([worker])
    for case_id in case_ids:
        GroupMember.objects.create(
            programme=programme, case_id=case_id, enrolled_on=starts_on, enrolled_by=worker
        )
    topics = [
        "Understanding stalking and its effects",
        "Fear, stress and sleep",
        "Staying safe online",
        "Working with the police and courts",
        "Rebuilding routines",
        "Looking forward",
    ]
    for week, topic in enumerate(topics):
        day = starts_on + datetime.timedelta(weeks=week)
        if day > p.end_date:
            break
        session = GroupSession.objects.create(
            programme=programme,
            session_date=day,
            topic=topic,
            duration_minutes=120,
            status=SessionStatus.DELIVERED,
        )
        recorded_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
        for case_id in case_ids:
            status = rng.choices(GroupAttendance.Status.values, weights=[7, 2, 1])[0]
            GroupAttendance.objects.create(
                session=session,
                case_id=case_id,
                status=status,
                recorded_by=worker,
                recorded_at=recorded_at,
            )
            CaseEvent.objects.create(
                case_id=case_id,
                kind=events.GROUP_ATTENDANCE,
                by=worker,
                at=recorded_at,
                summary=f"{name}: {GroupAttendance.Status(status).label.lower()}",
            )
    return True


def _awareness(p: Period, rng, worker) -> None:
    from cases.models.service_records import AwarenessSession
    from stalkingservice.models import District

    districts = list(District.objects.order_by("pk")) or [None]
    talks = [
        ("Recognising stalking: a briefing for neighbourhood officers", "police"),
        ("Stalking and the workplace", "employer"),
    ]
    for day, (title, audience) in zip(_days(p, rng, len(talks)), talks, strict=True):
        session = AwarenessSession(
            delivered_on=day,
            title=title,
            audience_type=audience,
            district=rng.choice(districts),
            attendees=rng.randint(12, 40),
            delivered_by=worker,
            created_by=worker,
        )
        session._change_reason = "Demo"
        session.save()


def _feedback(p: Period, rng, manager, kind: str, n: int) -> None:
    from cases.models.service_records import Feedback

    for day in _days(p, rng, n):
        resolved = min(day + datetime.timedelta(days=10), p.end_date)
        compliment = kind == Feedback.Kind.COMPLIMENT
        item = Feedback(
            kind=kind,
            received_from=rng.choice(["client", "professional"]),
            received_on=day,
            acknowledged_on=day,
            resolved_on=resolved,
            summary="Thank you for staying with me through the court case."
            if compliment
            else "A promised call back came two days late.",
            outcome=Feedback.Outcome.SHARED if compliment else Feedback.Outcome.PARTLY_UPHELD,
            recorded_by=manager,
        )
        item._change_reason = "Demo"
        item.save()
