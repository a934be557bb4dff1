"""No page repeats an id (WCAG 2.2 AA; issue 12, point 9). A repeated id sends a label, an
error-summary link or a screen reader's "described by" to the wrong field, and it happens
when a page holds two forms built from the same pieces (the contact page's attempt and
note forms both carried `id_submission_id`).

Every page each kind of user can reach is read, through the same crawl the hostile-input
tests use (tests/security/crawl.py) over one seeded world with a record of every kind, so
a page or form added later is checked without being listed here. The browser-side check
of the pages with two forms is in tests/journeys/test_accessibility_real_data.py."""

import re
from collections import Counter

import pytest

from tests.security.crawl import crawl
from tests.security.hostile import visitors_for
from tests.security.hostile_world import seed_world

ID = re.compile(r"""\sid=["']([^"']+)["']""")


@pytest.mark.django_db
def test_no_page_any_user_reaches_repeats_an_id(settings, tmp_path):
    settings.PROTECTED_FILES_ROOT = tmp_path
    world = seed_world()
    repeated: dict[str, list[str]] = {}
    forms_on: dict[str, int] = {}

    def look(path, who, response):
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            return
        html = response.content.decode(errors="replace")
        forms_on[path] = html.count("<form")
        twice = sorted(i for i, n in Counter(ID.findall(html)).items() if n > 1)
        if twice:
            repeated[f"{path} as {who or 'a visitor'}"] = twice

    result = crawl(visitors_for(world), on_page=look)
    assert not result.errors, result.errors
    # The crawl really read the pages that hold two or more forms (the contact page too).
    assert sum(1 for n in forms_on.values() if n >= 2) >= 10
    assert any(re.search(r"/cases/\d+/contact/$", p) for p in forms_on)
    assert not repeated, repeated
