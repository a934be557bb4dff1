"""Factories for safety plans, care plans, interventions, group work and digital checks."""

import datetime

import factory
from django.utils import timezone

from risk.models.care_plan import CareGoal
from risk.models.digital import DigitalSafetyCheck
from risk.models.groups import GroupMember, GroupProgramme, GroupSession
from risk.models.safety_plan import SafetyAction, SafetyPlan
from risk.models.sessions import OneToOneSession

from .factories import CaseFactory, UserFactory


class SafetyPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SafetyPlan
        django_get_or_create = ("case",)

    case = factory.SubFactory(CaseFactory)
    created_by = factory.LazyAttribute(lambda o: o.case.allocated_to)


class SafetyActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SafetyAction

    plan = factory.SubFactory(SafetyPlanFactory)
    section = "home"
    description = factory.Sequence(lambda n: f"Fit a door chain number {n}")
    owner = "client"
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))
    client_may_take_copy = True
    created_by = factory.LazyAttribute(lambda o: o.plan.created_by)


class CareGoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareGoal

    case = factory.SubFactory(CaseFactory)
    domain = "housing"
    goal = factory.Sequence(lambda n: f"Find safer housing {n}")
    planned_interventions = "Housing advocacy with the council"
    review_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=28))
    created_by = factory.LazyAttribute(lambda o: o.case.allocated_to)


class OneToOneSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OneToOneSession

    case = factory.SubFactory(CaseFactory)
    session_type = "emotional"
    session_date = factory.LazyFunction(timezone.localdate)
    duration_minutes = 45
    mode = "phone"
    notes = "Talked through the week."
    worker = factory.LazyAttribute(lambda o: o.case.allocated_to)


class GroupProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupProgramme
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Moving forward group {n}")
    kind = "recovery"
    starts_on = factory.LazyFunction(timezone.localdate)
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def facilitators(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.facilitators.set(extracted)


class GroupMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupMember

    programme = factory.SubFactory(GroupProgrammeFactory)
    case = factory.SubFactory(CaseFactory)
    enrolled_by = factory.LazyAttribute(lambda o: o.case.allocated_to)


class GroupSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupSession

    programme = factory.SubFactory(GroupProgrammeFactory)
    session_date = factory.LazyFunction(timezone.localdate)
    topic = "Understanding fear and stress"
    duration_minutes = 120


class DigitalSafetyCheckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DigitalSafetyCheck

    case = factory.SubFactory(CaseFactory)
    number = factory.Sequence(lambda n: n + 1)
    checked_on = factory.LazyFunction(timezone.localdate)
    checked_by = factory.LazyAttribute(lambda o: o.case.allocated_to)
