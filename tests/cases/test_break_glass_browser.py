"""A break-glass holder reads the case in the browser but sees no write buttons, and a
forged POST (the note form rebuilt by hand) is refused (issue 13, point 4)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from cases.models.notes_tasks import CaseNote
from tests.a11y import axe_violations
from tests.conftest import sign_in_with_browser as browser_sign_in
from tests.factories_cases import BreakGlassGrantFactory, CaseFactory, UserFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_break_glass_holder_reads_but_cannot_write(page, caseworker):
    case = CaseFactory(allocated_to=caseworker)
    glass = UserFactory(username="cw_glass_browser", role="caseworker")
    BreakGlassGrantFactory(case=case, user=glass)
    browser_sign_in(page, glass.username)

    page.goto(f"/cases/{case.pk}/contact/")
    expect(page.get_by_test_id("client-name")).to_have_text(case.client.display_name)
    expect(page.get_by_text("You opened this case with break-glass access")).to_be_visible()
    expect(page.get_by_test_id("note-form")).to_have_count(0)
    expect(page.get_by_role("button", name="Record attempt")).to_have_count(0)
    expect(page.get_by_role("link", name="Close the case")).to_have_count(0)
    assert axe_violations(page) == []

    # A forged POST, with a valid CSRF token taken from the page, is refused.
    result = page.evaluate(
        """async (url) => {
            const token = document.querySelector('input[name=csrfmiddlewaretoken]').value;
            const body = new URLSearchParams({csrfmiddlewaretoken: token, note_type: 'call',
                summary: 'Forged by break-glass', occurred_at: ''});
            const r = await fetch(url, {method: 'POST', body, credentials: 'same-origin'});
            return {status: r.status, text: await r.text()};
        }""",
        reverse("cases:note_add", args=[case.pk]),
    )
    assert result["status"] == 403
    assert "Break-glass access is read-only" in result["text"]
    assert not CaseNote.objects.filter(summary="Forged by break-glass").exists()
