import hashlib
import json
import subprocess
from types import SimpleNamespace

import pytest
from django.core.management import call_command

from reporting import render, services
from reporting.models import Notification, QuarterlyReturn
from stalkingservice.domain import DomainError
from tests.factories_reporting import at, referral
from tests.pdfs import assert_accessible_pdf

pytestmark = pytest.mark.django_db


def indicator(doc, code):
    return next(i for i in doc["indicators"] if i["code"] == code)


def stored_json(ret):
    return json.loads(ret.json_file.open("rb").read())


def test_json_has_exactly_the_published_shape(draft):
    doc = stored_json(draft)
    assert set(doc) == {"service", "period", "version", "generated_at", "indicators"}
    assert doc["period"] == {"start": "2026-07-01", "end": "2026-09-30", "label": "2026-Q2"}
    assert doc["version"] == 1
    assert doc["service"] == "Staffordshire Stalking Advocacy Service"
    for ind in doc["indicators"]:
        assert set(ind) == {"code", "label", "value", "unit", "breakdown"}
        assert isinstance(ind["breakdown"], dict)
        for value in [ind["value"], *ind["breakdown"].values()]:
            assert value is None or isinstance(value, int | float) or value in ("<5", "[c]")


def test_published_figures_suppress_small_cells_and_a_secondary_cell(draft):
    received = indicator(stored_json(draft), "referrals_received")
    assert received["value"] == 10
    assert received["breakdown"]["Self-referral"] == "<5"
    assert received["breakdown"]["Health"] == "<5"
    # Two hidden cells (2 and 1) in a total of 10: no single one can be worked out.
    assert received["breakdown"]["Staffordshire Police"] == 7


def test_secondary_suppression_in_the_return(manager):
    for day in range(1, 8):
        referral(received=at(2026, 7, day + 4))
    for day in range(1, 7):
        referral(received=at(2026, 8, day + 1), source="self")
    referral(received=at(2026, 9, 1), source="health")
    ret = services.return_generate(quarter="2026-Q2", by=manager)
    received = indicator(stored_json(ret), "referrals_received")
    assert received["value"] == 14
    assert received["breakdown"]["Health"] == "<5"
    # 14 - 7 - 6 would reveal the 1, so the smaller of the others (6) is hidden too.
    assert received["breakdown"]["Self-referral"] == "[c]"
    assert received["breakdown"]["Staffordshire Police"] == 7


def test_files_have_their_sha256(draft):
    for fmt in ("pdf", "csv", "json"):
        content = draft.file_for(fmt).open("rb").read()
        assert hashlib.sha256(content).hexdigest() == draft.sha_for(fmt)
        assert str(draft.file_for(fmt).path).startswith(
            str(__import__("django.conf").conf.settings.PROTECTED_FILES_ROOT)
        )


def test_csv_lists_every_indicator_with_protected_cells(draft):
    text = draft.csv_file.open("rb").read().decode("utf-8-sig")
    assert "indicator_code" in text.splitlines()[0]
    assert "referrals_received,Referrals received,count,Total,10" in text
    assert "referrals_received,Referrals received,count,Self-referral,<5" in text


def pdf_text(ret) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", ret.pdf_file.path, "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_return_pdf_is_tagged_pdf_ua_with_title_and_language(draft, tmp_path):
    with draft.pdf_file.open("rb") as f:
        assert_accessible_pdf(f.read(), tmp_path, title="quarterly return")


def test_pdf_contains_headline_figures_and_sections(draft):
    text = pdf_text(draft)
    for title in [
        "Quarterly performance return",
        "Contents",
        "Summary of headline figures",
        "Referrals and triage",
        "Timeliness of first contact",
        "Caseload",
        "Cases closed and risk",
        "Equality and diversity of clients supported",
        "Digital and cyber stalking",
        "The quarter in words",
        "Appendix: definitions",
        "DRAFT",
        "Page 2 of",
    ]:
        assert title in text, title
    assert "Referrals received: 10" in text
    assert "July to September 2026" in text
    assert "<5" in text


def test_finalised_return_is_immutable(finalised, manager):
    assert finalised.is_finalised
    assert "Status: Finalised" in pdf_text(finalised)
    with pytest.raises(DomainError, match=services.FINALISED_IS_IMMUTABLE):
        services.return_update_narrative(
            ret=finalised, by=manager, highlights="x", challenges="", case_study=""
        )
    with pytest.raises(DomainError, match=services.FINALISED_IS_IMMUTABLE):
        services.return_finalise(ret=finalised, by=manager)
    # Producing the quarter again without a version leaves the finalised one alone.
    sha = finalised.pdf_sha256
    again = services.return_generate(quarter="2026-Q2", by=manager)
    assert again.pk == finalised.pk
    assert again.pdf_sha256 == sha
    assert QuarterlyReturn.objects.count() == 1


def test_figures_are_frozen_when_cases_change_later(finalised, quarter_data):
    before = indicator(stored_json(finalised), "referrals_received")["value"]
    referral(received=at(2026, 7, 20))
    finalised.refresh_from_db()
    assert indicator(stored_json(finalised), "referrals_received")["value"] == before == 10


def test_a_new_version_needs_a_reason_and_keeps_the_old(finalised, manager):
    with pytest.raises(DomainError, match=services.REASON_REQUIRED):
        services.return_request(quarter="2026-Q2", by=manager, reason="")
    v2 = services.return_request(quarter="2026-Q2", by=manager, reason="Late referrals recorded")
    assert v2.version == 2
    v2 = services.return_generate(quarter="2026-Q2", version=2, by=manager)
    assert v2.is_ready and not v2.is_finalised
    assert stored_json(v2)["version"] == 2
    finalised.refresh_from_db()
    assert finalised.pdf_file.storage.exists(finalised.pdf_file.name)
    assert hashlib.sha256(finalised.pdf_file.open("rb").read()).hexdigest() == finalised.pdf_sha256


def test_generation_is_idempotent_per_quarter_and_version(quarter_data, manager):
    first = services.return_generate(quarter="2026-Q2", version=1, by=manager)
    second = services.return_generate(quarter="2026-Q2", version=1, by=manager)
    assert first.pk == second.pk
    assert QuarterlyReturn.objects.filter(quarter="2026-Q2").count() == 1


def test_narrative_goes_into_the_draft_pdf(draft, manager):
    services.return_update_narrative(
        ret=draft,
        by=manager,
        highlights="Waiting list cleared",
        challenges="Staff sickness",
        case_study="A client felt safer.",
    )
    draft.refresh_from_db()
    text = pdf_text(draft)
    assert "Waiting list cleared" in text and "Staff sickness" in text


def test_finalising_notifies_commissioners(draft, manager, commissioner):
    services.return_finalise(ret=draft, by=manager)
    note = Notification.objects.get(user=commissioner)
    assert "2026-Q2" in note.message
    assert not Notification.objects.filter(user=manager).exists()


def test_future_quarter_refused(manager):
    with pytest.raises(DomainError, match=services.QUARTER_NOT_ENDED):
        services.return_request(quarter="2030-Q1", by=manager)


@pytest.mark.parametrize("fmt", ["json", "csv", "pdf"])
def test_command_writes_the_requested_format(quarter_data, tmp_path, fmt):
    out = tmp_path / f"return.{fmt}"
    call_command("quarterly_return", "--quarter", "2026-Q2", "--format", fmt, "--output", str(out))
    content = out.read_bytes()
    ret = QuarterlyReturn.objects.get(quarter="2026-Q2")
    assert hashlib.sha256(content).hexdigest() == ret.sha_for(fmt)
    if fmt == "json":
        assert json.loads(content)["period"]["label"] == "2026-Q2"
    if fmt == "pdf":
        assert content.startswith(b"%PDF")


def test_csv_cells_cannot_run_as_formulas():
    # A reference label or a service name typed like a formula stays text in a spreadsheet.
    indicator = {"code": "x", "label": "@x", "unit": "count", "value": 3, "breakdown": {"-y": 3}}
    ret = SimpleNamespace(
        data={
            "export": {
                "service": "=svc",
                "period": {"label": "2026-Q2"},
                "version": 1,
                "indicators": [indicator],
            }
        }
    )
    lines = render.render_csv(ret).decode("utf-8-sig").splitlines()
    assert lines[1] == "'=svc,2026-Q2,1,x,'@x,count,Total,3"
    assert lines[2] == "'=svc,2026-Q2,1,x,'@x,count,'-y,3"


HOSTILE = ['=HYPERLINK("http://evil.example","Open")', "+1", "-2", "@x", "\tx", "\rx"]


@pytest.mark.parametrize("value", HOSTILE)
def test_the_downloaded_return_csv_has_no_cell_that_can_run_as_a_formula(
    quarter_data, manager, settings, value
):
    """Through the real generation and download: the service name and a referral
    source's name (a breakdown label) typed like formulas arrive as text."""
    import csv
    import io

    from django.urls import reverse

    from referrals.models import ReferralSource
    from tests.conftest import signed_in

    settings.SERVICE_NAME = value
    ReferralSource.objects.filter(code="police").update(label=value)
    ret = services.return_generate(quarter="2026-Q2", by=manager)
    response = signed_in(manager).get(reverse("reporting:download", args=[ret.pk, "csv"]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))] == []
    assert "'" + value in cells


def test_no_new_version_of_a_quarter_that_the_next_finalised_return_compares_with(manager):
    """The next quarter's finalised return prints this quarter's figures as published,
    frozen: a new version beside it would show, in the differences, the few people
    recorded in between. So once it is finalised, no new version of this quarter is
    made or finalised (issue 13 point 11)."""
    q1 = services.return_generate(quarter="2026-Q1", by=manager)
    services.return_finalise(ret=q1, by=manager)
    # A correction drafted before the next quarter's return was finalised...
    services.return_request(quarter="2026-Q1", by=manager, reason="A late referral")
    draft = services.return_generate(quarter="2026-Q1", version=2, by=manager)
    q2 = services.return_generate(quarter="2026-Q2", by=manager)
    assert stored_json(q2) and q2.data["previous"]  # it compares with 2026-Q1 v1
    services.return_finalise(ret=q2, by=manager)
    # ...cannot be finalised now.
    with pytest.raises(DomainError, match="The 2026-Q2 return is finalised"):
        services.return_finalise(ret=draft, by=manager)
    draft.refresh_from_db()
    assert not draft.is_finalised
    assert QuarterlyReturn.objects.filter(quarter="2026-Q1").count() == 2


def test_no_new_version_is_asked_for_once_the_next_return_compares_with_it(manager):
    q1 = services.return_generate(quarter="2026-Q1", by=manager)
    services.return_finalise(ret=q1, by=manager)
    q2 = services.return_generate(quarter="2026-Q2", by=manager)
    services.return_finalise(ret=q2, by=manager)
    with pytest.raises(DomainError, match="The 2026-Q2 return is finalised"):
        services.return_request(quarter="2026-Q1", by=manager, reason="A correction")
    assert list(QuarterlyReturn.objects.filter(quarter="2026-Q1").values_list("version")) == [(1,)]
