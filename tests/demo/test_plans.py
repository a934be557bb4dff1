import datetime

import pytest
from django.utils import timezone

from cases.statuses import CaseStatus
from demo.generators import plans
from demo.generators.people import seed_users
from demo.seed import DEMO_SEEDERS, DemoContext
from risk.models.care_plan import CareGoal
from risk.models.digital import DigitalSafetyCheck
from risk.models.groups import GroupAttendance, GroupProgramme
from risk.models.safety_plan import SafetyAction, SafetyPlan, SafetyPlanVersion
from risk.models.sessions import OneToOneSession
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            SafetyPlan,
            SafetyAction,
            SafetyPlanVersion,
            CareGoal,
            OneToOneSession,
            DigitalSafetyCheck,
            GroupProgramme,
            GroupAttendance,
        )
    }


def test_demo_plans_are_seeded_once_for_supported_cases():
    assert DEMO_SEEDERS.index("demo.generators.plans") == (
        DEMO_SEEDERS.index("demo.generators.risk") + 1
    )
    ctx = DemoContext(cases=40, seed=7, password="demo-password-2026")
    ctx.users = seed_users(password=ctx.password)
    worker = ctx.users["caseworker"]
    started = timezone.now() - datetime.timedelta(days=90)
    supported = [
        CaseFactory(allocated_to=worker, status=status, allocated_at=started, digital_element=True)
        for status in [CaseStatus.ALLOCATED, CaseStatus.ACTIVE, CaseStatus.EXIT_PLANNING] * 10
    ]
    waiting = CaseFactory(status=CaseStatus.WAITING, allocated_to=None)

    plans.seed(ctx)
    first = counts()
    plans.seed(ctx)

    assert counts() == first
    assert first["SafetyPlan"] == len(supported)
    assert first["DigitalSafetyCheck"] == len(supported)
    assert first["GroupProgramme"] == len(plans.PROGRAMMES)
    assert first["GroupAttendance"] > 0
    assert not SafetyPlan.objects.filter(case=waiting).exists()
    assert SafetyPlanVersion.objects.count() == SafetyPlan.objects.filter(plan_version=1).count()
    assert SafetyAction.objects.filter(source_check__isnull=False).exists()
    assert SafetyPlan.history.count() == first["SafetyPlan"]
    assert not OneToOneSession.objects.filter(
        status="delivered", session_date__gt=timezone.localdate()
    ).exists()
    stalkerware = DigitalSafetyCheck.objects.filter(stalkerware="found")
    assert not stalkerware.filter(stalkerware_decision="").exists()
