"""In a real browser: complete a DASH, see the level on the case, add an incident with an
exhibit, and download the police chronology."""

import datetime
import hashlib
import importlib
import subprocess

import pytest
from django.apps import apps
from django.test import testcases as _django_testcases
from django.utils import timezone

from risk.models.exhibits import Exhibit
from risk.models.tools import RiskTool
from tests.conftest import sign_in_with_browser as browser_sign_in
from tests.factories import CaseFactory
from tests.factories_risk import png_bytes

# MEDIA_URL is None on purpose (exhibits are served only by a permission-checked view), but
# the live server's media handler needs a string; point it at a host that never matches.
# (The shared conftest on the foundation branch does the same; this keeps the test
# runnable on this branch alone.)
_django_testcases._MediaFilesHandler.get_base_url = lambda self: "https://no-public-media.invalid/"

REFERENCE_DATA = [
    "stalkingservice.migrations.0002_load_districts",
    "risk.migrations.0002_load_dash_sdash_tools",
]


@pytest.fixture
def reference_data(transactional_db):
    """Transactional tests flush the tables, data migrations included: load them again."""
    for module in REFERENCE_DATA:
        importlib.import_module(module).load(apps, None)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_dash_incident_exhibit_and_chronology(reference_data, page, caseworker, settings, tmp_path):
    settings.PROTECTED_FILES_ROOT = tmp_path / "protected"
    case = CaseFactory(allocated_to=caseworker)
    dash = RiskTool.objects.get(code="dash")
    items = list(dash.items.all())
    browser_sign_in(page, caseworker.username)

    page.goto(f"/risk/cases/{case.pk}/")
    assert page.get_by_text("Not assessed").first.is_visible()
    page.get_by_role("link", name="DASH risk checklist").click()
    # Only half answered: saved as a draft, no level.
    for item in items[:12]:
        page.locator(f"input[name='q_{item.pk}'][value='yes']").check()
    page.get_by_role("button", name="Complete assessment").click()
    assert page.get_by_text("Saved as a draft").is_visible()
    assert page.get_by_text("Not assessed").first.is_visible()
    # Finish it: 15 yes in all, the rest no or don't know.
    for item in items[12:15]:
        page.locator(f"input[name='q_{item.pk}'][value='yes']").check()
    for item in items[15:23]:
        page.locator(f"input[name='q_{item.pk}'][value='no']").check()
    page.locator(f"input[name='q_{items[23].pk}'][value='dont_know']").check()
    page.get_by_label("Comment on question 14").fill("Said he would kill her if she left")
    page.get_by_role("button", name="Complete assessment").click()
    assert page.get_by_text("DASH risk checklist completed: high risk.").is_visible()
    bar = page.locator(".identity-bar")
    assert "High risk" in bar.inner_text()
    assert f"Last assessed {timezone.localdate():%-d %B %Y}" in bar.inner_text()
    assert page.locator("[data-testid='risk-chart']").is_visible()
    assert page.get_by_text("Visible high risk").is_visible()

    # Add an incident with a screenshot.
    page.get_by_role("link", name="Incidents and evidence").click()
    page.get_by_role("link", name="Add an incident").click()
    when = timezone.localtime() - datetime.timedelta(days=1)
    page.get_by_label("Date and time").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Place").fill("Outside the library")
    page.get_by_label("Behaviour").select_option(label="Watching or spying")
    page.get_by_label("What happened (facts only)").fill("Sat in his car watching her for an hour")
    page.get_by_label("Client feared violence").check()
    data = png_bytes()
    page.get_by_label("Exhibit file (optional)").set_input_files(
        files=[{"name": "car.png", "mimeType": "image/png", "buffer": data}]
    )
    page.get_by_role("button", name="Save incident").click()
    assert page.get_by_text("Incident recorded.").is_visible()
    digest = hashlib.sha256(data).hexdigest()
    assert page.get_by_text(digest).is_visible()
    assert Exhibit.objects.get().sha256 == digest

    # The chronology for police.
    page.get_by_role("link", name="All incidents").click()
    with page.expect_download() as info:
        page.get_by_role("link", name="Chronology for police (PDF)").click()
    download = info.value
    path = tmp_path / "chronology.pdf"
    download.save_as(path)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Sat in his car watching" in " ".join(text.split())
    assert digest in text.replace("\n", "")
