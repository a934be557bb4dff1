"""The demo seed for risk: levels that change over time and match the case, exhibits whose
stored files hash to what is recorded, and no duplicates on a second run."""

import hashlib

import pytest

from cases.models.lifecycle import CaseEvent
from cases.statuses import RISK_ORDER, CaseStatus
from demo.generators.risk import seed
from demo.seed import DemoContext
from risk.models.assessment import RiskAssessment
from risk.models.exhibits import Exhibit
from risk.models.incidents import Incident
from risk.services.exhibits import path_for, sniff
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_seed_fills_supported_cases_once(caseworker, settings, tmp_path):
    settings.PROTECTED_FILES_ROOT = tmp_path
    cases = [CaseFactory(allocated_to=caseworker, status=CaseStatus.ACTIVE) for _ in range(12)]
    waiting = CaseFactory(allocated_to=None, status=CaseStatus.WAITING)
    ctx = DemoContext(cases=13, seed=7, password="x")
    seed(ctx)
    counts = (RiskAssessment.objects.count(), Incident.objects.count(), Exhibit.objects.count())
    assert counts[0] >= 12 and counts[1] >= 12
    assert not RiskAssessment.objects.filter(case=waiting).exists()
    for case in cases:
        case.refresh_from_db()
        latest = case.risk_assessments.order_by("-assessed_on", "-completed_at").first()
        # Never lower than a level reached: a drop needs a manager's sign-off.
        levels = case.risk_assessments.values_list("final_level", flat=True)
        assert case.risk_level == max(levels, key=lambda level: RISK_ORDER[level])
        assert latest.answers.filter(answer="yes").count() == latest.score
    assert CaseEvent.objects.filter(kind="risk_assessment_completed").count() == counts[0]
    for exhibit in Exhibit.objects.exclude(stored_name=""):
        data = path_for(exhibit.stored_name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == exhibit.sha256
        assert sniff(data) in ("png", "text")
    seed(DemoContext(cases=13, seed=7, password="x"))
    assert (
        RiskAssessment.objects.count(),
        Incident.objects.count(),
        Exhibit.objects.count(),
    ) == counts
