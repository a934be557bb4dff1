"""Demo casework: synthetic referrals, clients and cases in every status, spread over the
last 18 months and all districts, allocated across the demo caseworkers. Idempotent:
demo referrals carry a DM- reference, and only the missing number of cases is created.
Rows and their history rows are written with PostgreSQL COPY (ids reserved from the
sequences first), so that `seed_demo --cases 20000` takes a few minutes at most."""

import json
import operator
from datetime import datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone
from faker import Faker

from cases import equality, events
from cases.models.client import Client, SafeContact
from cases.models.contact import ContactAttempt
from cases.models.lifecycle import BreakGlassGrant, Case, CaseEvent, ClosureReason
from cases.models.notes_tasks import CaseNote, Task
from cases.models.suspects import Suspect
from cases.statuses import CaseStatus, RiskLevel
from referrals.models import Referral, ReferralSource
from risk.models.incidents import Behaviour
from stalkingservice.crypto import EncryptedTextField, blind_index
from stalkingservice.models import AuditEvent, District
from stalkingservice.workdays import add_working_days

S = CaseStatus
DEMO_PREFIX = "DM-"
CHUNK = 2000
DAYS_BACK = 548  # 18 months

NOTE_TEXTS = [
    "Spoke with client at the agreed time. Talked through what has happened this week and "
    "updated the incident log together.",
    "Client reports two new messages from a new account. Advised on screenshots and "
    "reporting the account; will add to the evidence log.",
    "Call with the officer in the case about bail conditions. Client to be told the outcome.",
    "Client feels safer since the doorbell camera was fitted. Reviewed the safety plan.",
    "Attended the police station with the client to give a further statement.",
    "Client anxious about attending court; explained what to expect and special measures.",
    "Referred to the local counselling service with the client's consent.",
    "Left the agreed voicemail. Will try again tomorrow in the safe window.",
    "Checked phone privacy settings with the client; location sharing switched off.",
    "Client did not want to talk today; agreed to call next week.",
]
SENSITIVE_TEXTS = [
    "Client disclosed a health condition affected by the stalking; discussed GP support.",
    "Client shared details about a previous relationship that may be relevant to risk.",
]
TASK_TITLES = [
    "Call the officer in the case",
    "Chase crime reference number",
    "Send safety plan summary (safe route only)",
    "Check bail conditions",
    "Book follow-up call",
    "Ask about special measures at court",
    "Review digital safety check",
]
SUMMARIES = [
    "Repeated unwanted messages and turning up outside work.",
    "A former colleague keeps contacting the client through fake accounts.",
    "A neighbour watches the house and follows the client to the shops.",
    "An online contact has found the client's address and sent gifts.",
    "A customer from the client's work waits in the car park most evenings.",
]
DOMESTIC = {"ex_partner", "partner", "family"}
LONDON = ZoneInfo("Europe/London")
# Choice lists computed once (TextChoices.values builds a new list on every access).
V_ETHNICITY = list(equality.Ethnicity.values)
V_YESNOPREFER = list(equality.YesNoPrefer.values)
V_SEXUALORIENTATION = list(equality.SexualOrientation.values)
V_RELIGION = list(equality.Religion.values)
V_RISKLEVEL = list(RiskLevel.values)
V_POLICEINVOLVEMENT = list(Referral.PoliceInvolvement.values)
V_SEX = list(Suspect.Sex.values)
NON_DOMESTIC = [r for r in Suspect.Relationship.values if r not in DOMESTIC]


@lru_cache(maxsize=2048)
def _due(day):
    return add_working_days(day, settings.FIRST_CONTACT_DUE_WORKING_DAYS)


def _status_for(rng, age_days: int) -> str:
    if age_days < 10:
        table = [(S.REFERRED, 30), (S.TRIAGED, 15), (S.WAITING, 30), (S.ALLOCATED, 25)]
    elif age_days < 60:
        table = [(S.WAITING, 8), (S.ALLOCATED, 10), (S.ACTIVE, 57), (S.CLOSED, 25)]
    elif age_days < 200:
        table = [(S.ACTIVE, 45), (S.EXIT_PLANNING, 15), (S.CLOSED, 40)]
    else:
        table = [(S.ACTIVE, 8), (S.EXIT_PLANNING, 4), (S.CLOSED, 88)]
    return rng.choices([s for s, _ in table], weights=[w for _, w in table])[0]


WEEKDAYS = [0, 1, 2, 3, 4]
# What a client said about times, and the same as structured safe windows.
_SAFE_WINDOWS = {
    "Weekdays 9:00 to 12:00": [{"days": WEEKDAYS, "start": "09:00", "end": "12:00"}],
    "After 18:00": [{"days": list(range(7)), "start": "18:00", "end": "21:00"}],
    "Any time": [],
    "Weekdays 10:00 to 14:00": [{"days": WEEKDAYS, "start": "10:00", "end": "14:00"}],
}


class _Builder:
    """Builds one chunk of demo rows in memory; `save` bulk-writes them in FK order."""

    def __init__(self, ctx, refs):
        self.ctx = ctx
        self.rng = ctx.rng
        # Name pools drawn once from Faker (seeded), then sampled with ctx.rng: calling
        # Faker per row costs more than all the database writes.
        fake = Faker("en_GB")
        fake.seed_instance(ctx.seed)
        self.female = sorted({fake.first_name_female() for _ in range(400)})
        self.male = sorted({fake.first_name_male() for _ in range(400)})
        self.either = self.female + self.male
        self.surnames = sorted({fake.last_name() for _ in range(800)})
        self.streets = sorted({fake.street_name() for _ in range(300)})
        self.handles = sorted({fake.user_name() for _ in range(300)})
        self.now = timezone.now()
        self.refs = refs
        self.workers = [
            u for k, u in sorted(ctx.users.items()) if k in ("caseworker", "caseworker2")
        ]
        self.manager = ctx.users.get("manager")
        self.districts = list(District.objects.order_by("code"))
        self.sources = list(ReferralSource.objects.order_by("order"))
        self.closure = {r.code: r for r in ClosureReason.objects.all()}
        self.behaviours = [b.value for b in Behaviour]

    def full_name(self) -> str:
        first = self.rng.choice(self.female if self.rng.random() < 0.5 else self.male)
        return f"{first} {self.rng.choice(self.surnames)}"

    def at(self, base, max_days, *, hours=(9, 17)):
        """A moment up to max_days after base, in working hours, never in the future."""
        day = base.astimezone(LONDON).date() + timedelta(days=self.rng.randint(0, max_days))
        moment = datetime.combine(
            day, time(self.rng.randint(*hours), self.rng.randint(0, 59)), tzinfo=LONDON
        )
        return min(max(moment, base), self.now - timedelta(minutes=5))

    def build(self, index: int, forced_status: str | None):
        rng = self.rng
        age = rng.randint(0, DAYS_BACK)
        status = forced_status or _status_for(rng, age)
        referred_at = self.at(self.now - timedelta(days=age), 0)
        district = self.districts[index % len(self.districts)]
        gender = rng.choices(
            [
                equality.Gender.WOMAN,
                equality.Gender.MAN,
                equality.Gender.NON_BINARY,
                equality.PREFER_NOT,
                equality.NOT_ASKED,
            ],
            weights=[70, 22, 2, 3, 3],
        )[0]
        first = (
            rng.choice(self.female)
            if gender == equality.Gender.WOMAN
            else rng.choice(self.male)
            if gender == equality.Gender.MAN
            else rng.choice(self.either)
        )
        age_years = rng.randint(16, 82)
        client = Client(
            first_name=first,
            last_name=rng.choice(self.surnames),
            preferred_name=(rng.choice(self.either) if rng.random() < 0.12 else ""),
            date_of_birth=(
                referred_at.date() - timedelta(days=age_years * 365 + rng.randint(0, 364))
            )
            if rng.random() < 0.9
            else None,
            age_at_referral=age_years,
            gender=gender,
            pronouns={"woman": "she/her", "man": "he/him", "non_binary": "they/them"}.get(
                gender, ""
            ),
            language=rng.choices(
                ["English", "Polish", "Urdu", "Punjabi", "Romanian"], weights=[90, 3, 3, 2, 2]
            )[0],
            district=district,
            address=f"{rng.randint(1, 200)} {rng.choice(self.streets)}, {district.name}",
            ethnicity=rng.choice(V_ETHNICITY),
            disability=rng.choice(V_YESNOPREFER),
            sexual_orientation=rng.choice(V_SEXUALORIENTATION),
            religion=rng.choice(V_RELIGION),
            created_at=referred_at,
        )
        client.interpreter_needed = client.language != "English" and rng.random() < 0.6
        phone = f"07700 900{rng.randint(0, 999):03d}"
        email_ok = rng.random() < 0.3
        post_ok = rng.random() < 0.2
        voicemail_ok = rng.random() < 0.4
        safe = SafeContact(
            safe_phone=phone,
            safe_phone_index=blind_index(phone, "phone"),
            safe_times=(times := rng.choice(list(_SAFE_WINDOWS))),
            safe_windows=_SAFE_WINDOWS[times],
            phone_allowed=rng.random() < 0.92,
            voicemail_allowed=voicemail_ok,
            voicemail_wording="This is Sam from the wellbeing service, please call back."
            if voicemail_ok
            else "",
            text_allowed=rng.random() < 0.6,
            email_allowed=email_ok,
            email=f"{first.lower()}.{rng.randint(1, 999)}@example.org" if email_ok else "",
            post_allowed=post_ok,
            postal_address=client.address if post_ok else "",
            code_word=rng.choice(["", "", "bluebell", "harbour", "lantern"]),
            others_who_may_answer=rng.choice(["", "Sister", "Nobody", "Flatmate"]),
            confirmed_on=referred_at.date() if rng.random() < 0.85 else None,
            created_at=referred_at,
        )
        safe.email_index = blind_index(safe.email, "email")

        intake_risk = rng.choices(
            ["", RiskLevel.STANDARD, RiskLevel.MEDIUM, RiskLevel.HIGH], weights=[20, 35, 30, 15]
        )[0]
        case = Case(
            client=client,
            status=status,
            district=district,
            referred_at=referred_at,
            risk_level_at_intake=intake_risk,
            digital_element=rng.random() < 0.45,
            restricted=rng.random() < 0.01,
            first_contact_due=_due(referred_at.astimezone(LONDON).date()),
            created_at=referred_at,
        )
        if case.restricted:
            case.restricted_reason = "Client is known to staff"
        year = referred_at.astimezone(LONDON).year
        self.refs[year] = self.refs.get(year, 0) + 1
        case.reference = f"STK-{year}-{self.refs[year]:05d}"
        ev = []  # (kind, at, by, summary, from, to)
        ev.append((events.REFERRAL_RECEIVED, referred_at, None, "Referral received", "", ""))
        declined = status == S.CLOSED and rng.random() < 0.2
        steps = [S.REFERRED]
        if status != S.REFERRED:
            case.triaged_at = self.at(referred_at, 1)
            steps.append(S.TRIAGED)
        if status not in (S.REFERRED, S.TRIAGED) and not declined:
            case.accepted_at = self.at(case.triaged_at, 1)
            steps.append(S.WAITING)
        allocated = status in (S.ALLOCATED, S.ACTIVE, S.EXIT_PLANNING) or (
            status == S.CLOSED and not declined
        )
        if allocated:
            case.allocated_at = self.at(case.accepted_at, 7)
            steps.append(S.ALLOCATED)
            worker = self.workers[index % len(self.workers)] if self.workers else None
            case.allocated_to = worker
            if len(self.workers) > 1 and rng.random() < 0.15:
                case.co_worker = self.workers[(index + 1) % len(self.workers)]
        reached = status in (S.ACTIVE, S.EXIT_PLANNING) or (
            allocated and status == S.CLOSED and rng.random() < 0.85
        )
        overdue_first = status == S.ALLOCATED and rng.random() < 0.3
        if allocated and not overdue_first:
            case.first_attempt_at = self.at(case.allocated_at, 2)
        if reached:
            case.first_contact_at = self.at(case.first_attempt_at, 3)
            case.last_contact_at = self.at(case.first_contact_at, min(age, 120))
            steps.append(S.ACTIVE)
            case.risk_level = intake_risk or rng.choice(V_RISKLEVEL)
            case.risk_assessed_at = self.at(case.first_contact_at, 10)
            case.next_review_due = case.risk_assessed_at.date() + timedelta(
                days=settings.REVIEW_INTERVAL_DAYS[case.risk_level]
            )
        if status == S.EXIT_PLANNING or (status == S.CLOSED and reached and rng.random() < 0.7):
            case.exit_planning_at = self.at(case.last_contact_at, 20)
            steps.append(S.EXIT_PLANNING)
        if status == S.CLOSED:
            base = (
                case.exit_planning_at
                or case.last_contact_at
                or case.first_attempt_at
                or case.triaged_at
            )
            case.closed_at = self.at(base, 20)
            steps.append(S.CLOSED)
            if declined:
                code = rng.choice(["declined-at-triage", "signposted-at-triage"])
            elif not reached:
                code = "never-contacted"
            else:
                code = rng.choice(
                    [
                        "support-completed",
                        "support-completed",
                        "client-disengaged",
                        "moved-away",
                        "handed-over",
                    ]
                )
            case.closure_reason = self.closure.get(code)
            case.closure_summary = "Demo closure."
            case.closure_approved_by = self.manager
        stamps = {
            S.TRIAGED: case.triaged_at,
            S.WAITING: case.accepted_at,
            S.ALLOCATED: case.allocated_at,
            S.ACTIVE: case.first_contact_at,
            S.EXIT_PLANNING: case.exit_planning_at,
            S.CLOSED: case.closed_at,
        }
        for prev, nxt in zip(steps, steps[1:], strict=False):
            by = case.allocated_to if nxt in (S.ACTIVE, S.EXIT_PLANNING) else self.manager
            ev.append(
                (
                    events.STATUS_CHANGED,
                    stamps[nxt],
                    by,
                    f"{S(prev).label} to {S(nxt).label}",
                    prev,
                    nxt,
                )
            )
        if allocated:
            ev.append(
                (
                    events.ALLOCATED,
                    case.allocated_at,
                    self.manager,
                    f"Allocated to {case.allocated_to}",
                    "",
                    "",
                )
            )

        relationship = (
            rng.choice(sorted(DOMESTIC))
            if declined and rng.random() < 0.6
            else rng.choice(NON_DOMESTIC)
        )
        source = self.sources[rng.randrange(len(self.sources))] if self.sources else None
        referral = Referral(
            reference=f"{DEMO_PREFIX}{index + 1:06d}",
            source=source,
            received_at=referred_at,
            is_self_referral=bool(source and source.code == "self"),
            referrer_name="" if source and source.code == "self" else self.full_name(),
            referrer_organisation=source.label if source else "",
            consent_to_contact=True,
            consent_to_share=rng.random() < 0.8,
            behaviours=rng.sample(self.behaviours, rng.randint(1, 4)),
            digital_element=case.digital_element,
            duration=rng.choice(["A few weeks", "About 3 months", "Over a year", "6 months"]),
            summary=rng.choice(SUMMARIES),
            police_involvement=rng.choice(V_POLICEINVOLVEMENT),
            risk_level_received=intake_risk,
            outcome=(
                Referral.Outcome.PENDING
                if status in (S.REFERRED, S.TRIAGED)
                else (
                    Referral.Outcome.DECLINED
                    if declined and rng.random() < 0.5
                    else Referral.Outcome.SIGNPOSTED
                )
                if declined
                else Referral.Outcome.ACCEPTED
            ),
            in_area=None if status == S.REFERRED else True,
            domestic_abuse_related=relationship in DOMESTIC if status != S.REFERRED else None,
            duplicate_checked=status != S.REFERRED,
            triaged_by=self.manager if case.triaged_at else None,
            triaged_at=case.triaged_at,
            created_by=self.manager,
            created_at=referred_at,
        )
        suspect = None
        if rng.random() < 0.8:
            suspect = Suspect(
                name=self.full_name() if relationship != "unknown" else "",
                sex=rng.choice(V_SEX),
                relationship=relationship,
                domestic_abuse_related=relationship in DOMESTIC,
                online_identifiers=f"@{rng.choice(self.handles)}" if case.digital_element else "",
                created_at=referred_at,
            )
        attempts, notes, tasks = [], [], []
        if case.first_attempt_at:
            method = ContactAttempt.Method.PHONE
            # The first attempt is a row of its own whenever it came before the first
            # contact: timeliness is measured from the attempts as recorded.
            if not reached or rng.random() < 0.4 or case.first_attempt_at < case.first_contact_at:
                attempts.append(
                    ContactAttempt(
                        at=case.first_attempt_at,
                        method=method,
                        outcome=ContactAttempt.Outcome.NO_ANSWER,
                        voicemail_left=safe.voicemail_allowed,
                        agreed_wording_used=safe.voicemail_allowed,
                        by=case.allocated_to,
                        recorded_at=case.first_attempt_at,
                    )
                )
                ev.append(
                    (
                        events.CONTACT_ATTEMPT,
                        case.first_attempt_at,
                        case.allocated_to,
                        "Phone call: No answer",
                        "",
                        "",
                    )
                )
            if reached:
                attempts.append(
                    ContactAttempt(
                        at=case.first_contact_at,
                        method=method,
                        outcome=ContactAttempt.Outcome.REACHED,
                        by=case.allocated_to,
                        recorded_at=case.first_contact_at,
                    )
                )
                ev.append(
                    (
                        events.CONTACT_ATTEMPT,
                        case.first_contact_at,
                        case.allocated_to,
                        "Phone call: Reached the client",
                        "",
                        "",
                    )
                )
                ev.append(
                    (
                        events.FIRST_CONTACT,
                        case.first_contact_at,
                        case.allocated_to,
                        "Phone call: Reached the client",
                        "",
                        "",
                    )
                )
        if reached:
            span_end = case.closed_at or self.now
            for _ in range(rng.randint(1, 4)):
                sensitive = rng.random() < 0.12
                when = self.at(
                    case.first_contact_at, max(0, (span_end - case.first_contact_at).days)
                )
                note = CaseNote(
                    occurred_at=when,
                    note_type=rng.choice(["call", "call", "visit", "meeting", "agency", "text"]),
                    direction=rng.choice(["out", "in", "na"]),
                    duration_minutes=rng.choice([None, 10, 20, 30, 45, 60]),
                    summary=rng.choice(SENSITIVE_TEXTS if sensitive else NOTE_TEXTS),
                    sensitive=sensitive,
                    author=case.allocated_to,
                    created_at=when,
                )
                notes.append(note)
                ev.append(
                    (
                        events.NOTE_ADDED,
                        when,
                        case.allocated_to,
                        note.get_note_type_display() + (", sensitive" if sensitive else ""),
                        "",
                        "",
                    )
                )
        if allocated:
            for _ in range(rng.randint(0, 2) if status != S.CLOSED else rng.randint(0, 1)):
                created = self.at(case.allocated_at, 10)
                due = (
                    created.date() + timedelta(days=rng.randint(-3, 21))
                    if status != S.CLOSED
                    else created.date() + timedelta(days=7)
                )
                done = status == S.CLOSED or rng.random() < 0.4
                task = Task(
                    title=rng.choice(TASK_TITLES),
                    due_on=max(due, created.date()),
                    assignee=case.allocated_to,
                    created_by=case.allocated_to,
                    created_at=created,
                    done_at=self.at(created, 10) if done else None,
                    done_by=case.allocated_to if done else None,
                )
                if status != S.CLOSED and not done and rng.random() < 0.3:
                    task.due_on = (self.now - timedelta(days=rng.randint(1, 5))).date()
                tasks.append(task)
                ev.append((events.TASK_ADDED, created, case.allocated_to, task.title, "", ""))
                if task.done_at:
                    ev.append(
                        (events.TASK_DONE, task.done_at, case.allocated_to, task.title, "", "")
                    )
        return {
            "client": client,
            "safe": safe,
            "case": case,
            "referral": referral,
            "suspect": suspect,
            "attempts": attempts,
            "notes": notes,
            "tasks": tasks,
            "events": ev,
        }


def _row_maker(fields, when):
    """A fast obj -> row function: one attrgetter for every column, then fix-ups only for
    the few columns that need converting (encrypted text, JSON, auto_now dates)."""
    getter = operator.attrgetter(*[f.attname for f in fields])
    fixes = []
    for i, f in enumerate(fields):
        if isinstance(f, EncryptedTextField):
            fixes.append((i, f.get_prep_value))
        elif isinstance(f, models.JSONField):
            fixes.append((i, json.dumps))
        elif getattr(f, "auto_now", False):
            fixes.append((i, lambda v: when if v is None else v))

    def make(obj):
        row = list(getter(obj))
        for i, fix in fixes:
            row[i] = fix(row[i])
        return row

    return make


def _copy(table: str, columns: list[str], rows) -> None:
    """PostgreSQL COPY: far cheaper than INSERTs built by the ORM for 100,000s of rows.
    Elsewhere (the SQLite of `make run`) a plain executemany does the same job."""
    with connection.cursor() as cursor:
        cols = ", ".join(connection.ops.quote_name(c) for c in columns)
        if connection.vendor != "postgresql":
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {connection.ops.quote_name(table)} ({cols}) VALUES ({marks})",  # noqa: S608  # nosec B608 - table and columns come from model metadata
                [list(r) for r in rows],
            )
            return
        with cursor.cursor.copy(
            f"COPY {connection.ops.quote_name(table)} ({cols}) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row(row)


def _reserve_ids(model, n: int) -> list[int]:
    if connection.vendor != "postgresql":
        # Single-user dev database: the next ids after the highest one are free.
        from django.db.models import Max

        start = (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        return list(range(start, start + n))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [model._meta.db_table, n],
        )
        return [row[0] for row in cursor.fetchall()]


def _insert_with_history(model, objs, *, when, reason="Demo data") -> None:
    """Write the rows and one "created" history row each (as simple-history would)."""
    if not objs:
        return
    for obj, pk in zip(objs, _reserve_ids(model, len(objs)), strict=True):
        obj.pk = pk
    fields = list(model._meta.concrete_fields)
    make = _row_maker(fields, when)
    rows = [make(obj) for obj in objs]
    _copy(model._meta.db_table, [f.column for f in fields], rows)
    # The history table repeats the row's columns, then the history_* columns.
    history_table = model.history.model._meta.db_table
    extra = [when, reason, "+", None]
    _copy(
        history_table,
        [f.column for f in fields]
        + ["history_date", "history_change_reason", "history_type", "history_user_id"],
        (row + extra for row in rows),
    )


def _save(rows, when):
    for r in rows:
        r["safe"].client = r["client"]
        r["case"].client = r["client"]
    _insert_with_history(Client, [r["client"] for r in rows], when=when)
    for r in rows:
        r["safe"].client_id = r["client"].pk
        r["case"].client_id = r["client"].pk
    _insert_with_history(SafeContact, [r["safe"] for r in rows], when=when)
    _insert_with_history(Case, [r["case"] for r in rows], when=when)
    referrals, suspects, attempts, notes, tasks, evs = [], [], [], [], [], []
    for r in rows:
        case = r["case"]
        r["referral"].case_id = case.pk
        referrals.append(r["referral"])
        if r["suspect"]:
            r["suspect"].case_id = case.pk
            suspects.append(r["suspect"])
        for group, out in (("attempts", attempts), ("notes", notes), ("tasks", tasks)):
            for obj in r[group]:
                obj.case_id = case.pk
                out.append(obj)
        for kind, at, by, summary, frm, to in r["events"]:
            evs.append((case.pk, at, by.pk if by else None, kind, summary[:300], frm, to, "{}"))
    for objs, model in (
        (referrals, Referral),
        (suspects, Suspect),
        (attempts, ContactAttempt),
        (notes, CaseNote),
        (tasks, Task),
    ):
        _insert_with_history(model, objs, when=when)
    _copy(
        CaseEvent._meta.db_table,
        ["case_id", "at", "by_id", "kind", "summary", "from_status", "to_status", "data"],
        evs,
    )
    return [r["case"] for r in rows]


def _break_glass_examples(ctx, cases):
    """A few duty-cover openings, so managers' break-glass lists have something in them."""
    cw2 = ctx.users.get("caseworker2")
    if cw2 is None or BreakGlassGrant.objects.filter(user=cw2).exists():
        return
    now = timezone.now()
    candidates = [
        c
        for c in cases
        if c.allocated_to_id
        and c.allocated_to_id != cw2.pk
        and c.co_worker_id != cw2.pk
        and not c.restricted
        and c.status in (S.ACTIVE, S.ALLOCATED)
    ][:3]
    for i, case in enumerate(candidates):
        granted = now - timedelta(days=i + 1)
        BreakGlassGrant.objects.create(
            case=case,
            user=cw2,
            reason="Duty cover: allocated caseworker on leave",
            granted_at=granted,
            expires_at=granted + timedelta(hours=8),
        )
        AuditEvent.objects.create(
            user=cw2,
            username=cw2.username,
            action=AuditEvent.Action.BREAK_GLASS,
            case_id=case.pk,
            at=granted,
            detail="Duty cover: allocated caseworker on leave",
        )
        CaseEvent.objects.create(
            case=case,
            kind=events.BREAK_GLASS,
            by=cw2,
            at=granted,
            summary="Opened for 8 hours. Reason: Duty cover: allocated caseworker on leave",
        )


def seed(ctx) -> None:
    existing = Referral.objects.filter(reference__startswith=DEMO_PREFIX).count()
    wanted = max(ctx.cases - existing, 0)
    if not wanted:
        ctx.log.append(f"Cases: {existing} demo cases already present; none added.")
        return
    refs = {}
    # Highest number used in each year, so new references never collide.
    for year in range(timezone.now().year - 2, timezone.now().year + 1):
        last = Case.objects.filter(reference__startswith=f"STK-{year}-").aggregate(
            m=Max("reference")
        )["m"]
        refs[year] = int(last.rsplit("-", 1)[1]) if last else 0
    builder = _Builder(ctx, refs)
    statuses = list(S)
    created = []
    now = timezone.now()
    progress = ctx.progress(wanted)
    for start in range(existing, existing + wanted, CHUNK):
        stop = min(start + CHUNK, existing + wanted)
        rows = []
        for i in range(start, stop):
            rows.append(builder.build(i, statuses[i] if i < len(statuses) else None))
            progress.advance()
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    # Demo data only: do not wait for the disk on every chunk's commit.
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
            saved = _save(rows, now)
        if len(created) < 200:
            created.extend(saved[: 200 - len(created)])
    _break_glass_examples(ctx, created)
    ctx.log.append(f"Cases: {wanted} demo cases added ({existing + wanted} in all).")
