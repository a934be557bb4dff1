"""The assessment form as a caseworker uses it: drafts, refusals shown beside the field
with everything typed kept, and the level shown on the case afterwards."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from risk.models.assessment import RiskAssessment
from risk.services.assessment import (
    ASSESSOR_LEVEL_REQUIRED,
    OVERRIDE_BELOW_COMPUTED,
    OVERRIDE_REASON_REQUIRED,
)
from risk.services.common import FUTURE_DATE
from tests.factories import CaseFactory
from tests.factories_risk import tool

pytestmark = pytest.mark.django_db


def dash_post(yes: int, *, unanswered: int = 0, action="complete", **extra):
    items = list(tool("dash").items.all())
    data = {"assessed_on": timezone.localdate().isoformat(), "action": action, **extra}
    for index, item in enumerate(items):
        if index >= len(items) - unanswered:
            continue
        data[f"q_{item.pk}"] = "yes" if index < yes else "no"
        data[f"c_{item.pk}"] = f"note {item.number}"
    return data


def test_partial_dash_is_kept_as_a_draft(caseworker, as_user):
    case = CaseFactory(allocated_to=caseworker)
    http = as_user(caseworker)
    response = http.post(
        reverse("risk:assessment_new", args=[case.pk, "dash"]),
        dash_post(15, unanswered=3),
        follow=True,
    )
    page = response.content.decode()
    assert "Saved as a draft" in page and "still to answer: 22, 23, 24" in page
    draft = RiskAssessment.objects.get(case=case)
    assert draft.status == "draft" and draft.final_level == ""
    assert "note 5" in page  # answers and comments come back into the form
    case.refresh_from_db()
    assert case.risk_level == ""
    # Finishing the draft completes the same assessment.
    response = http.post(
        reverse("risk:assessment", args=[case.pk, draft.pk]),
        dash_post(15, version=draft.version),
        follow=True,
    )
    assert "DASH risk checklist completed: high risk." in response.content.decode()
    case.refresh_from_db()
    assert case.risk_level == "high"
    assert "High risk" in response.content.decode()


def test_lowering_by_judgement_is_refused_beside_the_field(caseworker, as_user):
    case = CaseFactory(allocated_to=caseworker)
    response = as_user(caseworker).post(
        reverse("risk:assessment_new", args=[case.pk, "dash"]),
        dash_post(
            16,
            judgement_level="medium",
            judgement_reason="He has moved away",
            notes="Typed notes stay",
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200
    message = OVERRIDE_BELOW_COMPUTED.format(level="high")
    assert message.replace("'", "&#x27;") in page
    assert 'href="#id_judgement_level"' in page
    assert "He has moved away" in page and "Typed notes stay" in page
    assert not RiskAssessment.objects.exists()


def test_raising_needs_a_reason(caseworker, as_user):
    case = CaseFactory(allocated_to=caseworker)
    response = as_user(caseworker).post(
        reverse("risk:assessment_new", args=[case.pk, "dash"]),
        dash_post(3, judgement_level="high"),
    )
    assert OVERRIDE_REASON_REQUIRED in response.content.decode()
    assert not RiskAssessment.objects.exists()


def test_future_date_refused(caseworker, as_user):
    case = CaseFactory(allocated_to=caseworker)
    later = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = as_user(caseworker).post(
        reverse("risk:assessment_new", args=[case.pk, "dash"]),
        dash_post(3, assessed_on=later),
    )
    assert FUTURE_DATE in response.content.decode()


def test_sdash_shows_the_count_and_needs_the_assessor_level(caseworker, as_user):
    case = CaseFactory(allocated_to=caseworker)
    http = as_user(caseworker)
    url = reverse("risk:assessment_new", args=[case.pk, "sdash"])
    data = {"assessed_on": timezone.localdate().isoformat(), "action": "complete"}
    for index, item in enumerate(tool("sdash").items.all()):
        data[f"q_{item.pk}"] = "yes" if index < 6 else "dont_know"
    response = http.post(url, data)
    page = response.content.decode()
    assert ASSESSOR_LEVEL_REQUIRED in page
    assert "Yes answers so far: <strong>6</strong> of 11" in page
    response = http.post(url, {**data, "assessor_level": "high"}, follow=True)
    assert "S-DASH stalking screening completed: high risk." in response.content.decode()


def test_summary_record_for_a_licensed_tool(caseworker, as_user):
    case = CaseFactory(allocated_to=caseworker)
    response = as_user(caseworker).post(
        reverse("risk:assessment_new", args=[case.pk, "sam"]),
        {
            "assessed_on": timezone.localdate().isoformat(),
            "action": "complete",
            "summary_ratings": "Nature: high; Perpetrator: moderate",
            "assessor_level": "medium",
        },
        follow=True,
    )
    assert "SAM (summary record) completed: medium risk." in response.content.decode()
    detail = as_user(caseworker).get(
        reverse("risk:assessment", args=[case.pk, RiskAssessment.objects.get().pk])
    )
    assert "Nature: high; Perpetrator: moderate" in detail.content.decode()


def test_html_typed_into_comments_is_shown_as_text(caseworker, as_user):
    case = CaseFactory(allocated_to=caseworker)
    http = as_user(caseworker)
    data = dash_post(2, notes="<script>alert(1)</script>")
    http.post(reverse("risk:assessment_new", args=[case.pk, "dash"]), data)
    a = RiskAssessment.objects.get()
    page = http.get(reverse("risk:assessment", args=[case.pk, a.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_administrator_edits_the_dash_bands_in_the_admin(administrator, as_user):
    dash = tool("dash")
    page = as_user(administrator).get(reverse("admin:risk_risktool_change", args=[dash.pk]))
    assert page.status_code == 200
    assert "High from" in page.content.decode() or "high_from" in page.content.decode()
