"""One small service with a record behind every URL parameter, for the access matrix.

`build_world()` makes, through the factories and services the other tests use: the
people (one per actor of the matrix), a case with everything a case can hold, a closed
case, a referral awaiting triage, a retention review, a subject access request, a
finalised and a draft quarterly return, a notification and admin-side rows. Every client
has a name, contact details and a postcode nobody would write by chance, so a page that
shows one can be caught by a plain text search (`World.identifying`)."""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases.models.client import Client
from cases.models.lifecycle import Case
from cases.models.police_court import PoliceInvestigation
from cases.models.service_records import Feedback
from cases.services.lifecycle import break_glass_grant, closure_request, exit_plan_save
from cases.services.outcomes import outcomes_record
from cases.services.police_court import hearing_create, police_contact_create
from referrals.models import Referral
from reporting import services as reporting
from reporting.models import QuarterlyReturn
from reporting.periods import Quarter
from risk.services.assessment import marac_refer
from risk.services.exhibits import exhibit_add
from risk.services.safety_plan import safety_plan_agree
from stalkingservice.models import AuditEvent, RoleChangeRequest
from stalkingservice.roles import Role
from tests.factories import (
    CaseNoteFactory,
    ClientFactory,
    ReferralFactory,
    SafeContactFactory,
    SuspectFactory,
    TaskFactory,
    UserFactory,
)
from tests.factories_advocacy import (
    HandoverFactory,
    InvestigationFactory,
    OrderFactory,
    active_case,
    reason,
)
from tests.factories_cases import BreakGlassGrantFactory
from tests.factories_plans import (
    CareGoalFactory,
    DigitalSafetyCheckFactory,
    GroupMemberFactory,
    GroupProgrammeFactory,
    GroupSessionFactory,
    OneToOneSessionFactory,
    SafetyActionFactory,
    SafetyPlanFactory,
)
from tests.factories_referrals import make_referral
from tests.factories_risk import IncidentFactory, complete_dash, png_bytes
from tests.factories_security import (
    RetentionReviewFactory,
    SubjectAccessRequestFactory,
    closed_case,
)

# The actors of the matrix, in the order the policy table lists them.
ACTORS = (
    "signed_out",
    "allocated",  # the caseworker the case is allocated to
    "other_caseworker",  # a caseworker with no link to the case
    "break_glass",  # another caseworker holding a live break-glass grant on the case
    "manager",
    "commissioner",
    "administrator",
)

# Every role in stalkingservice.roles has at least one actor here (checked by a test).
ACTOR_ROLES = {
    "allocated": Role.CASEWORKER,
    "other_caseworker": Role.CASEWORKER,
    "break_glass": Role.CASEWORKER,
    "manager": Role.MANAGER,
    "commissioner": Role.COMMISSIONER,
    "administrator": Role.ADMINISTRATOR,
}

POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b")


@dataclass
class World:
    users: dict  # actor -> User (None for signed_out)
    ids: dict  # what a URL parameter can name -> a real value (see PARAMETERS in the test)
    case: Case
    clients: list
    references: list  # case, referral and crime references
    objects: dict = field(default_factory=dict)

    def identifying(self, *, exclude_client=None, references=True) -> dict[str, str]:
        """Text that identifies a client or a case -> what it is (for failure messages)."""
        found: dict[str, str] = {}
        for client in self.clients:
            if client.pk == exclude_client:
                continue
            who = f"client {client.pk}"
            for label, value in (
                ("first name", client.first_name),
                ("surname", client.last_name),
                ("preferred name", client.preferred_name),
                ("address", _first_line(client.address)),
            ):
                if value:
                    found[value] = f"{who} {label}"
            texts = [client.address]
            contact = getattr(client, "safe_contact", None)
            if contact is not None:
                for label, value in (
                    ("phone", contact.safe_phone),
                    ("email", contact.email),
                    ("postal address", _first_line(contact.postal_address)),
                ):
                    if value:
                        found[value] = f"{who} {label}"
                if contact.safe_phone:
                    found[re.sub(r"\D", "", contact.safe_phone)] = f"{who} phone (digits)"
                texts.append(contact.postal_address)
            for text in texts:
                for postcode in POSTCODE.findall(text or ""):
                    found[postcode] = f"{who} postcode"
        for reference in self.references if references else ():
            found[reference] = "reference"
        return found


def _first_line(text: str) -> str:
    return text.splitlines()[0] if text else ""


def _client(first, last, *, phone, email, address, postal, **extra) -> Client:
    client = ClientFactory(
        first_name=first, last_name=last, address=address, safe_contact=None, **extra
    )
    SafeContactFactory(
        client=client,
        safe_phone=phone,
        phone_allowed=True,
        email=email,
        email_allowed=True,
        postal_address=postal,
        post_allowed=True,
    )
    return Client.objects.get(pk=client.pk)


def _draft_return(quarter: Quarter, *, by) -> QuarterlyReturn:
    ret = reporting.return_request(quarter=quarter.label, by=by)
    ret.state = QuarterlyReturn.State.READY
    ret.data = {"export": {"indicators": []}, "meta": {}, "previous": {}}
    for fmt in ("pdf", "csv", "json"):
        ret.file_for(fmt).save(
            f"draft-{quarter.label}.{fmt}", ContentFile(f"draft {fmt}".encode()), save=False
        )
    ret.save()
    return ret


def _user(username, role, **extra):
    return UserFactory(username=username, role=role, **extra)


def build_world() -> World:
    today = timezone.localdate()
    users = {
        "signed_out": None,
        "allocated": _user("mx_allocated", Role.CASEWORKER),
        "other_caseworker": _user("mx_other", Role.CASEWORKER),
        "break_glass": _user("mx_glass", Role.CASEWORKER),
        "manager": _user("mx_manager", Role.MANAGER),
        "commissioner": _user("mx_commissioner", Role.COMMISSIONER),
        "administrator": _user("mx_admin", Role.ADMINISTRATOR, is_staff=True),
    }
    worker, manager = users["allocated"], users["manager"]
    locked = _user("mx_locked", Role.CASEWORKER)

    # ---- the case, with one of everything -------------------------------------------
    this_quarter = Quarter.containing(today)
    last_quarter = this_quarter.previous()
    received = last_quarter.start_at + dt.timedelta(days=20, hours=10)
    client = _client(
        "Zenobia",
        "Quennell-Abara",
        preferred_name="Zinnia",
        phone="07700 900321",
        email="zenobia.qa@example.org",
        address="14 Larkspur Mews\nTamworth\nB79 7QZ",
        postal="PO Box 7781\nLichfield\nWS13 6QQ",
    )
    case = active_case(
        client=client,
        allocated_to=worker,
        referred_at=received,
        accepted_at=received + dt.timedelta(hours=2),
        allocated_at=timezone.now() - dt.timedelta(days=30),
    )
    ReferralFactory(case=case, received_at=received, outcome="accepted")
    SuspectFactory(case=case, name="Lucan Pemberthy-Voss")
    note = CaseNoteFactory(case=case, author=worker, summary="Talked through the week.")
    dash = complete_dash(case, worker, 16).assessment  # high risk: closure waits for approval
    # A lower level waiting for a manager's sign-off (the case stays high).
    downgrade = complete_dash(case, worker, 12, downgrade_reason="Order granted").downgrade
    marac = marac_refer(
        case=case, referred_on=today, criteria={"professional_judgement": True}, by=worker
    )
    incident = IncidentFactory(case=case, recorded_by=worker)
    exhibit = exhibit_add(
        incident=incident, upload=SimpleUploadedFile("messages.png", png_bytes()), by=worker
    )
    plan = SafetyPlanFactory(case=case, created_by=worker)
    action = SafetyActionFactory(plan=plan)
    safety_plan_agree(case=case, next_review_on=today, by=worker)
    goal = CareGoalFactory(case=case, created_by=worker)
    session = OneToOneSessionFactory(case=case, worker=worker)
    check = DigitalSafetyCheckFactory(case=case, checked_by=worker)
    programme = GroupProgrammeFactory(facilitators=[worker], created_by=manager)
    GroupMemberFactory(programme=programme, case=case, enrolled_by=worker)
    group_session = GroupSessionFactory(programme=programme)
    investigation = InvestigationFactory(case=case)
    police_contact_create(
        case=case,
        data={"who": "DC Sam Jones", "purpose": "Update on the investigation"},
        by=worker,
    )
    order = OrderFactory(case=case, by=worker)
    hearing_create(
        case=case,
        data={
            "hearing_type": "order",
            "court": "North Staffordshire Justice Centre",
            "hearing_on": today + dt.timedelta(days=14),
        },
        by=worker,
    )
    handover = HandoverFactory(case=case, by=worker)
    outcomes_record(case=case, stage="entry", answers={}, recorded_on=today, by=worker)
    exit_plan_save(
        case=case,
        data={
            "readiness": "Feels safer",
            "ongoing_safety": "Safety plan kept",
            "who_to_contact": "Police on 999",
            "how_to_come_back": "Call the service",
        },
        version=None,
        by=worker,
    )
    closure = closure_request(case=case, reason=reason(), summary="Support complete", by=worker)
    task = TaskFactory(case=case)  # after the closure request, which refuses open tasks
    feedback = Feedback.objects.create(
        kind=Feedback.Kind.COMPLAINT,
        received_from=Feedback.From.CLIENT,
        received_on=today,
        summary="A call back came late.",
        case=case,
        recorded_by=manager,
    )
    break_glass_grant(case=case, user=users["break_glass"], reason="Duty cover while on leave")

    # ---- a closed case of the same caseworker (closing summary, new episode) -----------
    closed = active_case(
        client=_client(
            "Philippa",
            "Ormerod-Tansley",
            phone="07700 900432",
            email="philippa.ot@example.org",
            address="3 Quillet Row\nLeek\nST13 8QX",
            postal="",
        ),
        allocated_to=worker,
    )
    closure_request(case=closed, reason=reason(), summary="Support complete", by=worker)
    BreakGlassGrantFactory(case=closed, user=users["break_glass"])

    # ---- intake, data protection, reporting --------------------------------------------
    retention_client = closed_case(
        client=_client(
            "Ignatius",
            "Pellow-Whitcombe",
            phone="07700 900765",
            email="ignatius.pw@example.org",
            address="9 Tanyard Close\nUttoxeter\nST14 7RZ",
            postal="",
        ),
        days_ago=100,
        accepted=False,
    ).client
    review = RetentionReviewFactory(client=retention_client)
    # Last of the cases: the intake service numbers its case after the factories' ones.
    referral = make_referral(
        by=manager,
        first_name="Ottoline",
        last_name="Farquharson-Ede",
        safe_phone="07700 900654",
        email="ottoline.fe@example.org",
        suspects=[{"name": "Crispin Vowles", "relationship": "stranger"}],
    )
    # Of the closed case's client: a bundle holds every record and its history, and the
    # main client's would be a long PDF to render on every run.
    sar = SubjectAccessRequestFactory(client=closed.client, created_by=manager)
    # The finalised return is produced from the world's records by the real services (its
    # files are what the leak check reads); the draft only needs files to serve.
    final = reporting.return_finalise(
        ret=reporting.return_generate(quarter=last_quarter.label, by=manager), by=manager
    )
    draft = _draft_return(last_quarter.previous(), by=manager)

    # ---- rows the admin site lists ------------------------------------------------------
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp.plugins.otp_totp.models import TOTPDevice

    Group.objects.create(name="Duty team")
    TOTPDevice.objects.create(user=locked, name="Authenticator app", confirmed=True)
    AccessAttempt.objects.create(
        username=locked.username, ip_address="192.0.2.1", user_agent="test", failures_since_start=5
    )
    AccessLog.objects.create(username=locked.username, ip_address="192.0.2.1", user_agent="test")
    AccessFailureLog.objects.create(
        username=locked.username, ip_address="192.0.2.1", user_agent="test", locked_out=True
    )

    # A promotion waiting for a second person (issue 13, point 5).
    role_change = RoleChangeRequest.objects.create(
        user=locked,
        from_role=Role.CASEWORKER,
        to_role=Role.MANAGER,
        requested_by=users["administrator"],
    )

    cases = list(Case.objects.all())
    references = [c.reference for c in cases]
    references += list(Referral.objects.values_list("reference", flat=True))
    references += list(PoliceInvestigation.objects.values_list("crime_reference", flat=True))
    ids = {
        "case": case.pk,
        "closed_case": closed.pk,
        "note": note.pk,
        "task": task.pk,
        "investigation": investigation.pk,
        "order": order.pk,
        "handover": handover.pk,
        "closure": closure.pk,
        "risk_downgrade": downgrade.pk,
        "feedback": feedback.pk,
        "outcome_stage": "entry",
        "assessment": dash.pk,
        "risk_tool": dash.tool.code,
        "marac": marac.pk,
        "incident": incident.pk,
        "exhibit": exhibit.pk,
        "safety_action": action.pk,
        "safety_plan_version": 1,
        "care_goal": goal.pk,
        "session": session.pk,
        "digital_check": check.pk,
        "digital_finding": "location_sharing",
        "group": programme.pk,
        "group_session": group_session.pk,
        "referral": referral.pk,
        "referral_client": referral.case.client_id,
        "self_referral_step": "about-you",
        "retention_review": review.pk,
        "subject_access_request": sar.pk,
        "final_return": final.pk,
        "draft_return": draft.pk,
        "locked_user": locked.pk,
        "role_change": role_change.pk,
    }
    return World(
        users=users,
        ids=ids,
        case=case,
        clients=list(Client.objects.select_related("safe_contact").order_by("pk")),
        references=references,
        objects={
            "locked_user": locked,
            # The rows the admin's pages show for each model: the ones casework points at
            # (a delete page lists what depends on the row).
            "admin": {
                "stalkingservice.user": worker,
                "stalkingservice.district": client.district,
                "stalkingservice.auditevent": AuditEvent.objects.filter(
                    action=AuditEvent.Action.BREAK_GLASS
                ).first(),
                "cases.servicedirectoryentry": handover.service,
                "risk.risktool": dash.tool,
                "referrals.referralsource": referral.source,
            },
        },
    )
