"""Shared helpers for the end-to-end journeys: every page a journey visits is checked with
axe-core once (by URL shape), and every serious or critical violation is printed with its
rule and page, then fails the journey at its end."""

import re

import pytest

from tests.a11y import axe_violations


class AxeAudit:
    def __init__(self):
        self.seen: set[str] = set()
        self.problems: list[str] = []

    def check(self, page):
        page.wait_for_load_state("load")
        shape = re.sub(r"\d+", "N", page.url.split("?")[0].split("#")[0])
        if shape in self.seen:
            return
        self.seen.add(shape)
        for line in axe_violations(page):
            print("AXE:", line)
            self.problems.append(line)

    def assert_clean(self):
        assert not self.problems, "\n".join(self.problems)


@pytest.fixture
def axe(page):
    """Check each page on `load`; the journey calls axe.assert_clean() at its end."""
    audit = AxeAudit()
    page.on("load", lambda _page: None)  # keep the page's event loop warm
    yield audit
