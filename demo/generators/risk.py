"""Demo data for risk assessments, MARAC and the incident log: DASH assessments whose
levels change over time (the case's level follows the latest), incidents with a few
small generated exhibit files (with their real SHA-256), and MARAC referrals for
high-risk cases. Runs after demo.generators.cases; only cases being supported and with
no risk records yet are filled, so running it twice adds nothing. Bulk writes keep 20000
cases quick."""

import datetime
import struct
import zlib

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from cases.models.lifecycle import Case, CaseEvent
from cases.statuses import RISK_ORDER, SUPPORTED_STATUSES, RiskLevel
from risk import events
from risk.models.assessment import MaracReferral, RiskAssessment
from risk.models.exhibits import Exhibit
from risk.models.incidents import Behaviour, Incident
from risk.models.tools import Answer, RiskTool
from risk.services.exhibits import sha256_of, store

from .cases import _copy

CHUNK = 1000
MAX_FILE_EXHIBITS = 300  # real files on disk; the rest are physical items

PLACES = [
    "Outside the client's home",
    "Client's workplace car park",
    "Supermarket on the high street",
    "Bus station",
    "School gates",
    "Gym",
    "Online",
    "Train station",
]
CHANNELS = {
    Behaviour.CONTACTING: ("Text message", "07700 900{:03d}"),
    Behaviour.FAKE_ACCOUNTS: ("Instagram", "@new_account_{:03d}"),
    Behaviour.MONITORING: ("Email", "someone{:03d}@example.net"),
    Behaviour.PUBLISHING: ("Facebook", "profile {:03d}"),
    Behaviour.PROXY: ("WhatsApp", "07700 900{:03d}"),
}
DESCRIPTIONS = {
    Behaviour.FOLLOWING: "Suspect followed the client from the bus stop to the shop and waited outside.",
    Behaviour.CONTACTING: "Received repeated messages asking to meet, after being asked to stop.",
    Behaviour.LOITERING: "Suspect seen standing across the road for about an hour.",
    Behaviour.WATCHING: "Neighbour saw the suspect watching the house from a parked car.",
    Behaviour.GIFTS: "Flowers and a card left on the doorstep with no name.",
    Behaviour.PROPERTY_DAMAGE: "Car tyre found slashed in the morning.",
    Behaviour.THREATS: "Message said the client would regret going to the police.",
    Behaviour.TURNING_UP: "Suspect arrived at the client's workplace reception asking for her.",
    Behaviour.FAKE_ACCOUNTS: "Friend request from a new account using the suspect's photo.",
    Behaviour.MONITORING: "Suspect mentioned a private email the client had sent to a friend.",
    Behaviour.PUBLISHING: "Post about the client shared in a local community group.",
    Behaviour.PROXY: "Suspect's brother approached the client with a message from him.",
    Behaviour.BREACH: "Contact made despite the bail condition not to contact.",
}
IMPACTS = [
    "Client now varies her route to work.",
    "Client is not sleeping and has taken time off work.",
    "Client has stopped going to the gym.",
    "Children are now collected by a relative.",
    "",
]


def _png(seed: int) -> bytes:
    def chunk(kind, data):
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    pixel = bytes([seed % 256, (seed * 7) % 256, (seed * 13) % 256])
    raw = b"".join(b"\x00" + pixel * 4 for _ in range(4))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _level(tool: RiskTool, score: int) -> str:
    return tool.level_for_score(score)


def _aware(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def seed(ctx) -> None:
    dash = RiskTool.objects.filter(code="dash").order_by("-id").first()
    if dash is None:
        return
    items = list(dash.items.all())
    done = RiskAssessment.objects.values("case_id")
    logged = Incident.objects.values("case_id")
    cases = list(
        Case.objects.filter(status__in=SUPPORTED_STATUSES, allocated_to__isnull=False)
        .exclude(pk__in=done)
        .exclude(pk__in=logged)
        .order_by("pk")
    )
    files_written = Exhibit.objects.exclude(stored_name="").count()
    progress = ctx.progress(len(cases))
    for start in range(0, len(cases), CHUNK):
        files_written = _seed_chunk(
            ctx, cases[start : start + CHUNK], dash, items, files_written, progress
        )
    ctx.log.append(f"risk: assessments and incident logs for {len(cases)} cases")


@transaction.atomic
def _seed_chunk(ctx, cases, dash, items, files_written, progress) -> int:
    rng = ctx.rng
    today = timezone.localdate()
    now = timezone.now()
    assessments, incidents = [], []
    plan = []  # (case, [assessments], [incidents])
    for case in cases:
        progress.advance()
        start = timezone.localtime(case.allocated_at or case.referred_at).date()
        start = min(start, today)
        span = max((today - start).days, 0)
        count = 1 if span < 20 else rng.randint(1, 3)
        score = rng.choice([4, 7, 9, 11, 12, 15, 17])
        case_assessments = []
        for n in range(count):
            on = start + datetime.timedelta(days=(span * n) // max(count, 1))
            if n:
                score = max(0, min(24, score + rng.choice([-4, -2, 2, 3, 5])))
            level = _level(dash, score)
            judgement = ""
            if level != RiskLevel.HIGH and rng.random() < 0.1:
                judgement = RiskLevel.HIGH
            a = RiskAssessment(
                case=case,
                tool=dash,
                status=RiskAssessment.Status.COMPLETE,
                assessed_on=on,
                assessor_id=case.allocated_to_id,
                score=score,
                computed_level=level,
                judgement_level=judgement,
                judgement_reason="Escalating behaviour and recent threats" if judgement else "",
                final_level=judgement or level,
                completed_at=_aware(on, 11),
                created_at=_aware(on, 11),
            )
            case_assessments.append(a)
        case_incidents = []
        for n in range(rng.randint(1, 6)):
            behaviour = rng.choice(list(DESCRIPTIONS))
            when = _aware(start - datetime.timedelta(days=rng.randint(0, 60)), rng.randint(7, 22))
            if n and span:
                when = _aware(
                    start + datetime.timedelta(days=rng.randint(0, span)), rng.randint(7, 22)
                )
            when = min(when, now - datetime.timedelta(hours=1))
            channel, account = CHANNELS.get(behaviour, ("In person", ""))
            reported = rng.random() < 0.6
            incident = Incident(
                case=case,
                occurred_at=when,
                place="Online" if channel != "In person" else rng.choice(PLACES),
                behaviour=behaviour,
                description=DESCRIPTIONS[behaviour],
                channel=channel,
                account_used=account.format(rng.randint(0, 999)) if account else "",
                proxy_involved=behaviour == Behaviour.PROXY,
                witnesses="Neighbour" if rng.random() < 0.2 else "",
                feared_violence=behaviour in (Behaviour.THREATS, Behaviour.TURNING_UP)
                or rng.random() < 0.2,
                impact=rng.choice(IMPACTS),
                breach_of_order=behaviour == Behaviour.BREACH,
                reported_to_police=reported,
                police_reported_on=timezone.localtime(when).date() if reported else None,
                police_officer="PC 4471 Evans" if reported else "",
                crime_reference=f"SP-{rng.randint(10000, 99999)}-26" if reported else "",
                serious=behaviour in (Behaviour.THREATS, Behaviour.BREACH) and rng.random() < 0.5,
                recorded_by_id=case.allocated_to_id,
                recorded_at=min(when + datetime.timedelta(hours=rng.randint(1, 48)), now),
                created_at=min(when + datetime.timedelta(hours=2), now),
            )
            case_incidents.append(incident)
        assessments.extend(case_assessments)
        incidents.extend(case_incidents)
        plan.append((case, case_assessments, case_incidents))

    assessments = bulk_create_with_history(assessments, RiskAssessment, batch_size=2000)
    incidents = bulk_create_with_history(incidents, Incident, batch_size=2000)

    # The objects in `plan` are the same instances and now carry their ids.
    # Answers are the bulk of the rows: COPY them in (no history: it would triple the
    # rows for no demo value).
    def answer_rows():
        for a in assessments:
            yes = set(rng.sample(range(len(items)), a.score))
            for index, item in enumerate(items):
                if index in yes:
                    answer = Answer.YES
                else:
                    answer = Answer.DONT_KNOW if rng.random() < 0.05 else Answer.NO
                yield (a.pk, item.pk, answer, "")

    # COPY on PostgreSQL, executemany on the SQLite of `make run`.
    _copy("risk_riskanswer", ["assessment_id", "item_id", "answer", "comment"], answer_rows())

    exhibits, referrals, case_events, changed_cases = [], [], [], []
    for case, case_assessments, case_incidents in plan:
        # A level only rises on its own: a later, lower assessment needs a reason and a
        # manager's sign-off (cases.services.risk_level), which the seed does not invent,
        # so the case holds the highest level it has reached.
        previous = ""
        for a in case_assessments:
            case_events.append(
                CaseEvent(
                    case=case,
                    at=a.completed_at,
                    by_id=a.assessor_id,
                    kind=events.ASSESSMENT_COMPLETED,
                    summary=f"{dash.name}: score {a.score}, {RiskLevel(a.final_level).label.lower()} risk",
                    data={"assessment": a.pk, "score": a.score, "level": a.final_level},
                )
            )
            if RISK_ORDER[a.final_level] > RISK_ORDER[previous]:
                case_events.append(
                    CaseEvent(
                        case=case,
                        at=a.completed_at,
                        by_id=a.assessor_id,
                        kind=events.RISK_LEVEL_CHANGED,
                        summary=f"{RiskLevel(previous).label if previous else 'Not assessed'} to {RiskLevel(a.final_level).label}",
                        data={"from": previous, "to": a.final_level, "assessment": a.pk},
                    )
                )
                previous = a.final_level
        latest, first = case_assessments[-1], case_assessments[0]
        case.risk_level = previous
        case.risk_level_at_intake = max(
            case.risk_level_at_intake, first.final_level, key=lambda level: RISK_ORDER[level]
        )
        case.risk_assessed_at = latest.completed_at
        case.next_review_due = latest.assessed_on + datetime.timedelta(
            days=settings.REVIEW_INTERVAL_DAYS[previous]
        )
        changed_cases.append(case)
        number = 0
        for incident in sorted(case_incidents, key=lambda i: i.occurred_at):
            case_events.append(
                CaseEvent(
                    case=case,
                    at=incident.recorded_at,
                    by_id=incident.recorded_by_id,
                    kind=events.INCIDENT_RECORDED,
                    summary=f"{incident.get_behaviour_display()} on {timezone.localtime(incident.occurred_at):%-d %B %Y}",
                    data={"incident": incident.pk, "serious": incident.serious},
                )
            )
            if rng.random() > 0.35:
                continue
            number += 1
            exhibit = Exhibit(
                case=case,
                incident=incident,
                reference=f"{case.reference}/EX{number:03d}",
                added_by_id=incident.recorded_by_id,
                added_at=incident.recorded_at,
            )
            if files_written < MAX_FILE_EXHIBITS:
                if rng.random() < 0.5:
                    data = _png(incident.pk)
                    exhibit.original_name = f"screenshot-{number}.png"
                    exhibit.content_type = "image/png"
                    exhibit.description = "Screenshot provided by the client"
                else:
                    data = (
                        f"Transcript typed by the client.\n{incident.description}\n"
                        f"Account: {incident.account_used or 'not known'}\n"
                    ).encode()
                    exhibit.original_name = f"transcript-{number}.txt"
                    exhibit.content_type = "text/plain"
                    exhibit.description = "Transcript of messages"
                exhibit.size = len(data)
                exhibit.sha256 = sha256_of(data)
                exhibit.stored_name = store(data)
                files_written += 1
            else:
                exhibit.physical_item = rng.choice(
                    ["Handwritten letter", "Greetings card", "Parcel packaging"]
                )
                exhibit.held_where = rng.choice(["Office evidence safe", "Client keeps it at home"])
            exhibits.append(exhibit)
        highs = [a for a in case_assessments if a.final_level == RiskLevel.HIGH]
        if highs and rng.random() < 0.7:
            high = highs[0]
            referred = min(high.assessed_on + datetime.timedelta(days=1), today)
            meeting = referred + datetime.timedelta(days=rng.randint(10, 28))
            held = meeting <= today
            referral = MaracReferral(
                case=case,
                visible_high_risk=RISK_ORDER[high.computed_level] == RISK_ORDER[RiskLevel.HIGH],
                professional_judgement=bool(high.judgement_level),
                potential_escalation=len(case_incidents) >= settings.MARAC_ESCALATION_INCIDENTS,
                referred_on=referred,
                reason="High risk on DASH; escalating stalking behaviour.",
                meeting_on=meeting,
                actions="Police marker on the address; alarm fitted; housing to review."
                if held
                else "",
                outcome="Heard at MARAC; actions agreed." if held else "",
                referred_by_id=case.allocated_to_id,
                created_at=_aware(referred, 12),
            )
            referrals.append(referral)
    exhibits = bulk_create_with_history(exhibits, Exhibit, batch_size=2000)
    for e in exhibits:
        case_events.append(
            CaseEvent(
                case_id=e.case_id,
                at=e.added_at,
                by_id=e.added_by_id,
                kind=events.EXHIBIT_ADDED,
                summary=f"{e.reference}: {e.original_name or e.physical_item}",
                data={"exhibit": e.pk, "incident": e.incident_id, "sha256": e.sha256},
            )
        )
    referrals = bulk_create_with_history(referrals, MaracReferral, batch_size=2000)
    for r in referrals:
        case_events.append(
            CaseEvent(
                case_id=r.case_id,
                at=r.created_at,
                by_id=r.referred_by_id,
                kind=events.MARAC_REFERRED,
                summary="Referred to MARAC: " + ", ".join(r.criteria_labels).lower(),
                data={"marac": r.pk},
            )
        )
    CaseEvent.objects.bulk_create(case_events, batch_size=5000)
    Case.objects.bulk_update(
        changed_cases,
        ["risk_level", "risk_level_at_intake", "risk_assessed_at", "next_review_due"],
        batch_size=2000,
    )
    return files_written
