"""Accessibility on real data (issue 12, point 9), in Chromium against a live server.

The pages people use most are checked with axe-core (WCAG 2.2 AA, colour contrast
included) on a service having a bad week (tests/messy_world.py): overdue first contacts
and reviews on tinted rows, high-risk, restricted and closed cases, more tasks than fit
on a page, a waiting list and a high-risk closure waiting for a manager. Then what axe
cannot see: the focus ring on the dark menu bar, the manager's home at 1280 px, unique
ids on pages holding two forms, and the dashboard's contents list."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from referrals.models import Referral
from tests.a11y import axe_violations
from tests.conftest import sign_in_with_browser
from tests.factories import ReferralFactory
from tests.messy_world import build_messy_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Each page in its worst state; all must be free of serious and critical violations.
CASEWORKER_PAGES = ["/", "/cases/mine/?status=all"]
MANAGER_PAGES = ["/", "/cases/waiting/", "/cases/all/?status=all", "/reporting/dashboard/"]

DUPLICATE_IDS = """() => {
  const seen = {}, dup = new Set();
  for (const el of document.querySelectorAll('[id]')) {
    if (seen[el.id]) dup.add(el.id); seen[el.id] = true;
  }
  return [...dup];
}"""


@pytest.fixture
def messy(transactional_db):
    return build_messy_world()


def _sign_in(page, user):
    page.context.clear_cookies()
    sign_in_with_browser(page, user.username)


def _check(page, path, problems):
    response = page.goto(path)
    assert response.status == 200, f"{path} -> {response.status}"
    problems.extend(axe_violations(page))


def test_axe_on_messy_data_caseworker_and_manager_pages(page, messy):
    problems: list[str] = []
    _sign_in(page, messy.caseworker)
    for path in CASEWORKER_PAGES:
        _check(page, path, problems)
    # The tinted rows are really there (not a tidy page that passes by accident).
    page.goto("/")
    expect(page.locator("tr.table-danger").first).to_be_visible()
    expect(page.locator(".list-group-item-danger").first).to_be_visible()
    for key in ("high_review_overdue", "high_first_overdue_restricted", "closed"):
        _check(page, messy.cases[key].get_absolute_url(), problems)
    _check(page, f"/cases/{messy.cases['high_review_overdue'].pk}/tasks/", problems)

    _sign_in(page, messy.manager)
    for path in MANAGER_PAGES:
        _check(page, path, problems)
    closing = messy.cases["closing_high"]
    _check(page, reverse("cases:closure_decide", args=[closing.pk, messy.closure.pk]), problems)
    for line in problems:
        print("AXE:", line)
    assert not problems, "\n".join(problems)


def test_rows_that_are_tinted_say_why_in_words(page, messy):
    """Colour is never the only signal: every tinted row carries "Overdue" in its text and
    every high-risk row "High risk"."""
    _sign_in(page, messy.caseworker)
    page.goto("/")
    tinted = page.locator("tr.table-danger, li.list-group-item-danger")
    assert tinted.count() >= 4
    for row in tinted.all():
        assert "Overdue" in row.inner_text()
    for row in page.locator("[data-testid=case-table] tbody tr").all():
        text = row.inner_text()
        if messy.cases["high_review_overdue"].reference in text:
            assert "High risk" in text


def test_links_on_tinted_rows_meet_aa_contrast(page, messy):
    """The link colour on an overdue row, read from the browser, is at least 4.5:1 against
    the row's tint (Bootstrap's default link blue was 3.4:1)."""
    _sign_in(page, messy.caseworker)
    page.goto("/")
    ratio = page.evaluate(
        """() => {
      const a = document.querySelector('tr.table-danger td a');
      const cell = a.closest('td');
      const lum = (c) => {
        const [r, g, b] = c.match(/\\d+/g).slice(0, 3).map(Number).map((v) => {
          v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      // Bootstrap 5.3 paints the row's tint as each cell's background colour.
      const fg = lum(getComputedStyle(a).color), bg = lum(getComputedStyle(cell).backgroundColor);
      return (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    }"""
    )
    assert ratio >= 4.5, ratio
    tint = page.evaluate(
        "getComputedStyle(document.querySelector('tr.table-danger td')).backgroundColor"
    )
    assert tint == "rgb(248, 215, 218)", tint  # the pink really is behind the link


def test_focus_ring_on_the_menu_bar_is_clearly_visible(page, messy):
    _sign_in(page, messy.manager)
    page.goto("/")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('#main-nav .nav-link')"):
            break
    else:
        raise AssertionError("Tab never reached the menu")
    page.wait_for_timeout(400)  # Bootstrap fades the link's colours in (0.15 s)
    ring = page.evaluate(
        """() => {
      const el = document.activeElement, s = getComputedStyle(el);
      const bar = getComputedStyle(el.closest('nav.navbar')).backgroundColor;
      return {style: s.outlineStyle, width: parseFloat(s.outlineWidth), colour: s.outlineColor,
              background: s.backgroundColor, text: s.color, bar: bar};
    }"""
    )
    assert ring["style"] == "solid" and ring["width"] >= 3, ring
    # Yellow ring and fill against the dark blue bar (about 6:1), black text on yellow.
    assert ring["colour"] == "rgb(255, 221, 0)", ring
    assert ring["background"] == "rgb(255, 221, 0)", ring
    assert ring["text"] == "rgb(11, 12, 12)", ring
    assert ring["bar"] == "rgb(11, 78, 162)", ring


def test_manager_home_fits_1280_pixels_with_every_button_in_view(page, messy):
    page.set_viewport_size({"width": 1280, "height": 800})
    _sign_in(page, messy.manager)
    page.goto("/")
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
    outside = page.evaluate(
        """() => [...document.querySelectorAll('button, .btn, a.btn')]
          .filter((el) => el.offsetParent !== null)
          .map((el) => [el.textContent.trim(), el.getBoundingClientRect()])
          .filter(([, r]) => r.left < 0 || r.right > document.documentElement.clientWidth)
          .map(([t, r]) => `${t}: ${Math.round(r.left)}-${Math.round(r.right)}`)"""
    )
    assert not outside, outside


def test_pages_with_two_forms_have_no_duplicate_ids(page, messy):
    """The contact page (attempt and note forms), the triage page (checks and decision) and
    the caseworker's home (filters and find-by-reference), read from the DOM."""
    referral = ReferralFactory(case__allocated_to=None)
    assert Referral.objects.filter(pk=referral.pk).exists()
    _sign_in(page, messy.caseworker)
    case = messy.cases["high_review_overdue"]
    for path in ("/", f"/cases/{case.pk}/contact/", f"/referrals/triage/{referral.pk}/"):
        assert page.goto(path).status == 200, path
        assert page.locator("form").count() >= 2, path
        assert page.evaluate(DUPLICATE_IDS) == [], path


def test_dashboard_has_a_contents_list_linking_each_section(page, messy):
    _sign_in(page, messy.manager)
    page.goto("/reporting/dashboard/")
    contents = page.get_by_test_id("dashboard-contents")
    expect(contents.get_by_role("heading", name="Contents")).to_be_visible()
    links = contents.get_by_role("link")
    headings = page.locator("main section > h2")
    assert links.count() == headings.count() >= 5
    for i in range(links.count()):
        link, heading = links.nth(i), headings.nth(i)
        assert link.inner_text() == heading.inner_text()
        assert link.get_attribute("href") == f"#{heading.get_attribute('id')}"
    links.nth(3).click()
    expect(headings.nth(3)).to_be_in_viewport()
    assert page.url.endswith(f"#{headings.nth(3).get_attribute('id')}")
