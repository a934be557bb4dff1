"""One seeded world with a record of every kind a page can show, so that following the
links from each home page reaches every page (and so every form) of the product."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.models.lifecycle import ClosureReason, ExitPlan
from cases.models.service_records import AwarenessSession, Feedback
from cases.services.lifecycle import closure_request
from cases.statuses import CaseStatus
from reporting.models import Notification
from risk.models.care_plan import NeedDomain
from risk.models.safety_plan import SafetyPlanVersion
from risk.services.assessment import marac_refer
from risk.services.care_plan import care_goal_progress_add, needs_assessment_record
from risk.services.exhibits import exhibit_add
from risk.services.safety_plan import safety_plan_agree
from stalkingservice.models import RoleChangeRequest
from stalkingservice.roles import Role
from tests.factories import (
    CaseFactory,
    CaseNoteFactory,
    ReferralFactory,
    SuspectFactory,
    TaskFactory,
    UserFactory,
    district,
)
from tests.factories_advocacy import HandoverFactory, InvestigationFactory, OrderFactory
from tests.factories_cases import ContactAttemptFactory, WaitingCaseFactory
from tests.factories_plans import (
    CareGoalFactory,
    DigitalSafetyCheckFactory,
    GroupMemberFactory,
    GroupProgrammeFactory,
    GroupSessionFactory,
    OneToOneSessionFactory,
    SafetyActionFactory,
)
from tests.factories_referrals import make_referral, make_triaged_referral
from tests.factories_risk import IncidentFactory, complete_dash, png_bytes
from tests.factories_security import RetentionReviewFactory, SubjectAccessRequestFactory


@dataclass
class World:
    users: dict  # key -> User
    case: object  # the caseworker's case, with a record of every kind
    waiting: object  # accepted, waiting for a caseworker (allocation forms)
    pending_closure: object  # a closure waiting for a manager's decision
    later: dict[str, list[str]]  # pages to crawl from after the home pages, per user
    hints: dict[str, str]  # values for fields by name that only real ones satisfy


def seed_world() -> World:
    from django.core.files.uploadedfile import SimpleUploadedFile

    users = {
        "caseworker": UserFactory(username="hostile_cw", role=Role.CASEWORKER),
        "caseworker2": UserFactory(username="hostile_cw2", role=Role.CASEWORKER),
        "manager": UserFactory(username="hostile_mgr", role=Role.MANAGER),
        "administrator": UserFactory(
            username="hostile_admin", role=Role.ADMINISTRATOR, is_staff=True
        ),
        "commissioner": UserFactory(username="hostile_comm", role=Role.COMMISSIONER),
    }
    cw, manager = users["caseworker"], users["manager"]
    long_ago = timezone.now() - dt.timedelta(days=60)
    case = CaseFactory(
        allocated_to=cw,
        status=CaseStatus.ACTIVE,
        allocated_at=long_ago,
        accepted_at=long_ago,
        risk_level="standard",
    )
    _every_route_safe(case.client)
    # Its referral reported a safe phone the client has not confirmed yet: the case pages
    # offer "Confirm and use" / "Discard" for it (forms attacked like any other).
    ReferralFactory(
        case=case,
        received_at=long_ago,
        outcome="accepted",
        reported_contact=json.dumps({"safe_phone": {"value": "07700 900999", "status": "pending"}}),
    )
    SuspectFactory(case=case)
    note = CaseNoteFactory(case=case)
    TaskFactory(case=case)
    ContactAttemptFactory(case=case)
    InvestigationFactory(case=case)
    OrderFactory(case=case)
    HandoverFactory(case=case)
    # Reported with a crime reference the case's police record does not have yet: its page
    # offers the one-click "Create the police record" form, which is then attacked too.
    incident = IncidentFactory(
        case=case,
        reported_to_police=True,
        crime_reference="SP-424242-26",
        police_officer="DC Rowe",
    )
    exhibit_add(incident=incident, upload=SimpleUploadedFile("shot.png", png_bytes()), by=cw)
    complete_dash(case, cw, yes=3)
    # Another case with a lower level waiting for the manager's sign-off (its form).
    lowered = CaseFactory(allocated_to=cw, status=CaseStatus.ACTIVE, allocated_at=long_ago)
    complete_dash(lowered, cw, yes=16)
    complete_dash(lowered, cw, yes=3, downgrade_reason="Suspect moved away")
    marac_refer(
        case=case,
        referred_on=timezone.localdate(),
        criteria={"professional_judgement": True},
        reason="Escalating contact",
        by=cw,
    )
    action = SafetyActionFactory(plan__case=case, plan__created_by=cw, created_by=cw)
    safety_plan_agree(case=case, next_review_on=None, by=cw)
    assert SafetyPlanVersion.objects.filter(plan=action.plan).exists()
    needs_assessment_record(
        case=case,
        assessed_on=timezone.localdate(),
        ratings=dict.fromkeys(NeedDomain.values, ("medium", "")),
        by=cw,
    )
    goal = CareGoalFactory(case=case)
    care_goal_progress_add(goal=goal, note="First steps taken", by=cw)
    OneToOneSessionFactory(case=case)
    member = GroupMemberFactory(case=case, programme__facilitators=[cw], programme__created_by=cw)
    GroupSessionFactory(programme=member.programme)
    DigitalSafetyCheckFactory(case=case)
    ExitPlan.objects.create(
        case=case,
        readiness="Nearly ready",
        ongoing_safety="Door chain",
        who_to_contact="Neighbourhood team",
        how_to_come_back="Phone the office",
        by=cw,
    )
    AwarenessSession.objects.create(
        delivered_on=timezone.localdate(),
        title="Stalking awareness for GPs",
        audience_type=AwarenessSession.Audience.choices[0][0],
        district=district(),
        attendees=12,
        delivered_by=cw,
        created_by=cw,
    )
    Feedback.objects.create(
        kind=Feedback.Kind.choices[0][0],
        received_from=Feedback.From.choices[0][0],
        received_on=timezone.localdate(),
        summary="Thank you for the support",
        case=case,
        recorded_by=cw,
    )

    waiting = WaitingCaseFactory()
    # Another worker's case (so the caseworker's own pages are all about `case`), with a
    # closure waiting for a manager.
    cw2 = users["caseworker2"]
    pending = CaseFactory(
        allocated_to=cw2, status=CaseStatus.ACTIVE, allocated_at=timezone.now(), risk_level="high"
    )
    closure_request(
        case=pending,
        reason=ClosureReason.objects.order_by("order").first(),
        summary="Client moved away",
        by=cw2,
    )
    RetentionReviewFactory()
    SubjectAccessRequestFactory(client=case.client, created_by=manager)
    Notification.objects.create(user=users["commissioner"], message="A return is ready", url="/")
    _quarterly_return(manager)
    # Not one of the users the crawl signs in: signing in clears a lock-out.
    # With an email address: the administrator's home offers to email them a password link.
    _locked_out(
        UserFactory(username="hostile_locked", role=Role.CASEWORKER, email="locked@example.org")
    )
    # A promotion waiting for a second person (the manager's "Role changes" page).
    RoleChangeRequest.objects.create(
        user=UserFactory(username="hostile_promoted", role=Role.CASEWORKER),
        from_role=Role.CASEWORKER,
        to_role=Role.MANAGER,
        requested_by=users["administrator"],
    )
    closed = CaseFactory(
        allocated_to=cw,
        status=CaseStatus.CLOSED,
        allocated_at=long_ago,
        closed_at=timezone.now() - dt.timedelta(days=2),
        closure_reason=ClosureReason.objects.order_by("order").first(),
    )
    # Referrals number themselves after the cases that exist, so they come last.
    make_referral(by=manager, first_name="Rosa", last_name="Triage")
    triaged = make_triaged_referral(by=manager, first_name="Tia", last_name="Decided")
    GroupProgrammeFactory(name="Second group", created_by=manager, facilitators=[cw])
    TOTPDevice.objects.create(user=users["caseworker2"], name="Phone", confirmed=True)
    assert note.pk
    return World(
        users=users,
        case=case,
        waiting=waiting,
        pending_closure=pending,
        # Records in a state whose pages are not linked from the first record of their
        # kind: crawled from once the rest has been.
        later={
            "caseworker": [reverse("cases:exit", args=[closed.pk])],
            "manager": [reverse("referrals:triage", args=[triaged.pk])],
            "caseworker2": [case.get_absolute_url(), reverse("two_factor_verify")],
        },
        hints={
            "case_reference": case.reference,
            # New accounts and reference data in the admin.
            "username": "new_colleague",
            "password1": "a-long-and-unusual-passphrase-2026",
            "password2": "a-long-and-unusual-passphrase-2026",
            "code": "new-code",
        },
    )


def _quarterly_return(manager):
    """A draft return with its figures, ready for its narrative. Its files are written
    when the narrative is saved; rendering them now would cost seconds for nothing."""
    from reporting.models import QuarterlyReturn
    from reporting.periods import Quarter
    from reporting.services import compute_data

    quarter = Quarter.parse("2025-Q4")
    now = timezone.now()
    QuarterlyReturn.objects.create(
        quarter=quarter.label,
        period_start=quarter.start,
        period_end=quarter.end,
        version=1,
        state=QuarterlyReturn.State.READY,
        requested_by=manager,
        generated_by=manager,
        generated_at=now,
        data=compute_data(q=quarter, version=1, generated_at=now),
    )


def _locked_out(user):
    """An account locked after too many failed sign-ins (the unlock form shows for it)."""
    from axes.models import AccessAttempt
    from django.conf import settings

    AccessAttempt.objects.create(
        username=user.username,
        ip_address="192.0.2.1",
        user_agent="test",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
        get_data="",
        post_data="",
        http_accept="*/*",
        path_info="/account/sign-in/",
    )


def _every_route_safe(client):
    """Calls, voicemail, texts, email and post all agreed, so the contact forms' first
    choices are safe routes."""
    safe = client.safe_contact
    safe.voicemail_allowed = safe.text_allowed = safe.email_allowed = safe.post_allowed = True
    safe.voicemail_wording = "Call the office back"
    safe.email = "client@example.org"
    safe.postal_address = "1 High Street, Stafford"
    safe.save()
