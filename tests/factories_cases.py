"""Factories for the casework spine (cases app), on top of tests/factories.py."""

from datetime import timedelta

import factory
from django.utils import timezone

from cases.models.contact import ContactAttempt
from cases.models.lifecycle import BreakGlassGrant, CaseEvent
from cases.statuses import CaseStatus
from stalkingservice.models import AuditEvent

from .factories import CaseFactory, CaseNoteFactory, SafeContactFactory, TaskFactory, UserFactory

__all__ = [
    "BreakGlassGrantFactory",
    "CaseEventFactory",
    "CaseFactory",
    "CaseNoteFactory",
    "ContactAttemptFactory",
    "SafeContactFactory",
    "TaskFactory",
    "UserFactory",
    "WaitingCaseFactory",
    "CaseViewFactory",
]


class WaitingCaseFactory(CaseFactory):
    """An accepted referral waiting for a caseworker."""

    status = CaseStatus.WAITING
    allocated_to = None
    accepted_at = factory.LazyFunction(timezone.now)


class ContactAttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactAttempt

    case = factory.SubFactory(CaseFactory)
    method = ContactAttempt.Method.PHONE
    outcome = ContactAttempt.Outcome.NO_ANSWER
    by = factory.LazyAttribute(lambda o: o.case.allocated_to)


class BreakGlassGrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BreakGlassGrant

    case = factory.SubFactory(CaseFactory)
    user = factory.SubFactory(UserFactory)
    reason = "Duty cover while the allocated caseworker is on leave"
    granted_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(lambda o: o.granted_at + timedelta(hours=8))


class CaseEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseEvent

    case = factory.SubFactory(CaseFactory)
    kind = "note_added"
    summary = "Phone call"
    by = factory.LazyAttribute(lambda o: o.case.allocated_to)


class CaseViewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditEvent

    action = AuditEvent.Action.CASE_VIEW
    user = factory.SubFactory(UserFactory)
    username = factory.LazyAttribute(lambda o: o.user.username)
    page = "overview"
